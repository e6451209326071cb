"""Turn the database into the team solver's frozen dataclasses (peerreview.solver.teams), and back."""

import datetime

from django.db.models import Q
from django.utils import timezone

from peerreview.policy.library import library
from peerreview.solver import teams as solver

from .models import PeerInvitation, PeerProfile, ProposedMember

# A slot for the observer director, added when a review type has none, so a regional triad's observer
# (and the demo's) fits a slot. It is optional (min 0) and does not change what the solver must fill.
OBSERVER_SLOT = {"code": "observer", "label": "Observer", "roles": ["dcs", "ad"], "min": 0, "max": 1}


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(start: datetime.date | None, end: datetime.date | None) -> set[str]:
    if start is None:
        return set()
    end = end or start
    out, day = set(), start
    while day <= end:
        out.add(iso_week(day))
        day += datetime.timedelta(days=1)
    return out


def review_weeks(review) -> list[str]:
    """ISO weeks the whole team must be free: the case record review and the delivery week."""
    dates = review.dates()

    def day(code):
        return dates[code].date if code in dates else None

    weeks = weeks_between(day("case_review_start"), day("case_review_end"))
    weeks |= weeks_between(day("delivery_start") or review.delivery_start, day("delivery_end"))
    return sorted(weeks)


def review_themes(review) -> list[str]:
    """Theme codes of the review's chosen lines of enquiry (custom lines have none)."""
    themes = library()["by_code"]
    return sorted({line.code.split(".", 1)[0] for line in review.lines.all()} & set(themes))


def review_slots(review) -> tuple:
    raw = list(review.review_type.team_slots(case_record_review=review.has_case_record_review))
    if not any(s["code"] == "observer" for s in raw):
        raw.append(OBSERVER_SLOT)
    return tuple(
        solver.Slot(s["code"], s["label"], frozenset(s["roles"]), s.get("min", 1), s.get("max", 1)) for s in raw
    )


def slot_labels(review) -> dict[str, str]:
    return {s.code: s.label for s in review_slots(review)}


def peer(profile: PeerProfile, *, booked_here: bool = False) -> solver.Peer:
    """A solver Peer. A review the person has already accepted here does not count against their cap for it."""
    orgs, people = [], []
    for c in profile.conflicts.all():
        if c.organisation_id:
            orgs.append(c.organisation.code)
        elif c.person_id:
            people.append(f"p{c.person_id}")
    return solver.Peer(
        id=profile.solver_id,
        name=profile.full_name,
        organisation=profile.organisation.code,
        role=profile.role,
        specialisms=frozenset(profile.specialisms),
        region=profile.region or profile.organisation.region,
        reviews_this_year=max(0, profile.reviews_this_year - (1 if booked_here else 0)),
        yearly_cap=profile.yearly_cap,
        reviews_total=profile.reviews_total,
        unavailable_weeks=frozenset(profile.unavailable_weeks),
        conflict_orgs=frozenset(orgs),
        conflict_people=frozenset(people),
        former_employers=tuple((org, int(year)) for org, year in profile.former_employers),
    )


def pool():
    return (
        PeerProfile.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("conflicts__organisation")
    )


def solver_review(review, *, pinned=(), excluded=()) -> solver.Review:
    host = review.host
    return solver.Review(
        id=f"r{review.pk}",
        name=review.title,
        host_org=host.code,
        host_region=host.region,
        neighbour_orgs=frozenset(host.neighbours.values_list("code", flat=True)),
        lines_of_enquiry=frozenset(review_themes(review)),
        weeks=frozenset(review_weeks(review)),
        slots=review_slots(review),
        pinned=frozenset(pinned),
        excluded=frozenset(excluded),
        year=review.delivery_start.year,
    )


def members_with_profiles(review) -> set[int]:
    """Pool profiles of people already in the review's team (they stay in it)."""
    from peerreview.core.roles import TEAM

    members = list(review.memberships.active().filter(role__in=TEAM).values_list("user_id", "user__email"))
    ids = [m[0] for m in members]
    emails = [m[1].lower() for m in members]
    return set(
        PeerProfile.objects.filter(Q(user_id__in=ids) | Q(email__in=emails), is_active=True).values_list(
            "pk", flat=True
        )
    )


def pins_and_exclusions(review) -> tuple[set[str], set[str]]:
    """The PCM's pins and exclusions, plus everyone invited or accepted (kept) and everyone who declined (out)."""
    pinned, excluded = set(), set()
    proposal = getattr(review, "team_proposal", None)
    if proposal is not None:
        for m in ProposedMember.objects.filter(proposal=proposal):
            if m.excluded:
                excluded.add(f"p{m.profile_id}")
            elif m.pinned:
                pinned.add(f"p{m.profile_id}")
    for pk in members_with_profiles(review):
        pinned.add(f"p{pk}")
    for inv in PeerInvitation.objects.filter(review=review):
        pid = f"p{inv.profile_id}"
        if inv.response == PeerInvitation.Response.DECLINED:
            excluded.add(pid)
        else:
            pinned.add(pid)
    pinned -= excluded
    return pinned, excluded


def options(*, same_region_conflict: bool = False) -> solver.Options:
    return solver.Options(
        same_region_conflict=same_region_conflict, former_employer_years=5, today_year=timezone.localdate().year
    )


def review_problem(review, *, same_region_conflict: bool | None = None) -> solver.Problem:
    proposal = getattr(review, "team_proposal", None)
    if same_region_conflict is None:
        same_region_conflict = bool(proposal and proposal.same_region_conflict)
    pinned, excluded = pins_and_exclusions(review)
    booked = members_with_profiles(review) | set(
        PeerInvitation.objects.filter(review=review, response=PeerInvitation.Response.ACCEPTED).values_list(
            "profile_id", flat=True
        )
    )
    peers = tuple(peer(p, booked_here=p.pk in booked) for p in pool())
    known = {p.id for p in peers}
    return solver.Problem(
        peers=peers,
        reviews=(solver_review(review, pinned=pinned & known, excluded=excluded & known),),
        options=options(same_region_conflict=same_region_conflict),
    )


def upcoming_reviews(user=None):
    """Reviews still to be delivered, optionally only those ``user`` manages as PCM."""
    from peerreview.core.roles import Role
    from peerreview.reviews.models import Membership, Review, Stage

    reviews = Review.objects.filter(
        delivery_start__gt=timezone.localdate(),
        is_purged=False,
        stage__in=[Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION],
    ).select_related("host", "review_type")
    if user is not None:
        ids = Membership.objects.active().filter(user=user, role=Role.PCM).values_list("review_id", flat=True)
        reviews = reviews.filter(pk__in=list(ids))
    return list(reviews.order_by("delivery_start", "pk"))


def season_problem(reviews) -> solver.Problem:
    peers = tuple(peer(p) for p in pool())
    known = {p.id for p in peers}
    items = []
    for r in reviews:
        pinned, excluded = pins_and_exclusions(r)
        items.append(solver_review(r, pinned=pinned & known, excluded=excluded & known))
    return solver.Problem(peers=peers, reviews=tuple(items), options=options())


def profile_ids(solver_ids) -> list[int]:
    return [int(s[1:]) for s in solver_ids]


def humanise(text: str) -> str:
    """Swap the solver's theme and organisation codes for the names people know."""
    import re

    from peerreview.councils.models import Organisation

    themes = {code: f"‘{t['title'].lower()}’" for code, t in library()["by_code"].items()}
    text = re.sub(r"\b[a-z]+(?:_[a-z]+)*\b", lambda m: themes.get(m.group(0), m.group(0)), text)

    def org(m):
        o = Organisation.objects.filter(code=m.group(2)).first()
        return f"{m.group(1)}{o.display_name if o else m.group(2)})"

    return re.sub(r"(\([^(),]+, )([a-z0-9-]+)\)", org, text)


def week_labels(weeks) -> list[str]:
    return [solver.week_text(w) for w in sorted(weeks)]
