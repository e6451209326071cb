"""A greedy timetable: the baseline, and the hint that gives CP-SAT a first solution at once.

Sessions are placed one at a time, most constrained first (fixed and pinned, then sessions needing
more peers, then longer ones), each at the earliest start (young people's sessions try after-school
starts first) where enough eligible, free peers with the required roles and specialisms, its
participants and a room are free, lunch stays possible and caps and travel buffers hold. Peers
are chosen least-loaded first, preferring a different background from peers already chosen.
"""

from __future__ import annotations

from collections import defaultdict

from .grid import Grid
from .problem import SLOTS_PER_DAY, Timetable


class _State:
    def __init__(self, g: Grid):
        self.g = g
        self.busy = defaultdict(set)  # resource key -> occupied slots
        self.lunch_busy = defaultdict(set)  # peer -> slots taken by sessions (for lunch)
        self.count = defaultdict(int)  # (peer, day) -> sessions counted for the cap
        self.load = defaultdict(int)
        self.located = defaultdict(list)  # peer -> [(start, end, location)]
        for kind, items in (("p", g.p.peers), ("q", g.p.participants), ("r", g.p.rooms)):
            for item in items:
                for lo, hi in g.unavailable(item.unavailable):
                    self.busy[kind, item.id].update(range(lo, hi))

    def free(self, key, start: int, end: int) -> bool:
        taken = self.busy[key]
        return not any(t in taken for t in range(start, end))

    def peer_ok(self, s, pid: str, start: int, end: int) -> bool:
        g = self.g
        if not self.free(("p", pid), start, end):
            return False
        d = start // SLOTS_PER_DAY
        cap = g.peer[pid].max_sessions_per_day
        if cap is not None and not g.is_team(s) and self.count[pid, d] >= cap:
            return False
        n = g.lunch_slots
        if n:
            lo, hi = g.lunch_window(d)
            taken = self.lunch_busy[pid] | set(range(start, end))
            if not any(all(t not in taken for t in range(x, x + n)) for x in range(lo, hi - n + 1)):
                return False
        loc = g.location(s)
        buf = -(-g.p.buffer_minutes // 15)
        if loc and buf:
            for a, b, other in self.located[pid]:
                if other != loc and a < end + buf and start < b + buf:
                    return False
        return True

    def place(self, s, start: int, peers, room) -> None:
        end = start + s.slots
        d = start // SLOTS_PER_DAY
        for pid in peers:
            self.busy["p", pid].update(range(start, end))
            self.lunch_busy[pid].update(range(start, end))
            if not self.g.is_team(s):
                self.count[pid, d] += 1
                self.load[pid] += s.slots
            if self.g.location(s):
                self.located[pid].append((start, end, self.g.location(s)))
        for q in s.participant_ids:
            self.busy["q", q].update(range(start, end))
        if room:
            self.busy["r", room].update(range(start, end))


def _choose_peers(st: _State, s, start: int) -> list[str] | None:
    g = st.g
    end = start + s.slots
    forced = set(g.forced_peers(s))
    free = [p for p in g.eligible(s) if st.peer_ok(s, p, start, end)]
    if not forced <= set(free):
        return None
    chosen = [p for p in free if p in forced]
    pool = sorted((p for p in free if p not in forced), key=lambda p: (st.load[p], p))
    needs = [("role", r) for r in sorted(s.required_peer_roles)] + [("spec", x) for x in sorted(s.required_specialisms)]
    for kind, want in needs:
        if any((g.peer[p].role == want) if kind == "role" else (want in g.peer[p].specialisms) for p in chosen):
            continue
        pick = next(
            (p for p in pool if (g.peer[p].role == want if kind == "role" else want in g.peer[p].specialisms)), None
        )
        if pick is None:
            return None
        chosen.append(pick)
        pool.remove(pick)
    while len(chosen) < g.needed(s) and pool:
        roles = {g.peer[p].role for p in chosen}
        orgs = {g.peer[p].organisation for p in chosen}
        pick = min(pool, key=lambda p: (g.peer[p].role in roles or g.peer[p].organisation in orgs, st.load[p], p))
        chosen.append(pick)
        pool.remove(pick)
    return chosen if len(chosen) == g.needed(s) else None


def _starts(g: Grid, s) -> list[int]:
    fixed = g.fixed_start(s)
    if fixed is not None:
        return [fixed]
    starts = [t for lo, hi in g.allowed_starts(s) for t in range(lo, hi + 1)]
    if s.id in g.young:
        starts.sort(key=lambda t: (t % SLOTS_PER_DAY < g.after_school, t))
    return starts


def greedy_timetable(g: Grid, rounds: int = 4) -> tuple[Timetable, list[str]]:
    """Place what can be placed; return the timetable and the ids of sessions left out.

    If some sessions are left out, try again placing those first (up to ``rounds`` times).
    """
    first: set[str] = set()
    best: tuple[Timetable, list[str]] | None = None
    for _ in range(rounds):
        tt, missing = _greedy_once(g, first)
        if best is None or len(missing) < len(best[1]):
            best = (tt, missing)
        if not missing:
            break
        first |= set(missing)
    return best


def _greedy_once(g: Grid, first: set[str]) -> tuple[Timetable, list[str]]:
    st = _State(g)
    order = sorted(
        g.p.sessions,
        key=lambda s: (
            g.fixed_start(s) is None,
            s.id not in first,
            -g.needed(s),
            -len(s.required_specialisms) - len(s.required_peer_roles),
            -s.slots,
            s.id,
        ),
    )
    out, missing = [], []
    for s in order:
        for start in _starts(g, s):
            if not all(st.free(("q", q), start, start + s.slots) for q in s.participant_ids):
                continue
            rooms = (
                [r for r in s.room_ids if st.free(("r", r), start, start + s.slots)]
                if s.mode == "in_person"
                else [None]
            )
            if not rooms:
                continue
            peers = _choose_peers(st, s, start)
            if peers is None:
                continue
            st.place(s, start, peers, rooms[0])
            out.append(g.to_assignment(s, start, peers, rooms[0]))
            break
        else:
            missing.append(s.id)
    return Timetable(tuple(out)), missing
