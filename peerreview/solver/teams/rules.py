"""Hard rules, each written once with a human label.

The same functions decide which (peer, review, slot) triples enter the CP-SAT model
and explain, in plain British English, why someone was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .problem import Options, Peer, Review, Slot, iso_week_monday


@dataclass(frozen=True)
class Reason:
    """Why a peer cannot serve on a review.

    Attributes
    ----------
    rule
        Code of the rule (see :data:`RULES`).
    label
        The reason in words, e.g. ``"conflict: neighbouring council"``.
    category
        ``"conflict"``, ``"unavailable"``, ``"cap"``, ``"excluded"`` or ``"role"``; used
        to group reasons when explaining a shortage.
    """

    rule: str
    label: str
    category: str


def week_text(week: str) -> str:
    """``"2027-W10"`` -> ``"week of 8 March 2027"`` (the Monday, British format)."""
    d = iso_week_monday(week)
    return f"week of {d.day} {d:%B %Y}"


def _own_council(peer: Peer, review: Review, options: Options) -> Reason | None:
    if peer.organisation == review.host_org:
        return Reason("own_council", "conflict: works for the host council", "conflict")
    return None


def _neighbour(peer: Peer, review: Review, options: Options) -> Reason | None:
    if peer.organisation in review.neighbour_orgs:
        return Reason("neighbour", "conflict: neighbouring council", "conflict")
    return None


def _same_region(peer: Peer, review: Review, options: Options) -> Reason | None:
    if options.same_region_conflict and peer.region and peer.region == review.host_region:
        return Reason("same_region", "conflict: same region as the host", "conflict")
    return None


def _former_employer(peer: Peer, review: Review, options: Options) -> Reason | None:
    for org, until in peer.former_employers:
        if org == review.host_org and review.year - until < options.former_employer_years:
            return Reason(
                "former_employer",
                f"conflict: worked for the host council until {until}, "
                f"less than {options.former_employer_years} years ago",
                "conflict",
            )
    return None


def _declared_conflict(peer: Peer, review: Review, options: Options) -> Reason | None:
    if review.host_org in peer.conflict_orgs:
        return Reason("declared_conflict", "conflict: declared a conflict of interest with the host", "conflict")
    return None


def _unavailable(peer: Peer, review: Review, options: Options) -> Reason | None:
    clash = sorted(peer.unavailable_weeks & review.weeks)
    if clash:
        return Reason("unavailable", "unavailable in " + ", ".join(week_text(w) for w in clash), "unavailable")
    return None


def _yearly_cap(peer: Peer, review: Review, options: Options) -> Reason | None:
    if peer.reviews_this_year >= peer.yearly_cap:
        return Reason(
            "yearly_cap", f"yearly cap reached ({peer.reviews_this_year} of {peer.yearly_cap} reviews this year)", "cap"
        )
    return None


def _excluded(peer: Peer, review: Review, options: Options) -> Reason | None:
    if peer.id in review.excluded:
        return Reason("excluded", "excluded from this review by the manager", "excluded")
    return None


RULES: dict[str, Callable[[Peer, Review, Options], Reason | None]] = {
    "own_council": _own_council,
    "neighbour": _neighbour,
    "same_region": _same_region,
    "former_employer": _former_employer,
    "declared_conflict": _declared_conflict,
    "unavailable": _unavailable,
    "yearly_cap": _yearly_cap,
    "excluded": _excluded,
}
"""Peer-level hard rules, in the order they are reported. Role fit is per slot: :func:`role_fits`."""


def eligibility(peer: Peer, review: Review, options: Options) -> list[Reason]:
    """All labelled reasons ``peer`` cannot serve on ``review`` (empty if they can).

    Parameters
    ----------
    peer, review
        The candidate and the review.
    options
        Switches for optional rules (same-region conflict, former-employer years).

    Returns
    -------
    list[Reason]
        One entry per broken rule, in the order of :data:`RULES`.
    """
    reasons = []
    for rule in RULES.values():
        reason = rule(peer, review, options)
        if reason is not None:
            reasons.append(reason)
    return reasons


def role_fits(peer: Peer, slot: Slot) -> Reason | None:
    """The "role does not fit slot" rule."""
    if peer.role not in slot.roles:
        return Reason("role", f"role does not fit slot: a {peer.role_label} cannot be {slot.label.lower()}", "role")
    return None


def person_conflicts(peers: Iterable[Peer]) -> list[tuple[str, str]]:
    """Pairs of peer ids in ``peers`` where one declared a conflict with the other."""
    peers = list(peers)
    ids = {p.id for p in peers}
    pairs = set()
    for p in peers:
        for other in p.conflict_people & ids:
            if other != p.id:
                pairs.add(tuple(sorted((p.id, other))))
    return sorted(pairs)


@dataclass(frozen=True)
class Violation:
    """A hard rule broken by a plan."""

    review_id: str
    peer_id: str | None
    rule: str
    message: str


def check(problem, teams) -> list[Violation]:
    """Check a plan (``review_id -> [(peer_id, slot_code)]``) against every hard rule.

    Used by the tests and by callers who hand-edit a plan. Unfilled places are not
    violations here (the solver reports them separately); too many people in a slot are.
    """
    out: list[Violation] = []
    reviews = {r.id: r for r in problem.reviews}
    load: dict[str, list[str]] = {}
    for rid, members in teams.items():
        review = reviews[rid]
        slots = {s.code: s for s in review.slots}
        seen: set[str] = set()
        for item in members:
            pid, code = item[0], item[1]
            peer = problem.peer(pid)
            for reason in eligibility(peer, review, problem.options):
                if reason.rule == "yearly_cap":
                    continue  # checked across the season below
                out.append(Violation(rid, pid, reason.rule, f"{peer.name}: {reason.label}"))
            reason = role_fits(peer, slots[code])
            if reason:
                out.append(Violation(rid, pid, "role", f"{peer.name}: {reason.label}"))
            if pid in seen:
                out.append(Violation(rid, pid, "one_slot", f"{peer.name} holds more than one place in the team"))
            seen.add(pid)
            load.setdefault(pid, []).append(rid)
        for code, slot in slots.items():
            n = sum(1 for item in members if item[1] == code)
            if n > slot.max:
                out.append(Violation(rid, None, "slot_max", f"{slot.label}: {n} people, at most {slot.max} allowed"))
        for pid in review.pinned - seen:
            out.append(Violation(rid, pid, "pinned", f"{problem.peer(pid).name} is pinned but not in the team"))
        for a, b in person_conflicts(problem.peer(pid) for pid in seen):
            out.append(Violation(rid, a, "person_conflict", f"conflict declared between {a} and {b}"))
    for pid, rids in load.items():
        peer = problem.peer(pid)
        if peer.reviews_this_year + len(rids) > peer.yearly_cap:
            out.append(Violation(rids[-1], pid, "yearly_cap", f"{peer.name}: yearly cap of {peer.yearly_cap} exceeded"))
        weeks: dict[str, str] = {}
        for rid in rids:
            for w in reviews[rid].weeks:
                if w in weeks and weeks[w] != rid:
                    out.append(
                        Violation(rid, pid, "same_week", f"{peer.name}: on {weeks[w]} and {rid} in the {week_text(w)}")
                    )
                weeks[w] = rid
    return out
