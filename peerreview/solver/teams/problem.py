"""Input data for team formation: frozen dataclasses validated on construction.

Every dataclass checks itself in ``__post_init__`` and raises :class:`ProblemError`
with *all* the problems it found, each as ``"path: what is wrong; how to fix"``.
Collections given as lists or sets are normalised to ``frozenset``/``tuple`` so the
objects are hashable and safe to share between threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

ROLES: dict[str, str] = {
    "dcs": "DCS",
    "ad": "AD",
    "head_of_service": "head of service",
    "operational_manager": "operational manager",
    "principal_social_worker": "principal social worker",
    "case_auditor": "case auditor",
    "pcm": "peer challenge manager",
    "police": "police peer",
    "health": "health peer",
    "education": "education peer",
    "adult_social_care": "adult social care peer",
    "councillor": "member peer",
}
"""Role code -> human label used in messages."""

DISCIPLINES: dict[str, str] = {
    "dcs": "children's social care",
    "ad": "children's social care",
    "head_of_service": "children's social care",
    "operational_manager": "children's social care",
    "principal_social_worker": "children's social care",
    "case_auditor": "children's social care",
    "pcm": "LGA",
    "police": "police",
    "health": "health",
    "education": "education",
    "adult_social_care": "adult social care",
    "councillor": "elected members",
}
"""Role code -> discipline, used by the "mix of disciplines" soft rule."""

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class ProblemError(ValueError):
    """Invalid problem data. ``errors`` lists every problem as ``"path: message"``."""

    def __init__(self, errors: list[str] | tuple[str, ...]):
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))

    def prefixed(self, path: str) -> ProblemError:
        """Return a copy whose messages are prefixed with ``path``."""
        return ProblemError([f"{path}.{e}" if not e.startswith("[") else f"{path}{e}" for e in self.errors])


def iso_week_monday(week: str) -> date:
    """Monday of an ISO week such as ``"2027-W10"``.

    Raises
    ------
    ValueError
        If ``week`` is not a valid ISO week.
    """
    m = _ISO_WEEK.match(week)
    if not m:
        raise ValueError(f"{week!r} is not an ISO week like '2027-W10'")
    return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)


def _week_errors(path: str, weeks: frozenset[str]) -> list[str]:
    errors = []
    for w in sorted(weeks):
        try:
            iso_week_monday(w)
        except (ValueError, TypeError):
            errors.append(f"{path}: {w!r} is not an ISO week; write it like '2027-W10'")
    return errors


def _set(obj, name: str, kind=frozenset) -> None:
    value = getattr(obj, name)
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, kind):
        object.__setattr__(obj, name, kind(value))


def _raise(errors: list[str]) -> None:
    if errors:
        raise ProblemError(errors)


@dataclass(frozen=True)
class Peer:
    """A person in the peer pool.

    Attributes
    ----------
    id, name
        Stable identifier and display name.
    organisation
        Code of the peer's employing organisation (usually a council).
    role
        One of :data:`ROLES`.
    specialisms
        Line-of-enquiry theme codes the peer is strong in.
    region
        Region code of the organisation.
    reviews_this_year
        Reviews already done (or booked) this year, outside this plan.
    yearly_cap
        Most reviews the peer may do in a year (serving officers normally do one).
    reviews_total
        Reviews done in total; 0 means a *new* peer.
    unavailable_weeks
        ISO weeks (``"2027-W10"``) the peer cannot work.
    conflict_orgs, conflict_people
        Declared conflicts of interest with organisations and with people (peer ids).
    former_employers
        ``(organisation, until_year)`` pairs.
    """

    id: str
    name: str
    organisation: str
    role: str
    specialisms: frozenset[str] = frozenset()
    region: str = ""
    reviews_this_year: int = 0
    yearly_cap: int = 1
    reviews_total: int = 0
    unavailable_weeks: frozenset[str] = frozenset()
    conflict_orgs: frozenset[str] = frozenset()
    conflict_people: frozenset[str] = frozenset()
    former_employers: tuple[tuple[str, int], ...] = ()

    def __post_init__(self):
        for name in ("specialisms", "unavailable_weeks", "conflict_orgs", "conflict_people"):
            _set(self, name)
        object.__setattr__(self, "former_employers", tuple(tuple(fe) for fe in self.former_employers))
        errors = []
        if not isinstance(self.id, str) or not self.id:
            errors.append("id: must be a non-empty string")
        if not isinstance(self.organisation, str) or not self.organisation:
            errors.append("organisation: must be a non-empty organisation code")
        if self.role not in ROLES:
            errors.append(f"role: {self.role!r} is not a known role; use one of {', '.join(ROLES)}")
        for name in ("reviews_this_year", "yearly_cap", "reviews_total"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(f"{name}: {value!r} must be a whole number, 0 or more")
        errors += _week_errors("unavailable_weeks", self.unavailable_weeks)
        for i, fe in enumerate(self.former_employers):
            if len(fe) != 2 or not isinstance(fe[0], str) or not isinstance(fe[1], int):
                errors.append(f"former_employers[{i}]: {fe!r} must be a pair (organisation code, until year)")
        _raise(errors)

    @property
    def is_new(self) -> bool:
        return self.reviews_total == 0

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


@dataclass(frozen=True)
class Slot:
    """A place type in a review team, e.g. one review lead, two or three officer peers.

    Attributes
    ----------
    code, label
        Identifier (``"lead"``) and display label (``"Review lead"``).
    roles
        Peer roles that may fill the slot.
    min, max
        Number of people the slot needs (``min``) and may take (``max``).
    """

    code: str
    label: str
    roles: frozenset[str]
    min: int = 1
    max: int = 1

    def __post_init__(self):
        _set(self, "roles")
        errors = []
        if not self.code:
            errors.append("code: must be a non-empty string")
        unknown = sorted(r for r in self.roles if r not in ROLES)
        if unknown:
            errors.append(f"roles: {', '.join(map(repr, unknown))} not known; use roles from {', '.join(ROLES)}")
        if not self.roles:
            errors.append("roles: list at least one role that can fill this slot")
        for name in ("min", "max"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(f"{name}: {value!r} must be a whole number, 0 or more")
        if not errors and self.min > self.max:
            errors.append(f"min ({self.min}) is more than max ({self.max}); lower min or raise max")
        _raise(errors)

    @property
    def role_text(self) -> str:
        """The slot's roles in words, e.g. ``"DCS or AD"``."""
        labels = [ROLES[r] for r in sorted(self.roles)]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


DEFAULT_SLOTS: tuple[Slot, ...] = (
    Slot("lead", "Review lead", frozenset({"dcs", "ad"}), 1, 1),
    Slot(
        "officer",
        "Officer peer",
        frozenset({"head_of_service", "operational_manager", "principal_social_worker"}),
        2,
        3,
    ),
    Slot("auditor", "Case auditor", frozenset({"case_auditor"}), 1, 2),
    Slot("pcm", "Peer challenge manager", frozenset({"pcm"}), 1, 1),
)
"""The remote peer diagnostic team: a lead, 2–3 officer peers, up to 2 case auditors and a PCM."""


@dataclass(frozen=True)
class Review:
    """A review that needs a team.

    Attributes
    ----------
    id, name
        Identifier and display name.
    host_org, host_region
        The host council's code and region.
    neighbour_orgs
        Councils that border the host (their staff may not review it).
    lines_of_enquiry
        Theme codes the review will look at.
    weeks
        ISO weeks of case review and delivery; the whole team must be free in all of them.
    slots
        The team template.
    pinned, excluded
        Peer ids the manager has put in, or kept out of, this team.
    year
        Year of the review (for former-employer rules and yearly caps).
    """

    id: str
    name: str
    host_org: str
    host_region: str = ""
    neighbour_orgs: frozenset[str] = frozenset()
    lines_of_enquiry: frozenset[str] = frozenset()
    weeks: frozenset[str] = frozenset()
    slots: tuple[Slot, ...] = DEFAULT_SLOTS
    pinned: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    year: int = 2027

    def __post_init__(self):
        for name in ("neighbour_orgs", "lines_of_enquiry", "weeks", "pinned", "excluded"):
            _set(self, name)
        _set(self, "slots", tuple)
        errors = []
        if not isinstance(self.id, str) or not self.id:
            errors.append("id: must be a non-empty string")
        if not self.host_org:
            errors.append("host_org: give the host council's organisation code")
        errors += _week_errors("weeks", self.weeks)
        if not self.slots:
            errors.append("slots: a review needs at least one slot")
        codes = [s.code for s in self.slots]
        for i, s in enumerate(self.slots):
            if codes.count(s.code) > 1:
                errors.append(f"slots[{i}].code: {s.code!r} is used twice; give each slot its own code")
        both = sorted(self.pinned & self.excluded)
        if both:
            errors.append(f"pinned: {', '.join(both)} also excluded; a peer cannot be both pinned and excluded")
        if not isinstance(self.year, int) or not 2000 <= self.year <= 2100:
            errors.append(f"year: {self.year!r} must be a year such as 2027")
        _raise(errors)

    @property
    def places(self) -> int:
        return sum(s.min for s in self.slots)


@dataclass(frozen=True)
class Weights:
    """Weights of the soft rules (all whole numbers, 0 switches a rule off).

    Attributes
    ----------
    coverage
        Reward per line of enquiry covered by at least one team member.
    mix_orgs
        Penalty per extra team member from an organisation already in the team.
    mix_disciplines
        Reward per distinct discipline (social care, police, health…) in a team.
    load_spread
        Penalty per review already done this year by a chosen peer, and per extra
        review given to the same peer in this season.
    mentoring
        Reward for a team that pairs a new peer with an experienced one; penalty per
        new peer more than the experienced peers in a team.
    unfilled
        Penalty per required place left empty. Keep it far above the other weights.
    """

    coverage: int = 100
    mix_orgs: int = 40
    mix_disciplines: int = 10
    load_spread: int = 10
    mentoring: int = 20
    unfilled: int = 10_000

    def __post_init__(self):
        errors = []
        for name in ("coverage", "mix_orgs", "mix_disciplines", "load_spread", "mentoring", "unfilled"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(f"{name}: {value!r} must be a whole number, 0 or more")
        _raise(errors)


@dataclass(frozen=True)
class Options:
    """Switches for the optional hard rules.

    Attributes
    ----------
    same_region_conflict
        Treat peers from the host's region as conflicted.
    former_employer_years
        A peer may not review a council they left fewer than this many years ago.
    today_year
        The current year (defaults to this year).
    """

    same_region_conflict: bool = False
    former_employer_years: int = 5
    today_year: int = field(default_factory=lambda: date.today().year)

    def __post_init__(self):
        errors = []
        if not isinstance(self.former_employer_years, int) or self.former_employer_years < 0:
            errors.append(f"former_employer_years: {self.former_employer_years!r} must be a whole number, 0 or more")
        if not isinstance(self.today_year, int):
            errors.append(f"today_year: {self.today_year!r} must be a year such as 2027")
        _raise(errors)


@dataclass(frozen=True)
class Problem:
    """A season (or a single review) to staff.

    Attributes
    ----------
    peers, reviews
        The pool and the reviews needing teams.
    weights, options
        Soft rule weights and optional hard rules.
    """

    peers: tuple[Peer, ...]
    reviews: tuple[Review, ...]
    weights: Weights = field(default_factory=Weights)
    options: Options = field(default_factory=Options)

    def __post_init__(self):
        _set(self, "peers", tuple)
        _set(self, "reviews", tuple)
        errors = []
        seen: dict[str, int] = {}
        for i, p in enumerate(self.peers):
            if p.id in seen:
                errors.append(f"peers[{i}].id: {p.id!r} is also used by peers[{seen[p.id]}]; ids must be unique")
            seen.setdefault(p.id, i)
        rseen: dict[str, int] = {}
        for i, r in enumerate(self.reviews):
            if r.id in rseen:
                errors.append(f"reviews[{i}].id: {r.id!r} is also used by reviews[{rseen[r.id]}]; ids must be unique")
            rseen.setdefault(r.id, i)
            for name in ("pinned", "excluded"):
                unknown = sorted(set(getattr(r, name)) - seen.keys())
                if unknown:
                    errors.append(f"reviews[{i}].{name}: unknown peer id(s) {', '.join(unknown)}; use ids from peers")
        if not self.reviews:
            errors.append("reviews: give at least one review")
        _raise(errors)

    def peer(self, peer_id: str) -> Peer:
        return self._peers_by_id[peer_id]

    @property
    def _peers_by_id(self) -> dict[str, Peer]:
        cache = self.__dict__.get("_pcache")
        if cache is None:
            cache = {p.id: p for p in self.peers}
            object.__setattr__(self, "_pcache", cache)
        return cache
