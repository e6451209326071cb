"""The time grid and lookups shared by the rules, the greedy builder and the CP-SAT model.

Time is counted in 15-minute slots: slot ``g = day_index * 96 + minutes_after_midnight // 15``, so a
session never spans two days.
"""

from __future__ import annotations

from functools import cached_property

from .problem import SLOT, SLOTS_PER_DAY, TEAM_KINDS, Assignment, Interval, Problem, Session, day_name, hhmm, minutes


class Grid:
    """Lookups over a problem; cheap to build, built once per solve or check."""

    def __init__(self, problem: Problem):
        self.p = problem
        self.days = [d.date for d in problem.days]
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.peer = {x.id: x for x in problem.peers}
        self.participant = {x.id: x for x in problem.participants}
        self.room = {x.id: x for x in problem.rooms}
        self.session = {x.id: x for x in problem.sessions}
        n = len(self.days)
        half = max(1, n // 2)
        self.early_days = set(range(half))
        self.late_days = set(range(n - half, n))

    # -- time conversions -------------------------------------------------------------------
    def slot(self, day: str, time: str) -> int:
        return self.day_index[day] * SLOTS_PER_DAY + minutes(time) // SLOT

    def day_window(self, d: int) -> tuple[int, int]:
        day = self.p.days[d]
        base = d * SLOTS_PER_DAY
        return base + minutes(day.start) // SLOT, base + minutes(day.end) // SLOT

    def lunch_window(self, d: int) -> tuple[int, int]:
        base = d * SLOTS_PER_DAY
        return base + minutes(self.p.lunch.window_start) // SLOT, base + minutes(self.p.lunch.window_end) // SLOT

    @property
    def lunch_slots(self) -> int:
        return self.p.lunch.minutes // SLOT

    def interval_slots(self, iv: Interval) -> tuple[int, int] | None:
        if iv.day not in self.day_index:
            return None
        return self.slot(iv.day, iv.start), self.slot(iv.day, iv.end)

    def describe(self, start: int, end: int) -> str:
        """``"Tuesday 10:00–11:00"`` for a span of slots on one day."""
        d = start // SLOTS_PER_DAY
        base = d * SLOTS_PER_DAY
        return f"{day_name(self.days[d])} {hhmm((start - base) * SLOT)}–{hhmm((end - base) * SLOT)}"

    def to_assignment(self, s: Session, start: int, peer_ids, room_id) -> Assignment:
        d = start // SLOTS_PER_DAY
        base = d * SLOTS_PER_DAY
        return Assignment(
            s.id,
            self.days[d],
            hhmm((start - base) * SLOT),
            hhmm((start - base + s.slots) * SLOT),
            tuple(sorted(peer_ids)),
            room_id,
        )

    # -- session facts ----------------------------------------------------------------------
    def is_team(self, s: Session) -> bool:
        """Team events (overview, team meetings...) don't count towards caps, balance or pairs."""
        return s.all_peers or s.kind in TEAM_KINDS

    def orgs(self, s: Session) -> set[str]:
        return {self.participant[i].organisation for i in s.participant_ids if self.participant[i].organisation}

    def eligible(self, s: Session) -> list[str]:
        """Peers who may sit in ``s``: all peers or the required ones, never from a heard organisation."""
        if s.all_peers:
            return [p.id for p in self.p.peers]
        orgs = self.orgs(s)
        return [p.id for p in self.p.peers if not (p.organisation and p.organisation in orgs)]

    def forced_peers(self, s: Session) -> set[str]:
        if s.all_peers:
            return {p.id for p in self.p.peers}
        forced = set(s.required_peer_ids)
        if s.pinned:
            forced |= set(s.pinned.peer_ids)
        return forced

    def needed(self, s: Session) -> int:
        return len(self.p.peers) if s.all_peers else max(s.peers_needed, len(s.required_peer_ids))

    def allowed_starts(self, s: Session) -> list[tuple[int, int]]:
        """Ranges ``[lo, hi]`` of start slots keeping ``s`` inside a working day."""
        out = []
        for d in range(len(self.days)):
            lo, hi = self.day_window(d)
            if hi - lo >= s.slots:
                out.append((lo, hi - s.slots))
        return out

    def location(self, s: Session) -> str | None:
        if s.mode != "in_person" or not s.room_ids:
            return None
        return self.room[s.room_ids[0]].location or None

    def fixed_start(self, s: Session) -> int | None:
        if s.fixed:
            return self.slot(s.fixed.day, s.fixed.start)
        if s.pinned:
            return self.slot(s.pinned.day, s.pinned.start)
        return None

    def unavailable(self, intervals) -> list[tuple[int, int]]:
        return [x for x in (self.interval_slots(iv) for iv in intervals) if x]

    @cached_property
    def young(self) -> set[str]:
        return {s.id for s in self.p.sessions if any(self.participant[i].is_young_people for i in s.participant_ids)}

    @cached_property
    def after_school(self) -> int:
        return minutes("15:30") // SLOT


def peer_name(g: Grid, pid: str) -> str:
    return g.peer[pid].name if pid in g.peer else pid


def session_title(g: Grid, sid: str) -> str:
    return g.session[sid].title if sid in g.session else sid
