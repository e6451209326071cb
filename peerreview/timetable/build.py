"""Convert a review's timetable rows into the solver's dataclasses, and apply a solved timetable back.

The solver package is pure (no Django); everything database-shaped happens here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from peerreview.core.roles import TEAM
from peerreview.reviews.models import Membership
from peerreview.solver import timetable as tt

from .models import Participant, PeerSetting, Room, Session, SessionPeer, TimetableSettings, Unavailability

SLOT = 15
# Kinds whose fixed events involve the whole team (unless the session names required roles).
WHOLE_TEAM_KINDS = frozenset({"overview", "team_meeting", "drawing_together", "feedback"})


class BuildError(ValueError):
    """The review's timetable cannot be turned into a valid problem; ``errors`` are in plain words."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def working_hours(review) -> dict:
    wh = review.review_type.config.get("working_hours") or {}
    lunch = wh.get("lunch") or ["12:00", "14:00"]
    return {
        "start": wh.get("start", "09:00"),
        "end": wh.get("end", "17:30"),
        "lunch_start": lunch[0],
        "lunch_end": lunch[1],
        "lunch_minutes": int(wh.get("lunch_minutes", 30)),
    }


def session_types(review) -> dict:
    return review.review_type.config.get("session_types") or {}


def template_events(review) -> list[dict]:
    return review.review_type.config.get("delivery_template") or []


def week_days(review) -> list[dt.date]:
    """The days of the delivery phase: weekdays from the start to the last day of the week, plus template days."""
    start = review.delivery_start
    end = review.date_of("delivery_end") or start + dt.timedelta(days=4)
    days = set()
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.add(day)
        day += dt.timedelta(days=1)
    for event in template_events(review):
        for offset in event.get("days", []):
            days.add(start + dt.timedelta(days=offset))
    return sorted(days)


def team(review) -> list[Membership]:
    return list(
        Membership.objects.active()
        .filter(review=review, role__in=TEAM)
        .select_related("user__organisation")
        .order_by("user__full_name")
    )


def peer_id(membership) -> str:
    return f"m{membership.pk}"


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def _floor(t: dt.time) -> str:
    total = t.hour * 60 + t.minute
    total -= total % SLOT
    return f"{total // 60:02d}:{total % 60:02d}"


def _ceil(t: dt.time) -> str:
    total = t.hour * 60 + t.minute + (1 if t.second else 0)
    total += -total % SLOT
    return f"{total // 60:02d}:{total % 60:02d}"


def _intervals(rows, days: set[dt.date], extra=()) -> tuple[tt.Interval, ...]:
    """Unavailability on the 15-minute grid, widened outwards, overlaps merged; days outside the week ignored.

    Merging matters: the solver treats two overlapping unavailable intervals of one person as a clash and
    reports the week infeasible.
    """
    spans = [(u.day.isoformat(), _floor(u.start), _ceil(u.end)) for u in rows if u.day in days and u.end > u.start]
    spans += [(iv.day, iv.start, iv.end) for iv in extra]
    merged: list[list[str]] = []
    for day, start, end in sorted(spans):
        if merged and merged[-1][0] == day and start <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([day, start, end])
    return tuple(tt.Interval(day, start, end) for day, start, end in merged)


def _plain(message: str, titles: dict[str, str]) -> str:
    """Strip the solver's field path ("sessions[3] (s12).minutes: ...") and name the session instead."""
    m = re.match(r"^(\w+)(?:\[\d+\])?(?: \(([^)]*)\))?[\w.\[\]]*: (.*)$", message, re.S)
    if not m:
        return message
    words = m.group(3)
    title = titles.get(m.group(2) or "")
    if title and title not in words:
        words = f"“{title}”: {words}"
    return words[0].upper() + words[1:]


def build_problem(review, *, with_pins: bool = True) -> tt.Problem:
    """The review's timetabling problem. Raises BuildError with plain-English messages."""
    days = week_days(review)
    dayset = set(days)
    wh = working_hours(review)
    members = team(review)
    settings = {s.membership_id: s for s in PeerSetting.objects.filter(membership__in=members)}
    unavailable = list(Unavailability.objects.filter(review=review))
    by_member, by_participant, by_room = {}, {}, {}
    for u in unavailable:
        if u.membership_id:
            by_member.setdefault(u.membership_id, []).append(u)
        elif u.participant_id:
            by_participant.setdefault(u.participant_id, []).append(u)
        elif u.room_id:
            by_room.setdefault(u.room_id, []).append(u)
    errors: list[str] = []
    if not members:
        raise BuildError(["Add peers to the review team before solving the week"])
    peers = []
    for m in members:
        s = settings.get(m.pk)
        peers.append(
            tt.Peer(
                id=peer_id(m),
                name=m.user.get_full_name(),
                organisation=m.user.organisation.name if m.user.organisation_id else "",
                role=m.role,
                specialisms=s.specialism_set() if s else frozenset(),
                unavailable=_intervals(by_member.get(m.pk, []), dayset),
                max_sessions_per_day=s.max_sessions_per_day if s else None,
            )
        )
    # Interviews and focus groups happen in the delivery week; later days (drawing together, feedback) are
    # for the team's fixed events only, so participants are not available then.
    last = review.date_of("delivery_end")
    later = tuple(tt.Interval(d.isoformat(), wh["start"], wh["end"]) for d in days if last and d > last)
    participants = [
        tt.Participant(
            id=p.solver_id,
            name=p.name,
            kind=p.kind,
            organisation=p.organisation,
            unavailable=_intervals(by_participant.get(p.pk, []), dayset, later),
            is_young_people=p.is_young_people,
            is_senior_leader=p.is_senior_leader,
        )
        for p in Participant.objects.filter(review=review)
    ]
    rooms = list(Room.objects.filter(review=review))
    solver_rooms = [
        tt.Room(id=r.solver_id, name=r.name, location=r.location, unavailable=_intervals(by_room.get(r.pk, []), dayset))
        for r in rooms
    ]
    by_role: dict[str, list[str]] = {}
    for m in members:
        by_role.setdefault(m.role, []).append(peer_id(m))
    sessions = []
    titles = {}
    qs = (
        Session.objects.filter(review=review, is_dropped=False)
        .prefetch_related("participants", "lines", "session_peers")
        .order_by("pk")
    )
    for s in qs:
        titles[s.solver_id] = s.title
        required = tuple(pid for role in s.required_roles for pid in by_role.get(role, []))
        missing_roles = [role for role in s.required_roles if role not in by_role]
        if missing_roles:
            errors.append(f"“{s.title}” needs the {', '.join(missing_roles)}, and the team has nobody in that role")
            continue
        fixed = pinned = None
        if s.is_fixed and (s.kind in WHOLE_TEAM_KINDS or required):
            fixed = tt.Fixed(s.fixed_day.isoformat(), _hhmm(s.fixed_start))
        elif s.is_fixed:
            # An interview at a fixed time: the solver's Fixed would bring every peer, so pin the time only.
            pinned = tt.Pinned(s.fixed_day.isoformat(), _hhmm(s.fixed_start), ())
        elif with_pins and s.pinned and s.is_placed:
            on_team = {m.pk for m in members}
            pins = tuple(
                sorted(peer_id_for(sp.membership_id) for sp in s.session_peers.all() if sp.membership_id in on_team)
            )
            needed = max(s.peers_needed, len(required))
            pinned = tt.Pinned(s.day.isoformat(), _hhmm(s.start), pins if len(pins) == needed else ())
        if s.mode == Session.Mode.IN_PERSON:
            room_ids = (s.room.solver_id,) if s.room_id else tuple(r.solver_id for r in rooms)
        else:
            room_ids = ()
        try:
            sessions.append(
                tt.Session(
                    id=s.solver_id,
                    title=s.title,
                    kind=s.kind,
                    minutes=s.minutes,
                    peers_needed=len(required) if required else s.peers_needed,
                    required_peer_ids=required,
                    required_specialisms=frozenset({s.required_specialism.lower()}) if s.required_specialism else (),
                    participant_ids=tuple(p.solver_id for p in s.participants.all()),
                    lines_of_enquiry=frozenset(line.code for line in s.lines.all()),
                    mode=s.mode,
                    room_ids=room_ids,
                    fixed=fixed,
                    pinned=pinned,
                )
            )
        except tt.ProblemError as e:
            errors += [_plain(f"sessions ({s.solver_id}).{msg}", titles) for msg in e.errors]
    if errors:
        raise BuildError(errors)
    conf = TimetableSettings.for_review(review)
    weights = tt.Weights(**conf.weights)
    try:
        return tt.Problem(
            days=tuple(tt.Day(d.isoformat(), wh["start"], wh["end"]) for d in days),
            peers=tuple(peers),
            participants=tuple(participants),
            rooms=tuple(solver_rooms),
            sessions=tuple(sessions),
            lunch=tt.Lunch(wh["lunch_start"], wh["lunch_end"], wh["lunch_minutes"]),
            weights=weights,
            **conf.minutes(),
        )
    except tt.ProblemError as e:
        raise BuildError([_plain(msg, titles) for msg in e.errors]) from e


def peer_id_for(membership_id: int) -> str:
    return f"m{membership_id}"


def current_timetable(review) -> tt.Timetable:
    """The timetable as it is in the database (placed, not dropped sessions).

    Peers no longer on the team (access removed or ended) are left out, so the check reports the session
    short of peers and a repair finds someone else.
    """
    members = {m.pk for m in team(review)}
    out = []
    for s in Session.objects.filter(review=review, is_dropped=False, day__isnull=False).prefetch_related(
        "session_peers"
    ):
        out.append(
            tt.Assignment(
                session_id=s.solver_id,
                day=s.day.isoformat(),
                start=_hhmm(s.start),
                end=_hhmm(s.end),
                peer_ids=tuple(
                    sorted(peer_id_for(sp.membership_id) for sp in s.session_peers.all() if sp.membership_id in members)
                ),
                room_id=s.placed_room.solver_id if s.placed_room_id else None,
            )
        )
    return tt.Timetable(tuple(out))


def with_previous(problem: tt.Problem, previous: tt.Timetable | None) -> tt.Problem:
    return replace(problem, previous=previous) if previous and previous.assignments else problem


def _time(hhmm: str) -> dt.time:
    h, m = hhmm.split(":")
    total = int(h) * 60 + int(m)
    return dt.time(min(23, total // 60), total % 60) if total < 24 * 60 else dt.time(23, 59)


def apply_timetable(review, timetable: tt.Timetable) -> list[Session]:
    """Store a solved timetable; returns the sessions that moved (their SEQUENCE goes up)."""
    sessions = {
        s.solver_id: s
        for s in Session.objects.filter(review=review, is_dropped=False).prefetch_related("session_peers")
    }
    moved = []
    for a in timetable.assignments:
        s = sessions.get(a.session_id)
        if s is None:
            continue
        before = (s.day, s.start, s.placed_room_id, sorted(sp.membership_id for sp in s.session_peers.all()))
        room_id = int(a.room_id[1:]) if a.room_id else None
        peers = sorted(int(p[1:]) for p in a.peer_ids)
        after = (dt.date.fromisoformat(a.day), _time(a.start), room_id, peers)
        if before == after:
            continue
        if s.is_placed:
            s.sequence += 1
            moved.append(s)
        s.day, s.start, s.end, s.placed_room_id = after[0], after[1], _time(a.end), room_id
        s.undo = None
        s.save(update_fields=["day", "start", "end", "placed_room", "sequence", "undo"])
        SessionPeer.objects.filter(session=s).delete()
        SessionPeer.objects.bulk_create([SessionPeer(session=s, membership_id=m) for m in peers])
    return moved


def violations(review) -> list[tt.Violation]:
    """Hard rules the timetable in the database breaks now (missing sessions included)."""
    problem = build_problem(review)
    return tt.check(problem, current_timetable(review))


def solver_session_pk(solver_id: str) -> int | None:
    return int(solver_id[1:]) if solver_id and solver_id[0] == "s" and solver_id[1:].isdigit() else None


def preview_move(session: Session, *, day: dt.date, start: dt.time, peers, room) -> dict:
    """What moving ``session`` by hand would do, without saving: the same rules and labels as the solver.

    Returns ``broken`` (hard-rule violations the session would be part of after the move), ``mended`` (ones it
    is part of now that the move would end), the weighted soft score before and after (lower is better) and
    ``changes``: (rule label, before, after) for each soft rule whose penalty changes. Raises BuildError.
    """
    review = session.review
    problem = build_problem(review)
    sid = session.solver_id
    if session.pinned and not session.is_fixed:
        # The move replaces the hand pin (it is pinned again at the new place if the PCM asks).
        problem = replace(
            problem, sessions=tuple(replace(s, pinned=None) if s.id == sid else s for s in problem.sessions)
        )
    before = current_timetable(review)
    begin = dt.datetime.combine(day, start)
    minutes = session.minutes + (-session.minutes % SLOT)
    moved = tt.Assignment(
        session_id=sid,
        day=day.isoformat(),
        start=_hhmm(start),
        end=_hhmm((begin + dt.timedelta(minutes=minutes)).time()),
        peer_ids=tuple(sorted(peer_id(m) for m in peers)),
        room_id=room.solver_id if room else None,
    )
    after = tt.Timetable((*(a for a in before.assignments if a.session_id != sid), moved))

    def mine(timetable):
        return [v for v in tt.check(problem, timetable) if sid in v.session_ids and v.rule_code != "complete"]

    broken, now = mine(after), mine(before)
    after_messages = {v.message for v in broken}
    score_before, by_rule_before = tt.score(problem, before)
    score_after, by_rule_after = tt.score(problem, after)
    labels = {r.code: r.label for r in tt.SOFT_RULES}
    return {
        "broken": broken,
        "rule_count": len({v.rule_code for v in broken}),
        "mended": [v for v in now if v.message not in after_messages],
        "score_before": score_before,
        "score_after": score_after,
        "changes": [
            (labels[code], by_rule_before[code], by_rule_after[code])
            for code in labels
            if by_rule_before[code] != by_rule_after[code]
        ],
    }


def capacity_lines(problem: tt.Problem) -> list[str]:
    """The solver's capacity count (tt.capacity_report), with dates on the day lines (a review's week can have
    two Mondays) and "1 peer" in the singular."""
    out = []
    for i, line in enumerate(tt.capacity_report(problem)):
        if i < len(problem.days):
            day = dt.date.fromisoformat(problem.days[i].date)
            name = f"{day:%A}:"
            if line.startswith(name):
                line = f"{day:%A} {day.day} {day:%B}:{line[len(name) :]}"
        out.append(line.replace("the 1 peers with it have", "the 1 peer with it has"))
    return out
