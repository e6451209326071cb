"""Every timetabling rule, written once.

Each rule has a ``code``, a human ``label`` and a ``hard`` flag. A rule both *builds* its part of the
CP-SAT model (``build(m)``, where ``m`` is the model context from :mod:`.solve`) and *checks* a
timetable, whether the solver's or one edited by hand:

* hard rules: ``check(g, placed) -> list[Violation]``;
* soft rules: ``penalty(g, placed) -> (int, list[Violation])``; the model term returned by
  ``build`` takes exactly this value at an optimal setting of its auxiliary variables, so
  :func:`score` and the solver's objective agree.

``placed`` maps session id to :class:`Placed` (slots on the grid of :mod:`.grid`).

Adding a rule: write a class here with ``code``, ``label``, ``hard``, ``build`` and ``check`` (hard)
or ``penalty`` and a weight in :class:`~.problem.Weights` (soft), then append it to ``HARD_RULES``
or ``SOFT_RULES``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from .grid import Grid, peer_name
from .problem import SLOT, SLOTS_PER_DAY, Problem, Timetable, day_name

_TEAM_WORDS = "team events (overview, team meetings, drawing together, feedback)"


@dataclass(frozen=True)
class Violation:
    """A broken rule, in words, with the sessions involved."""

    rule_code: str
    label: str
    message: str
    session_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placed:
    session: object
    start: int
    end: int
    peers: tuple[str, ...]
    room: str | None

    @property
    def day(self) -> int:
        return self.start // SLOTS_PER_DAY


class Rule:
    code = ""
    label = ""
    hard = True

    def v(self, message: str, *sids: str) -> Violation:
        return Violation(self.code, self.label, message, tuple(sids))


def _titles(g: Grid, *sids: str) -> str:
    return ", ".join(g.session[s].title for s in sids)


def _overlap(a: Placed, b: Placed) -> bool:
    return a.start < b.end and b.start < a.end


# ---------------------------------------------------------------------------------------------
# Hard rules
# ---------------------------------------------------------------------------------------------
class WithinDay(Rule):
    code, label = "within_day", "Sessions fit within the working day"

    def build(self, m) -> None:
        for s in m.g.p.sessions:
            bs = m.dayb[s.id]
            m.model.AddExactlyOne(bs.values())
            for d, b in bs.items():
                lo, hi = m.g.day_window(d)
                m.model.AddLinearConstraint(m.start[s.id], lo, hi - s.slots).OnlyEnforceIf(b)

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            lo, hi = g.day_window(a.day)
            if a.start < lo or a.end > hi:
                out.append(
                    self.v(f"“{g.session[sid].title}” at {g.describe(a.start, a.end)} is outside the working day", sid)
                )
        return out


class PeersNeeded(Rule):
    code, label = "peers_needed", "Right number of peers, with the required roles and specialisms"

    def build(self, m) -> None:
        g = m.g
        for s in g.p.sessions:
            xs = m.x[s.id]
            m.model.Add(sum(xs.values()) == g.needed(s))
            for pid in s.required_peer_ids:
                m.model.Add(xs[pid] == 1)
            lit = m.lit(("needs", s.id)) if s.required_peer_roles or s.required_specialisms else None
            for role in s.required_peer_roles:
                m.model.Add(sum(x for p, x in xs.items() if g.peer[p].role == role) >= 1).OnlyEnforceIf(lit)
            for spec in s.required_specialisms:
                m.model.Add(sum(x for p, x in xs.items() if spec in g.peer[p].specialisms) >= 1).OnlyEnforceIf(lit)

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            s = g.session[sid]
            team = [g.peer[p] for p in a.peers if p in g.peer]
            if len(a.peers) != g.needed(s):
                out.append(self.v(f"“{s.title}” has {len(a.peers)} peers but needs {g.needed(s)}", sid))
            for pid in sorted(set(s.required_peer_ids) - set(a.peers)):
                out.append(self.v(f"“{s.title}” must include {peer_name(g, pid)}", sid))
            for role in sorted(s.required_peer_roles):
                if not any(p.role == role for p in team):
                    out.append(self.v(f"“{s.title}” needs a peer who is a {role}", sid))
            for spec in sorted(s.required_specialisms):
                if not any(spec in p.specialisms for p in team):
                    out.append(self.v(f"“{s.title}” needs a peer with {spec} experience", sid))
        return out


class OwnOrganisation(Rule):
    code, label = "own_organisation", "No peer hears from their own organisation"

    def build(self, m) -> None:
        """Nothing to add: the model only has peer variables for eligible peers (``Grid.eligible``)."""

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            orgs = g.orgs(g.session[sid])
            for pid in a.peers:
                if pid in g.peer and g.peer[pid].organisation in orgs:
                    out.append(
                        self.v(
                            f"Peer {g.peer[pid].name} would hear from their own organisation, "
                            f"{g.peer[pid].organisation}, in “{g.session[sid].title}”",
                            sid,
                        )
                    )
        return out


class Rooms(Rule):
    code, label = "rooms", "In-person sessions have one of their rooms"

    def build(self, m) -> None:
        for ys in m.room_y.values():
            m.model.AddExactlyOne(ys.values())

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            s = g.session[sid]
            if s.mode == "in_person" and a.room not in s.room_ids:
                out.append(self.v(f"“{s.title}” is in person and needs one of its rooms", sid))
        return out


class Availability(Rule):
    code, label = "availability", "Peers, participants and rooms are available"

    def build(self, m) -> None:
        g = m.g
        for kind, items, lists in (
            ("peer", g.p.peers, m.peer_block),
            ("participant", g.p.participants, m.part_iv),
            ("room", g.p.rooms, m.room_iv),
        ):
            for item in items:
                lit = m.lit(("avail", kind, item.id))
                for lo, hi in g.unavailable(item.unavailable):
                    lists[item.id].append(m.model.NewOptionalFixedSizeIntervalVar(lo, hi - lo, lit, ""))

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            s = g.session[sid]
            who = [("Peer", g.peer.get(p)) for p in a.peers]
            who += [("", g.participant.get(p)) for p in s.participant_ids]
            who += [("Room", g.room.get(a.room))] if a.room else []
            for word, item in who:
                if item and any(lo < a.end and a.start < hi for lo, hi in g.unavailable(item.unavailable)):
                    name = f"{word} {item.name}".strip()
                    out.append(self.v(f"{name} is unavailable for “{s.title}” on {g.describe(a.start, a.end)}", sid))
        return out


class LunchBreak(Rule):
    code, label = "lunch", "Every peer gets a lunch break"

    def build(self, m) -> None:
        g = m.g
        n = g.lunch_slots
        if not n:
            return
        for p in g.p.peers:
            for d in range(len(g.days)):
                lo, hi = g.lunch_window(d)
                start = m.model.NewIntVar(lo, hi - n, f"lunch_{p.id}_{d}")
                m.lunch_start[p.id, d] = start
                m.peer_lunch[p.id].append(m.model.NewFixedSizeIntervalVar(start, n, ""))

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        n = g.lunch_slots
        busy = _peer_days(placed)
        out = []
        for (pid, d), items in sorted(busy.items()):
            lo, hi = g.lunch_window(d)
            taken = {t for a in items for t in range(a.start, a.end)}
            if n and not any(all(t not in taken for t in range(s, s + n)) for s in range(lo, hi - n + 1)):
                out.append(
                    self.v(
                        f"Peer {peer_name(g, pid)} has no {g.p.lunch.minutes}-minute lunch break between "
                        f"{g.p.lunch.window_start} and {g.p.lunch.window_end} on {day_name(g.days[d])}",
                        *[a.session.id for a in items if a.start < hi and lo < a.end],
                    )
                )
        return out


def _peer_days(placed: dict[str, Placed]) -> dict[tuple[str, int], list[Placed]]:
    out: dict[tuple[str, int], list[Placed]] = defaultdict(list)
    for a in placed.values():
        for pid in a.peers:
            out[pid, a.day].append(a)
    return out


class TravelBuffer(Rule):
    code, label = "travel_buffer", "Time to travel between in-person sessions in different places"

    def pairs(self, g: Grid):
        located = [s for s in g.p.sessions if g.location(s)]
        for a, b in itertools.combinations(located, 2):
            if g.location(a) != g.location(b):
                yield a, b

    def build(self, m) -> None:
        buf = -(-m.g.p.buffer_minutes // 15)
        if not buf:
            return
        for a, b in self.pairs(m.g):
            shared = set(m.x[a.id]) & set(m.x[b.id])
            if not shared:
                continue
            before = m.model.NewBoolVar("")
            for pid in shared:
                both = [m.x[a.id][pid], m.x[b.id][pid]]
                m.model.Add(m.end[a.id] + buf <= m.start[b.id]).OnlyEnforceIf([before, *both])
                m.model.Add(m.end[b.id] + buf <= m.start[a.id]).OnlyEnforceIf([before.Not(), *both])

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        buf = -(-g.p.buffer_minutes // 15)
        out = []
        for a, b in self.pairs(g):
            pa, pb = placed.get(a.id), placed.get(b.id)
            if not pa or not pb or not buf:
                continue
            for pid in sorted(set(pa.peers) & set(pb.peers)):
                if pa.start < pb.end + buf and pb.start < pa.end + buf:
                    out.append(
                        self.v(
                            f"Peer {peer_name(g, pid)} has less than {g.p.buffer_minutes} minutes to get from "
                            f"{g.location(a)} to {g.location(b)} ({_titles(g, a.id, b.id)})",
                            a.id,
                            b.id,
                        )
                    )
        return out


class DailyCap(Rule):
    code, label = "daily_cap", "No peer has more sessions in a day than their limit"

    def build(self, m) -> None:
        g = m.g
        for p in g.p.peers:
            if p.max_sessions_per_day is None:
                continue
            lit = m.lit(("cap", "peer", p.id))
            for d in range(len(g.days)):
                zs = [m.z(s.id, p.id, d) for s in g.p.sessions if not g.is_team(s) and p.id in m.x[s.id]]
                zs = [z for z in zs if z is not None]
                if len(zs) > p.max_sessions_per_day:
                    m.model.Add(sum(zs) <= p.max_sessions_per_day).OnlyEnforceIf(lit)

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for (pid, d), items in sorted(_peer_days(placed).items()):
            cap = g.peer[pid].max_sessions_per_day if pid in g.peer else None
            work = [a.session.id for a in items if not g.is_team(a.session)]
            if cap is not None and len(work) > cap:
                out.append(
                    self.v(
                        f"Peer {peer_name(g, pid)} has {len(work)} sessions on {day_name(g.days[d])}; "
                        f"their limit is {cap} (not counting {_TEAM_WORDS})",
                        *work,
                    )
                )
        return out


class FixedEvents(Rule):
    code, label = "fixed", "Fixed events stay fixed"

    def build(self, m) -> None:
        for s in m.g.p.sessions:
            if s.fixed:
                m.model.Add(m.start[s.id] == m.g.fixed_start(s)).OnlyEnforceIf(m.lit(("fixed", s.id)))

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            s = g.session[sid]
            if s.fixed and a.start != g.fixed_start(s):
                out.append(self.v(f"“{s.title}” is fixed at {day_name(s.fixed.day)} {s.fixed.start}", sid))
        return out


class PinnedSessions(Rule):
    code, label = "pinned", "Pinned sessions stay pinned"

    def build(self, m) -> None:
        for s in m.g.p.sessions:
            if s.pinned:
                lit = m.lit(("pinned", s.id))
                m.model.Add(m.start[s.id] == m.g.fixed_start(s)).OnlyEnforceIf(lit)
                for pid in s.pinned.peer_ids:
                    m.model.Add(m.x[s.id][pid] == 1).OnlyEnforceIf(lit)

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        for sid, a in placed.items():
            s = g.session[sid]
            if s.pinned and (a.start != g.fixed_start(s) or not set(s.pinned.peer_ids) <= set(a.peers)):
                names = ", ".join(peer_name(g, p) for p in s.pinned.peer_ids)
                out.append(
                    self.v(f"“{s.title}” is pinned at {day_name(s.pinned.day)} {s.pinned.start} with {names}", sid)
                )
        return out


class DoubleBooking(Rule):
    code, label = "double_booking", "Nobody is double-booked"

    def build(self, m) -> None:
        for lists in (m.peer_block, m.peer_lunch, m.part_iv, m.room_iv):
            for ivs in lists.values():
                if len(ivs) > 1:
                    m.model.AddNoOverlap(ivs)

    def check(self, g: Grid, placed: dict[str, Placed]) -> list[Violation]:
        out = []
        items = sorted(placed.values(), key=lambda a: a.start)
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if b.start >= a.end:
                    break
                clash = [f"Peer {peer_name(g, p)}" for p in sorted(set(a.peers) & set(b.peers))]
                clash += [
                    g.participant[p].name
                    for p in sorted(set(a.session.participant_ids) & set(b.session.participant_ids))
                ]
                if a.room and a.room == b.room:
                    clash.append(f"Room {g.room[a.room].name}")
                for who in clash:
                    when = g.describe(max(a.start, b.start), min(a.end, b.end))
                    out.append(
                        self.v(
                            f"{who} is double-booked on {when} ({_titles(g, a.session.id, b.session.id)})",
                            a.session.id,
                            b.session.id,
                        )
                    )
        return out


# ---------------------------------------------------------------------------------------------
# Soft rules: ``build`` returns an unweighted linear term; ``penalty`` computes the same number.
# ---------------------------------------------------------------------------------------------
class Soft(Rule):
    hard = False

    def weight(self, p: Problem) -> int:
        return getattr(p.weights, self.code)


def _pair_sessions(g: Grid):
    return [s for s in g.p.sessions if not g.is_team(s) and g.needed(s) >= 2]


def _same_background(g: Grid, p: str, q: str) -> bool:
    a, b = g.peer[p], g.peer[q]
    return bool((a.role and a.role == b.role) or (a.organisation and a.organisation == b.organisation))


class PairMix(Soft):
    code, label = "pair_mix", "Peers who work together come from different roles and organisations"

    def build(self, m):
        g = m.g
        terms = []
        for s in _pair_sessions(g):
            for p, q in itertools.combinations(sorted(m.x[s.id]), 2):
                if _same_background(g, p, q):
                    terms.append(m.both(s.id, p, q))
        return sum(terms)

    def penalty(self, g: Grid, placed: dict[str, Placed]):
        total, notes = 0, []
        for s in _pair_sessions(g):
            a = placed.get(s.id)
            for p, q in itertools.combinations(sorted(a.peers) if a else (), 2):
                if p in g.peer and q in g.peer and _same_background(g, p, q):
                    total += 1
                    notes.append(
                        self.v(f"{peer_name(g, p)} and {peer_name(g, q)} share a background in “{s.title}”", s.id)
                    )
        return total, notes


class PairRotation(Soft):
    code, label = "pair_rotation", "The same two peers are not paired too often"

    def build(self, m):
        g = m.g
        together = defaultdict(list)
        for s in _pair_sessions(g):
            bs = []
            for p, q in itertools.combinations(sorted(m.x[s.id]), 2):
                bs.append(m.both(s.id, p, q))
                together[p, q].append(bs[-1])
            # A session with k peers has exactly k(k-1)/2 pairs: a valid cut that makes each
            # "both" literal exact and tightens the bound a great deal.
            k = g.needed(s)
            m.model.Add(sum(bs) == k * (k - 1) // 2)
        terms = []
        for (p, q), bs in together.items():
            if len(bs) > g.p.pair_repeat_limit:
                extra = m.model.NewIntVar(0, len(bs), f"extra_{p}_{q}")
                m.model.Add(extra >= sum(bs) - g.p.pair_repeat_limit)
                terms.append(extra)
        return sum(terms)

    def penalty(self, g: Grid, placed: dict[str, Placed]):
        together = defaultdict(list)
        for s in _pair_sessions(g):
            a = placed.get(s.id)
            for p, q in itertools.combinations(sorted(a.peers) if a else (), 2):
                together[p, q].append(s.id)
        total, notes = 0, []
        for (p, q), sids in sorted(together.items()):
            if len(sids) > g.p.pair_repeat_limit:
                total += len(sids) - g.p.pair_repeat_limit
                notes.append(self.v(f"{peer_name(g, p)} and {peer_name(g, q)} work together {len(sids)} times", *sids))
        return total, notes


class WorkloadBalance(Soft):
    code, label = (
        "workload_balance",
        (
            "Workload is balanced across peers (15-minute units by which the busiest peer's session time exceeds "
            "the quietest's, beyond the tolerance)"
        ),
    )

    def build(self, m):
        g = m.g
        loads = []
        for p in g.p.peers:
            loads.append(sum(m.x[s.id][p.id] * s.slots for s in g.p.sessions if not g.is_team(s) and p.id in m.x[s.id]))
        if len(loads) < 2:
            return 0
        top = sum(s.slots for s in g.p.sessions)
        hi, lo = m.model.NewIntVar(0, top, "load_max"), m.model.NewIntVar(0, top, "load_min")
        for load in loads:
            m.model.Add(hi >= load)
            m.model.Add(lo <= load)
        # Loads always sum to the total work, so the busiest has at least the mean and the quietest
        # at most the mean: implied, but it lifts the LP bound.
        work = sum(g.needed(s) * s.slots for s in g.p.sessions if not g.is_team(s))
        m.model.Add(hi * len(loads) >= work)
        m.model.Add(lo * len(loads) <= work)
        tolerance = g.p.balance_tolerance_minutes // SLOT
        if not tolerance:
            return hi - lo
        over = m.model.NewIntVar(0, top, "load_over")
        m.model.Add(over >= hi - lo - tolerance)
        return over

    def penalty(self, g: Grid, placed: dict[str, Placed]):
        load = dict.fromkeys(g.peer, 0)
        for a in placed.values():
            if not g.is_team(a.session):
                for p in a.peers:
                    if p in load:
                        load[p] += a.session.slots
        if len(load) < 2:
            return 0, []
        spread = max(load.values()) - min(load.values())
        over = max(0, spread - g.p.balance_tolerance_minutes // SLOT)
        busiest = max(load, key=load.get)
        quietest = min(load, key=load.get)
        note = (
            f"{peer_name(g, busiest)} has {load[busiest] * SLOT} minutes of sessions and "
            f"{peer_name(g, quietest)} has {load[quietest] * SLOT}"
        )
        return over, [self.v(note)] if over else []


def _early_late_build(m, groups: dict[str, list]):
    g = m.g
    terms = []
    for sids in groups.values():
        for days in (g.early_days, g.late_days):
            hits = [b for sid in sids for d, b in m.dayb[sid].items() if d in days]
            heard = m.model.NewBoolVar("")
            m.model.Add(heard <= sum(hits))
            terms.append(1 - heard)
    return sum(terms)


def _early_late_penalty(rule, g: Grid, placed, groups: dict[str, list], what):
    total, notes = 0, []
    for key, sids in sorted(groups.items()):
        days = {placed[s].day for s in sids if s in placed}
        for when, wanted in (("early in the week", g.early_days), ("later in the week", g.late_days)):
            if not days & wanted:
                total += 1
                notes.append(rule.v(f"{what(key)} is not heard {when}", *sids))
    return total, notes


class LoeEarlyAndLate(Soft):
    code, label = "loe_early_and_late", "Each line of enquiry is heard early in the week and again later"

    def groups(self, g: Grid):
        out = defaultdict(list)
        for s in g.p.sessions:
            for loe in s.lines_of_enquiry:
                out[loe].append(s.id)
        return out

    def build(self, m):
        return _early_late_build(m, self.groups(m.g))

    def penalty(self, g, placed):
        return _early_late_penalty(self, g, placed, self.groups(g), lambda k: f"The line of enquiry “{k}”")


class SeniorEarlyAndLate(Soft):
    code, label = "senior_early_and_late", "Senior leaders are heard early in the week and again near the end"

    def groups(self, g: Grid):
        out = defaultdict(list)
        for s in g.p.sessions:
            for pid in s.participant_ids:
                if g.participant[pid].is_senior_leader:
                    out[pid].append(s.id)
        return out

    def build(self, m):
        return _early_late_build(m, self.groups(m.g))

    def penalty(self, g, placed):
        return _early_late_penalty(self, g, placed, self.groups(g), lambda k: g.participant[k].name)


class CasesBeforeInterviews(Soft):
    code, label = "cases_before_interviews", "Case discussions come before the interviews that test them"

    def pairs(self, g: Grid):
        cases = [s for s in g.p.sessions if s.kind == "case_discussion"]
        for i in g.p.sessions:
            if i.kind == "interview":
                for c in cases:
                    if c.lines_of_enquiry & i.lines_of_enquiry:
                        yield c, i

    def build(self, m):
        terms = []
        for c, i in self.pairs(m.g):
            late = m.model.NewBoolVar("")
            m.model.Add(m.start[i.id] >= m.end[c.id]).OnlyEnforceIf(late.Not())
            terms.append(late)
        return sum(terms)

    def penalty(self, g, placed):
        total, notes = 0, []
        for c, i in self.pairs(g):
            if c.id in placed and i.id in placed and placed[i.id].start < placed[c.id].end:
                total += 1
                notes.append(self.v(f"“{i.title}” comes before the case discussion “{c.title}”", c.id, i.id))
        return total, notes


class IdleGaps(Soft):
    code, label = "idle_gaps", ("Few idle gaps in peers' days (15-minute units beyond lunch and the daily allowance)")

    def build(self, m):
        g = m.g
        allowance = g.p.idle_allowance_minutes // SLOT
        terms = []
        for p in g.p.peers:
            for d in range(len(g.days)):
                zs = [(s, m.z(s.id, p.id, d)) for s in g.p.sessions if p.id in m.x[s.id]]
                zs = [(s, z) for s, z in zs if z is not None]
                if len(zs) < 2:
                    continue
                lo, hi = g.day_window(d)
                first, last = m.model.NewIntVar(lo, hi, ""), m.model.NewIntVar(lo, hi, "")
                m.model.Add(first <= last)
                for s, z in zs:
                    m.model.Add(first <= m.start[s.id]).OnlyEnforceIf(z)
                    m.model.Add(last >= m.end[s.id]).OnlyEnforceIf(z)
                idle = m.model.NewIntVar(0, hi - lo, "")
                m.model.Add(idle >= last - first - sum(z * s.slots for s, z in zs) - g.lunch_slots - allowance)
                terms.append(idle)
        return sum(terms)

    def penalty(self, g, placed):
        total, notes = 0, []
        for (pid, d), items in sorted(_peer_days(placed).items()):
            span = max(a.end for a in items) - min(a.start for a in items)
            idle = max(0, span - sum(a.end - a.start for a in items) - g.lunch_slots)
            over = max(0, idle - g.p.idle_allowance_minutes // SLOT)
            if over:
                total += over
                extra = f", {over * SLOT} more than the daily allowance" if over < idle else ""
                notes.append(
                    self.v(f"Peer {peer_name(g, pid)} has {idle * SLOT} idle minutes on {day_name(g.days[d])}{extra}")
                )
        return total, notes


class YoungPeopleAfterSchool(Soft):
    code, label = "young_people_after_school", "Sessions with young people are after 15:30, out of school hours"

    def build(self, m):
        g = m.g
        terms = []
        for sid in sorted(g.young):
            ok = m.model.NewBoolVar("")
            tod = m.start[sid] - sum(b * d * SLOTS_PER_DAY for d, b in m.dayb[sid].items())
            m.model.Add(tod >= g.after_school).OnlyEnforceIf(ok)
            terms.append(1 - ok)
        return sum(terms)

    def penalty(self, g, placed):
        total, notes = 0, []
        for sid in sorted(g.young):
            a = placed.get(sid)
            if a and a.start % SLOTS_PER_DAY < g.after_school:
                total += 1
                notes.append(self.v(f"“{g.session[sid].title}” with young people is during school hours", sid))
        return total, notes


# Order matters for ``build``: WithinDay creates day links others use; DoubleBooking adds the
# NoOverlap constraints over the intervals the earlier rules collected.
HARD_RULES: tuple[Rule, ...] = (
    WithinDay(),
    PeersNeeded(),
    OwnOrganisation(),
    Rooms(),
    Availability(),
    LunchBreak(),
    TravelBuffer(),
    DailyCap(),
    FixedEvents(),
    PinnedSessions(),
    DoubleBooking(),
)
SOFT_RULES: tuple[Soft, ...] = (
    PairMix(),
    PairRotation(),
    WorkloadBalance(),
    LoeEarlyAndLate(),
    SeniorEarlyAndLate(),
    CasesBeforeInterviews(),
    IdleGaps(),
    YoungPeopleAfterSchool(),
)
RULES = {r.code: r for r in (*HARD_RULES, *SOFT_RULES)}


def placements(g: Grid, timetable: Timetable) -> tuple[dict[str, Placed], list[Violation]]:
    """Turn a timetable into slots, reporting sessions missing, unknown or on unknown days."""
    placed, out = {}, []
    for a in timetable.assignments:
        s = g.session.get(a.session_id)
        if s is None:
            out.append(Violation("complete", "Every session is timetabled once", f"Unknown session {a.session_id!r}"))
            continue
        if a.day not in g.day_index:
            out.append(Violation("within_day", WithinDay.label, f"“{s.title}” is on {a.day}, not a day of the review"))
            continue
        start = g.slot(a.day, a.start)
        placed[s.id] = Placed(s, start, start + s.slots, tuple(a.peer_ids), a.room_id)
    for s in g.p.sessions:
        if s.id not in placed:
            out.append(
                Violation("complete", "Every session is timetabled once", f"“{s.title}” is not timetabled", (s.id,))
            )
    return placed, out


def check(problem: Problem, timetable: Timetable, *, soft: bool = False) -> list[Violation]:
    """Check a timetable against every hard rule (and, with ``soft=True``, note soft-rule costs).

    Parameters
    ----------
    problem
        The problem the timetable is for.
    timetable
        A timetable from the solver or edited by hand.
    soft
        Also return notes for soft rules that are charged a penalty.

    Returns
    -------
    list of Violation
        Empty when every hard rule holds (and ``soft`` is false).
    """
    g = Grid(problem)
    placed, out = placements(g, timetable)
    for rule in HARD_RULES:
        out += rule.check(g, placed)
    if soft:
        for rule in SOFT_RULES:
            out += rule.penalty(g, placed)[1]
    return out


def score(problem: Problem, timetable: Timetable) -> tuple[int, dict[str, int]]:
    """Weighted soft penalty of a timetable (lower is better) and its split by rule.

    The greedy baseline and CP-SAT results are both scored with this function.
    """
    g = Grid(problem)
    placed, _ = placements(g, timetable)
    by_rule = {r.code: r.weight(problem) * r.penalty(g, placed)[0] for r in SOFT_RULES}
    return sum(by_rule.values()), by_rule
