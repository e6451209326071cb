"""Solving, repairing and explaining timetables with CP-SAT."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .greedy import greedy_timetable
from .grid import Grid
from .problem import SLOT, SLOTS_PER_DAY, Problem, Timetable, day_name
from .rules import SOFT_RULES, Violation, check, score

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Result:
    """The outcome of a solve.

    ``objective`` is the weighted soft penalty from :func:`~.rules.score` (lower is better), ``bound``
    a proven lower bound on it (None for greedy), ``gap`` the relative gap ``(objective - bound) /
    objective``. ``moved`` lists sessions a repair moved.
    """

    status: str
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    timetable: Timetable = field(default_factory=Timetable)
    score_by_rule: dict[str, int] = field(default_factory=dict)
    violations: tuple[Violation, ...] = ()
    explanation: tuple[str, ...] = ()
    first_feasible_seconds: float | None = None
    runtime_seconds: float = 0.0
    moved: tuple[str, ...] = ()


def _notes(problem: Problem) -> list[str]:
    return [
        f"“{s.title}” lasts {s.minutes} minutes; the timetable books {s.slots * SLOT} "
        "(rounded up to the 15-minute grid)."
        for s in problem.sessions
        if s.minutes % SLOT
    ]


def greedy(problem: Problem) -> Result:
    """The greedy baseline, scored with the same :func:`~.rules.score` as CP-SAT.

    Returns
    -------
    Result
        ``status`` is ``"feasible"`` if every session was placed without breaking a hard rule,
        otherwise ``"unknown"`` with the missing sessions in ``explanation``.
    """
    t0 = time.perf_counter()
    g = Grid(problem)
    tt, missing = greedy_timetable(g)
    violations = tuple(check(problem, tt))
    objective, by_rule = score(problem, tt)
    ok = not violations
    took = time.perf_counter() - t0
    return Result(
        status="feasible" if ok else "unknown",
        objective=objective if ok else None,
        timetable=tt,
        score_by_rule=by_rule,
        violations=violations,
        explanation=tuple(
            _notes(problem) + [f"The greedy builder could not place “{g.session[s].title}”." for s in missing]
        ),
        first_feasible_seconds=took if ok else None,
        runtime_seconds=took,
    )


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, m, t0: float, progress, rescore=None, target=None):
        super().__init__()
        self.m, self.t0, self.progress, self.rescore, self.target = m, t0, progress, rescore, target
        self.first: float | None = None
        self.best: Timetable | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.t0
        if self.first is None:
            self.first = now
        self.best = self.m.timetable(self.Value)
        if self.progress:
            value = self.rescore(self.best) if self.rescore else self.ObjectiveValue()
            self.progress(value, max(self.BestObjectiveBound(), self.target or 0), now)
        if self.target is not None and self.ObjectiveValue() <= self.target + 1e-6:
            self.StopSearch()  # meets a bound proven elsewhere: optimal


class SolverCrash(RuntimeError):
    """CP-SAT failed inside ``Solve`` twice in a row (a rare internal error, not a property of the problem)."""


def _solve_call(solver: cp_model.CpSolver, model: cp_model.CpModel, cb) -> int:
    """``solver.Solve``; a seam for tests to simulate an internal CP-SAT failure."""
    return solver.Solve(model, cb)


def _run(m, *, time_limit, workers, seed, **kw):
    """Solve ``m`` with CP-SAT (``kw`` as for ``_run_once``). If CP-SAT fails internally (seen once,
    rarely: ``IndexError: raw_hash_map::at`` from inside ``Solve``), retry once with another seed and
    a single worker; if that fails too, raise :class:`SolverCrash`."""
    deadline = time.perf_counter() + time_limit
    try:
        return _run_once(m, time_limit=time_limit, workers=workers, seed=seed, **kw)
    except Exception as first:  # any failure inside the native solver
        remaining = max(0.05, deadline - time.perf_counter())
        try:
            return _run_once(m, time_limit=remaining, workers=1, seed=seed + 1, **kw)
        except Exception as second:
            raise SolverCrash(
                f"{type(first).__name__}: {first}; on retry {type(second).__name__}: {second}"
            ) from second


def _params(solver: cp_model.CpSolver, *, time_limit, workers, seed) -> None:
    p = solver.parameters
    p.max_time_in_seconds = max(0.01, time_limit)
    p.num_workers = workers
    p.random_seed = seed
    # Probing in presolve costs seconds on 100+ sessions and rarely pays back here.
    p.cp_model_probing_level = 0


def _run_once(m, *, time_limit, workers, seed, progress, stop, t0, rescore=None, target=None, lns_only=False):
    solver = cp_model.CpSolver()
    _params(solver, time_limit=time_limit, workers=workers, seed=seed)
    # With a bound proven elsewhere, no worker needs to prove one: all of them search for timetables.
    solver.parameters.use_lns_only = lns_only and workers > 1
    cb = _Callback(m, t0, progress, rescore, target)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                solver.StopSearch()
                return

    watcher = threading.Thread(target=watch, daemon=True) if stop is not None else None
    if watcher:
        watcher.start()
    try:
        code = _solve_call(solver, m.model, cb)
    finally:
        done.set()
        if watcher:
            watcher.join()
    return solver, code, cb


def _finish(problem, status, tt, *, bound, first, t0, explanation=(), moved=()) -> Result:
    objective, by_rule = score(problem, tt)
    gap = None
    if bound is not None:
        bound = min(float(bound), float(objective))
        gap = 0.0 if objective == 0 else (objective - bound) / objective
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        timetable=tt,
        score_by_rule=by_rule,
        violations=tuple(check(problem, tt)),
        explanation=tuple(explanation),
        first_feasible_seconds=first,
        runtime_seconds=time.perf_counter() - t0,
        moved=tuple(moved),
    )


# Soft terms that make the model large and its bound weak. ``solve`` first solves without them:
# every soft term is 0 or more, so that relaxation's proven bound is a valid lower bound on the
# other terms, which is then added as a cut when solving the full model.
HEAVY = frozenset({"idle_gaps", "workload_balance"})


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    hint: Timetable | None = None,
    progress: Callable[[float, float, float], None] | None = None,
    stop: threading.Event | None = None,
) -> Result:
    """Solve a timetabling problem with CP-SAT.

    Parameters
    ----------
    problem
        A valid problem.
    time_limit
        Wall-clock limit in seconds (always passed to CP-SAT).
    workers, seed
        CP-SAT search workers and random seed. ``workers=1`` with a fixed seed is repeatable.
    hint
        A timetable to start from. Defaults to ``problem.previous`` or, failing that, the greedy
        timetable, so the first feasible timetable usually arrives at once.
    progress
        Called as ``progress(best_objective, bound, seconds)`` at each improving timetable.
    stop
        Setting this event stops the search; the best timetable so far is returned.

    Returns
    -------
    Result
        With ``status`` ``"infeasible"``, ``explanation`` says in words which people, fixed events,
        pins or caps clash. With ``"unknown"`` and a timetable, CP-SAT failed internally and the
        timetable is the greedy one (check ``violations``).

    Notes
    -----
    Two phases share the time limit. Phase 1 solves without the idle-gap and workload-balance
    terms (``HEAVY``) for at most half the time; its proven bound is a valid lower bound on the
    other terms and becomes a cut in phase 2, which solves the full model from phase 1's best
    timetable.
    """
    t0 = time.perf_counter()
    base = greedy(problem) if hint is None and problem.previous is None else None
    hint = hint or problem.previous or base.timetable
    notes = _notes(problem)
    try:
        return _solve(
            problem,
            base,
            hint,
            notes,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            progress=progress,
            stop=stop,
            t0=t0,
        )
    except SolverCrash as crash:
        base = base or greedy(problem)
        notes.append(
            "CP-SAT failed internally twice (" + str(crash) + "); this is the greedy timetable, not an "
            "optimised one. Try solving again."
        )
        if base.status != "feasible":
            notes += [line for line in base.explanation if line not in notes]
        return _finish(
            problem, "unknown", base.timetable, bound=None, first=base.first_feasible_seconds, t0=t0, explanation=notes
        )


def _solve(problem, base, hint, notes, *, time_limit, workers, seed, progress, stop, t0) -> Result:
    from .model import Model

    weights = {r.code: r.weight(problem) for r in SOFT_RULES}
    heavy = frozenset(c for c in HEAVY if weights[c])
    rest = frozenset(c for c, w in weights.items() if w and c not in HEAVY)
    lower, found, firsts = None, [], [base and base.first_feasible_seconds]
    code, phase1_optimal = None, False
    if heavy and rest:
        m1 = Model(problem, skip=heavy, symmetry=True)
        m1.complete_hint(hint, time_limit=min(1.0, max(0.1, time_limit * 0.1)))
        solver1, code, cb1 = _run(
            m1,
            time_limit=time_limit * 0.5,
            workers=workers,
            seed=seed,
            progress=progress,
            stop=stop,
            t0=t0,
            rescore=lambda tt: score(problem, tt)[0],
        )
        firsts.append(cb1.first)
        phase1_optimal = code == cp_model.OPTIMAL
        if cb1.best is not None:
            lower = solver1.BestObjectiveBound()
            found.append(cb1.best)
            hint = min((cb1.best, hint), key=lambda tt: _rank(problem, tt))
            if score(problem, cb1.best)[0] <= lower + 1e-6 or (stop is not None and stop.is_set()):
                return _best(problem, found, None, lower, firsts, notes, t0)
    if code != cp_model.INFEASIBLE:
        m = Model(problem, symmetry=True)
        if lower is not None:
            m.model.Add(m.part(rest) >= math.ceil(lower - 1e-6))
        m.complete_hint(hint)
        remaining = time_limit - (time.perf_counter() - t0)
        target = None if lower is None else math.ceil(lower - 1e-6)
        solver, code, cb = _run(
            m,
            time_limit=remaining,
            workers=workers,
            seed=seed,
            progress=progress,
            stop=stop,
            t0=t0,
            target=target,
            lns_only=target is not None and phase1_optimal,
        )
        firsts.append(cb.first)
        if cb.best is not None:
            found.append(cb.best)
            bound = solver.BestObjectiveBound()
            lower = bound if lower is None else max(lower, bound)
    if found:
        return _best(problem, found, code, lower, firsts, notes, t0)
    if base is not None and base.status == "feasible" and code != cp_model.INFEASIBLE:
        notes.append("CP-SAT found no timetable in the time allowed; this is the greedy timetable.")
        return _finish(
            problem, "feasible", base.timetable, bound=None, first=base.first_feasible_seconds, t0=t0, explanation=notes
        )
    status = STATUS[code]
    if status == "infeasible":
        notes += explain(problem, time_limit=max(1.0, time_limit - (time.perf_counter() - t0)), seed=seed)
    elif status == "unknown":
        notes.append("No timetable was found in the time allowed; try a longer time limit.")
    return Result(status=status, explanation=tuple(notes), runtime_seconds=time.perf_counter() - t0)


def _rank(problem, tt):
    return (bool(check(problem, tt)), score(problem, tt)[0])


def _best(problem, found, code, lower, firsts, notes, t0) -> Result:
    """The best timetable found, ``optimal`` if it meets the proven bound."""
    tt = min(found, key=lambda x: _rank(problem, x))
    objective = score(problem, tt)[0]
    proven = (code == cp_model.OPTIMAL and tt is found[-1]) or (lower is not None and objective <= lower + 1e-6)
    # A greedy timetable counts as the first feasible one too, whichever came first.
    first = min(x for x in firsts if x is not None)
    return _finish(problem, "optimal" if proven else "feasible", tt, bound=lower, first=first, t0=t0, explanation=notes)


# ---------------------------------------------------------------------------------------------
# Explanations
# ---------------------------------------------------------------------------------------------
def _free_words(g: Grid, intervals) -> str:
    blocked = g.unavailable(intervals)
    parts = []
    for d in range(len(g.days)):
        lo, hi = g.day_window(d)
        runs, run_start = [], None
        for t in range(lo, hi + 1):
            free = t < hi and not any(a <= t < b for a, b in blocked)
            if free and run_start is None:
                run_start = t
            if not free and run_start is not None:
                runs.append((run_start, t))
                run_start = None
        if runs == [(lo, hi)]:
            parts.append(f"all day {day_name(g.days[d])}")
        else:
            parts += [g.describe(a, b) for a, b in runs]
    return ", ".join(parts) if parts else "at no time"


def _session_words(g: Grid, sid: str) -> str:
    s = g.session[sid]
    start = g.fixed_start(s)
    when = g.describe(start, start + s.slots)
    if s.fixed:
        return f"“{s.title}” (fixed, {when})"
    names = ", ".join(g.peer[p].name for p in s.pinned.peer_ids)
    return f"“{s.title}” (pinned, {when}, with {names})"


def _key_words(g: Grid, key: tuple) -> str:
    if key[0] == "avail":
        item = {"peer": g.peer, "participant": g.participant, "room": g.room}[key[1]][key[2]]
        who = {"peer": "Peer ", "participant": "", "room": "Room "}[key[1]] + item.name
        return f"{who} is free only {_free_words(g, item.unavailable)}"
    if key[0] == "needs":
        s = g.session[key[1]]
        wants = sorted(s.required_peer_roles) + sorted(s.required_specialisms)
        return f"“{s.title}” needs {g.needed(s)} peer(s) covering {', '.join(wants)}"
    if key[0] == "cap":
        return f"Peer {g.peer[key[2]].name} may take at most {g.peer[key[2]].max_sessions_per_day} sessions a day"
    return _session_words(g, key[1])


def explain(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> list[str]:
    """Explain why a problem is infeasible, in words.

    Each hard-rule family per entity (availability of each peer, participant and room; each fixed
    event; each pinned session; each peer's daily cap) sits behind an assumption literal. CP-SAT's
    ``sufficient_assumptions_for_infeasibility`` gives a set of them that cannot all hold.
    """
    from .model import Model

    g = Grid(problem)
    m = Model(problem, explain=True)
    keys = list(m.assumptions)
    m.model.ClearObjective()
    m.model.AddAssumptions([m.assumptions[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    code = solver.Solve(m.model)
    shortfalls = [line for line in capacity_report(problem) if "short" in line]
    if code != cp_model.INFEASIBLE:
        return ["The timetable could not be completed; no single clash was found.", *shortfalls]
    by_index = {m.assumptions[k].Index(): k for k in keys}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    if not core:
        return [
            "The sessions cannot all fit, even ignoring availability, fixed events, pins and daily caps.",
            *shortfalls,
        ]
    people = [k for k in core if k[0] == "avail"]
    events = [k[1] for k in core if k[0] in ("fixed", "pinned")]
    if len(people) == 1 and events and len(core) == len(events) + 1:
        lead = _key_words(g, people[0])
        listed = [_session_words(g, sid) for sid in events]
        fill = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
        needs = [
            g.session[s.id].title
            for s in problem.sessions
            if people[0][2] in (*s.participant_ids, *s.room_ids, *g.forced_peers(s)) and s.id not in events
        ]
        tail = f", leaving no time for {', '.join(f'“{t}”' for t in needs)}" if needs else ""
        return [f"{lead}, which {fill} fill{'s' if len(listed) == 1 else ''}{tail}.", *shortfalls]
    return ["These cannot all hold together: " + "; ".join(_key_words(g, k) for k in core) + ".", *shortfalls]


# ---------------------------------------------------------------------------------------------
# Capacity
# ---------------------------------------------------------------------------------------------
def _peer_usable(g: Grid, pid: str, d: int, unit: int) -> int:
    """Slots peer ``pid`` has on day ``d`` for sessions of ``unit`` slots, after fixed events and lunch."""
    lo, hi = g.day_window(d)
    blocked = list(g.unavailable(g.peer[pid].unavailable))
    for s in g.p.sessions:
        start = g.fixed_start(s)
        if start is not None and start // SLOTS_PER_DAY == d and pid in g.forced_peers(s):
            blocked.append((start, start + s.slots))
    llo, lhi = g.lunch_window(d)
    fixed_lunch = lhi - llo == g.lunch_slots
    if fixed_lunch:
        blocked.append((llo, lhi))
    runs, run = [], 0
    for t in range(lo, hi + 1):
        if t < hi and not any(a <= t < b for a, b in blocked):
            run += 1
        else:
            runs.append(run)
            run = 0
    if not fixed_lunch and runs:
        runs[runs.index(max(runs))] = max(0, max(runs) - g.lunch_slots)
    return sum(r // unit * unit for r in runs)


def _hours(slots: float) -> str:
    value = slots * SLOT / 60
    return f"{value:g}"


def capacity_report(problem: Problem) -> list[str]:
    """Needed against available peer-hours, per day and per required role and specialism, in words.

    Available time is counted in whole sessions of the shortest flexible length, after
    unavailability, fixed events and lunch. A line containing "short" marks a shortfall.
    """
    g = Grid(problem)
    flexible = [s for s in problem.sessions if g.fixed_start(s) is None or s.pinned]
    unit = min((s.slots for s in flexible), default=1)
    n = len(problem.peers)
    per_day = [sum(_peer_usable(g, p.id, d, unit) for p in problem.peers) for d in range(len(g.days))]
    need_by_day = [0] * len(g.days)
    floating = 0
    for s in flexible:
        work = s.slots * g.needed(s)
        if s.pinned:
            need_by_day[g.fixed_start(s) // SLOTS_PER_DAY] += work
        elif len(g.allowed_starts(s)) == 1:
            need_by_day[g.allowed_starts(s)[0][0] // SLOTS_PER_DAY] += work
        else:
            floating += work
    lines = []
    what = "sessions" if len(g.days) == 1 else "pinned sessions"
    for d, date in enumerate(g.days):
        short = " – short" if need_by_day[d] > per_day[d] else ""
        lines.append(
            f"{day_name(date)}: {what} need {_hours(need_by_day[d])} peer-hours; {n} peers have "
            f"{_hours(per_day[d])} available after fixed events and lunch{short}"
        )
    total_need = sum(need_by_day) + floating
    if len(g.days) > 1:
        short = " – short" if total_need > sum(per_day) else ""
        lines.append(
            f"Whole week: sessions need {_hours(total_need)} peer-hours; "
            f"{n} peers have {_hours(sum(per_day))} available{short}"
        )
    for kind, wants in (("role", "required_peer_roles"), ("specialism", "required_specialisms")):
        for want in sorted({w for s in flexible for w in getattr(s, wants)}):
            need = sum(s.slots for s in flexible if want in getattr(s, wants))
            holders = [p for p in problem.peers if (p.role == want if kind == "role" else want in p.specialisms)]
            have = sum(_peer_usable(g, p.id, d, unit) for p in holders for d in range(len(g.days)))
            short = " – short" if need > have else ""
            lines.append(
                f"{kind.capitalize()} {want}: sessions need at least {_hours(need)} peer-hours; "
                f"the {len(holders)} peers with it have {_hours(have)} available{short}"
            )
    return lines


# ---------------------------------------------------------------------------------------------
# Repair
# ---------------------------------------------------------------------------------------------
def _keep_literals(m, previous: Timetable) -> dict[str, cp_model.IntVar]:
    g = m.g
    keep = {}
    for a in previous.assignments:
        s = g.session.get(a.session_id)
        if s is None:
            continue
        if s.id in m.frozen:
            keep[s.id] = m.true
            continue
        k = m.model.NewBoolVar(f"keep_{s.id}")
        keep[s.id] = k
        xs, ys = m.x[s.id], m.room_y.get(s.id, {})
        if a.day not in g.day_index or not set(a.peer_ids) <= set(xs) or (ys and a.room_id not in ys):
            m.model.Add(k == 0)
            continue
        m.model.Add(m.start[s.id] == g.slot(a.day, a.start)).OnlyEnforceIf(k)
        for pid, x in xs.items():
            m.model.Add(x == int(pid in a.peer_ids)).OnlyEnforceIf(k)
        for r, y in ys.items():
            m.model.Add(y == int(r == a.room_id)).OnlyEnforceIf(k)
    return keep


def _moved(previous: Timetable, tt: Timetable) -> tuple[str, ...]:
    before = previous.by_session()
    out = []
    for a in tt.assignments:
        b = before.get(a.session_id)
        if b is not None and (b.day, b.start, tuple(sorted(b.peer_ids)), b.room_id) != (
            a.day,
            a.start,
            tuple(sorted(a.peer_ids)),
            a.room_id,
        ):
            out.append(a.session_id)
    return tuple(out)


def _must_move(problem: Problem, previous: Timetable) -> tuple[set[str], int]:
    """Sessions in a broken hard rule, and a lower bound on the moves needed.

    Every broken rule needs at least one of its sessions to move; a rule broken by one session
    alone (availability, pins...) needs exactly that one to move.
    """
    known = {s.id for s in problem.sessions}
    broken = [v for v in check(problem, previous) if v.rule_code != "complete" and set(v.session_ids) <= known]
    alone = {v.session_ids[0] for v in broken if len(v.session_ids) == 1}
    pairs = [set(v.session_ids) for v in broken if len(v.session_ids) > 1 and not set(v.session_ids) & alone]
    lower = len(alone) + (1 if pairs else 0)
    return {sid for v in broken for sid in v.session_ids}, lower


def _neighbours(problem: Problem, previous: Timetable, ids: set[str]) -> set[str]:
    """``ids`` plus sessions on the same day sharing a peer, participant or room with one of them."""
    people = {s.id: s.participant_ids for s in problem.sessions}

    def keys(a) -> set[tuple[str, str]]:
        who = (*a.peer_ids, *people.get(a.session_id, ()), *([a.room_id] if a.room_id else []))
        return {(a.day, x) for x in who}

    by = previous.by_session()
    wanted = set().union(*(keys(by[sid]) for sid in ids if sid in by))
    return ids | {a.session_id for a in previous.assignments if keys(a) & wanted}


def repair(
    problem: Problem,
    previous: Timetable,
    *,
    time_limit: float = 5.0,
    workers: int = 2,
    seed: int = 0,
) -> Result:
    """Re-solve after a change, moving as few sessions as possible.

    Lexicographic: first minimise the number of sessions whose day, start, peers or room change
    (sessions added or removed don't count), then minimise the soft score with that many moves.
    Sessions are freed in widening rings: first only those breaking a hard rule in ``previous``
    under the changed problem (plus new sessions), then also their same-day neighbours sharing a
    peer, participant or room, then everything.

    Returns
    -------
    Result
        ``moved`` lists the sessions that changed; ``explanation`` says whether that is provably
        the fewest possible.
    """
    t0 = time.perf_counter()
    broken, lower = _must_move(problem, previous)
    rings = [broken, _neighbours(problem, previous, broken), None]
    last = None
    for i, free in enumerate(rings):
        remaining = time_limit - (time.perf_counter() - t0)
        if remaining <= 0.05:
            break
        budget = remaining if free is None else max(0.2, remaining / (len(rings) - i))
        try:
            last = _repair_within(problem, previous, free, lower, time_limit=budget, workers=workers, seed=seed, t0=t0)
        except SolverCrash as crash:
            return Result(
                status="unknown",
                explanation=(f"CP-SAT failed internally twice ({crash}); nothing was repaired. Try again.",),
                runtime_seconds=time.perf_counter() - t0,
            )
        if last.status in ("optimal", "feasible") or (last.status == "infeasible" and free is None):
            return last
    return last or Result(status="unknown", runtime_seconds=time.perf_counter() - t0)


def _repair_within(problem, previous, free, lower, *, time_limit, workers, seed, t0) -> Result:
    from .model import Model

    frozen = None
    if free is not None:
        frozen = Timetable(tuple(a for a in previous.assignments if a.session_id not in free))
    m = Model(problem, frozen=frozen)
    keep = _keep_literals(m, previous)
    moves = sum(1 - k for k in keep.values())
    m.model.Minimize(moves)
    m.add_hint(previous)
    solver, code, cb = _run(m, time_limit=time_limit * 0.5, workers=workers, seed=seed, progress=None, stop=None, t0=t0)
    if cb.best is None:
        status = STATUS[code]
        notes = []
        if status == "infeasible" and free is None:
            notes = explain(problem, time_limit=max(1.0, time_limit * 0.5), seed=seed)
        return Result(status=status, explanation=tuple(notes), runtime_seconds=time.perf_counter() - t0)
    fewest = round(solver.ObjectiveValue())
    first = cb.first
    m.model.ClearHints()
    m.add_hint(cb.best)
    m.model.Add(moves <= fewest)
    m.model.Minimize(m.objective)
    remaining = max(0.1, time_limit - (time.perf_counter() - t0))
    solver2, code2, cb2 = _run(m, time_limit=remaining, workers=workers, seed=seed, progress=None, stop=None, t0=t0)
    best = cb2.best or cb.best
    moved = _moved(previous, best)
    fewest_possible = code == cp_model.OPTIMAL and (free is None or len(moved) <= lower)
    words = [
        f"Moved {len(moved)} session{'s' if len(moved) != 1 else ''}"
        + (" (the fewest possible)." if fewest_possible else ".")
    ]
    proven = fewest_possible and code2 == cp_model.OPTIMAL and free is None
    return _finish(
        problem,
        "optimal" if proven else "feasible",
        best,
        bound=solver2.BestObjectiveBound() if cb2.best and free is None else None,
        first=first,
        t0=t0,
        explanation=_notes(problem) + words,
        moved=moved,
    )
