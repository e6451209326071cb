"""The CP-SAT model context that the rules in :mod:`.rules` build on.

Formulation: one start variable per session (domain: start slots inside the working days), one
fixed-size interval per session, one Boolean ``x[s][p]`` per eligible peer with an optional
interval sharing the session's start, and ``y[s][r]`` per candidate room for in-person sessions.
Peers, participants and rooms each get ``NoOverlap`` constraints. This has O(sessions × peers)
variables, which scales to 150 sessions and 10 peers, unlike a time-indexed model.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .grid import Grid
from .problem import Problem, Timetable
from .rules import HARD_RULES, SOFT_RULES


class Model:
    """Variables and helpers for one CP-SAT model of a problem.

    Parameters
    ----------
    problem
        The problem.
    explain
        Put each hard-rule family per entity behind an assumption literal (see ``lit``), so that an
        infeasible model can be explained with ``sufficient_assumptions_for_infeasibility``.
    """

    def __init__(self, problem: Problem, *, explain: bool = False, frozen: Timetable | None = None):
        self.g = g = Grid(problem)
        # Sessions frozen to an earlier assignment get constants instead of variables (repair).
        self.frozen = frozen.by_session() if frozen is not None else {}
        self.model = cp_model.CpModel()
        self.explain = explain
        self.assumptions: dict[tuple, cp_model.IntVar] = {}
        self.true = self.model.NewConstant(1)
        self.start: dict[str, cp_model.IntVar] = {}
        self.end: dict[str, cp_model.LinearExprT] = {}
        self.dayb: dict[str, dict[int, cp_model.IntVar]] = {}
        self.x: dict[str, dict[str, cp_model.IntVar]] = {}
        self.room_y: dict[str, dict[str, cp_model.IntVar]] = {}
        self.peer_block = defaultdict(list)
        self.peer_lunch = defaultdict(list)
        self.part_iv = defaultdict(list)
        self.room_iv = defaultdict(list)
        self.lunch_start: dict[tuple[str, int], cp_model.IntVar] = {}
        self._z: dict[tuple, cp_model.IntVar | None] = {}
        self._both: dict[tuple, cp_model.IntVar] = {}
        for s in problem.sessions:
            self._add_session(g, s)
        for rule in HARD_RULES:
            rule.build(self)
        self.terms = {r.code: r.build(self) for r in SOFT_RULES if r.weight(problem)}
        self.objective = sum(r.weight(problem) * self.terms[r.code] for r in SOFT_RULES if r.code in self.terms)
        self.model.Minimize(self.objective)

    def _add_session(self, g: Grid, s) -> None:
        m = self.model
        if s.id in self.frozen:
            self._add_frozen(g, s, self.frozen[s.id])
            return
        ranges = g.allowed_starts(s)
        start = m.NewIntVarFromDomain(cp_model.Domain.FromIntervals([list(r) for r in ranges]), f"start_{s.id}")
        self.start[s.id] = start
        self.end[s.id] = start + s.slots
        iv = m.NewFixedSizeIntervalVar(start, s.slots, f"iv_{s.id}")
        days = [lo // 96 for lo, _ in ranges]
        self.dayb[s.id] = {d: self.true for d in days} if len(days) == 1 else {d: m.NewBoolVar("") for d in days}
        forced = g.forced_peers(s) if s.all_peers else set()
        xs = {}
        for pid in g.eligible(s):
            xs[pid] = self.true if pid in forced else m.NewBoolVar(f"x_{s.id}_{pid}")
            piv = iv if pid in forced else m.NewOptionalFixedSizeIntervalVar(start, s.slots, xs[pid], "")
            self.peer_block[pid].append(piv)
            self.peer_lunch[pid].append(piv)
        self.x[s.id] = xs
        for pid in dict.fromkeys(s.participant_ids):
            self.part_iv[pid].append(iv)
        if s.mode == "in_person":
            ys = {r: (self.true if len(s.room_ids) == 1 else m.NewBoolVar("")) for r in dict.fromkeys(s.room_ids)}
            for r, y in ys.items():
                self.room_iv[r].append(m.NewOptionalFixedSizeIntervalVar(start, s.slots, y, ""))
            self.room_y[s.id] = ys

    def _add_frozen(self, g: Grid, s, a) -> None:
        m = self.model
        at = g.slot(a.day, a.start)
        start = m.NewConstant(at)
        self.start[s.id] = start
        self.end[s.id] = start + s.slots
        iv = m.NewFixedSizeIntervalVar(start, s.slots, f"iv_{s.id}")
        self.dayb[s.id] = {at // 96: self.true}
        self.x[s.id] = dict.fromkeys(a.peer_ids, self.true)
        for pid in a.peer_ids:
            self.peer_block[pid].append(iv)
            self.peer_lunch[pid].append(iv)
        for pid in dict.fromkeys(s.participant_ids):
            self.part_iv[pid].append(iv)
        if s.mode == "in_person":
            self.room_y[s.id] = {a.room_id: self.true}
            self.room_iv[a.room_id].append(iv)

    def lit(self, key: tuple):
        """The assumption literal guarding a hard-rule family for one entity (always true unless explaining)."""
        if not self.explain:
            return self.true
        if key not in self.assumptions:
            self.assumptions[key] = self.model.NewBoolVar(repr(key))
        return self.assumptions[key]

    def z(self, sid: str, pid: str, d: int):
        """Literal: peer ``pid`` sits in session ``sid`` on day ``d`` (None if impossible)."""
        key = (sid, pid, d)
        if key not in self._z:
            b = self.dayb[sid].get(d)
            x = self.x[sid].get(pid)
            if b is None or x is None:
                self._z[key] = None
            elif x is self.true or b is self.true:
                self._z[key] = b if x is self.true else x
            else:
                z = self.model.NewBoolVar("")
                self.model.AddImplication(z, x)
                self.model.AddImplication(z, b)
                self.model.AddBoolOr([z, x.Not(), b.Not()])
                self._z[key] = z
        return self._z[key]

    def both(self, sid: str, p: str, q: str):
        """Literal at least as large as "peers p and q both sit in session sid"."""
        key = (sid, p, q)
        if key not in self._both:
            b = self.model.NewBoolVar("")
            self.model.AddBoolOr([b, self.x[sid][p].Not(), self.x[sid][q].Not()])
            self._both[key] = b
        return self._both[key]

    def add_hint(self, timetable: Timetable) -> None:
        g = self.g
        for a in timetable.assignments:
            s = g.session.get(a.session_id)
            if s is None or a.day not in g.day_index or s.id in self.frozen:
                continue
            start = g.slot(a.day, a.start)
            self.model.AddHint(self.start[s.id], start)
            for d, b in self.dayb[s.id].items():
                if b is not self.true:
                    self.model.AddHint(b, d == start // 96)
            for pid, x in self.x[s.id].items():
                if x is not self.true:
                    self.model.AddHint(x, pid in a.peer_ids)
            for r, y in self.room_y.get(s.id, {}).items():
                if y is not self.true:
                    self.model.AddHint(y, r == a.room_id)

    def complete_hint(self, timetable: Timetable, time_limit: float = 1.0) -> bool:
        """Hint a full solution: fix the timetable's decisions in a copy of the model, let CP-SAT
        fill in lunches and auxiliary variables, and hint every variable with the result.

        CP-SAT takes a complete, feasible hint as its first solution at once; a partial hint often
        isn't completed quickly on large models. Returns False (leaving only the partial hint) if the
        timetable breaks a hard rule.
        """
        self.add_hint(timetable)
        copy = self.model.Clone()
        copy.ClearHints()
        g = self.g
        for a in timetable.assignments:
            s = g.session.get(a.session_id)
            if s is None or a.day not in g.day_index:
                return False
            copy.Add(copy.GetIntVarFromProtoIndex(self.start[s.id].Index()) == g.slot(a.day, a.start))
            for pid, x in self.x[s.id].items():
                if x is not self.true:
                    copy.Add(copy.GetIntVarFromProtoIndex(x.Index()) == int(pid in a.peer_ids))
            for r, y in self.room_y.get(s.id, {}).items():
                if y is not self.true:
                    copy.Add(copy.GetIntVarFromProtoIndex(y.Index()) == int(r == a.room_id))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_probing_level = 0
        if solver.Solve(copy) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        values = solver.ResponseProto().solution
        self.model.ClearHints()
        for i in range(len(self.model.Proto().variables)):
            self.model.AddHint(self.model.GetIntVarFromProtoIndex(i), values[i])
        return True

    def timetable(self, value) -> Timetable:
        """Read a timetable using ``value(var)`` (a solver's or a callback's ``Value``)."""
        g = self.g
        out = []
        for s in g.p.sessions:
            peers = [p for p, x in self.x[s.id].items() if value(x)]
            room = next((r for r, y in self.room_y.get(s.id, {}).items() if value(y)), None)
            out.append(g.to_assignment(s, value(self.start[s.id]), peers, room))
        return Timetable(tuple(out))
