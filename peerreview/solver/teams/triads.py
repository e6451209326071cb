"""DCS triad rotation for a region: each council hosts, leads and observes once a year."""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from .problem import ProblemError


@dataclass(frozen=True)
class Triad:
    """One challenge: ``lead`` and ``observer`` DCSs visit ``host``."""

    host: str
    lead: str
    observer: str

    @property
    def members(self) -> tuple[str, str, str]:
        return (self.host, self.lead, self.observer)


@dataclass(frozen=True)
class TriadProblem:
    """A region's councils, last year's triads and pairs that must not meet.

    Attributes
    ----------
    councils
        Council codes (at least 3, unique).
    last_year
        Last year's triads; any two councils that met in one must not meet again this year.
    conflicts
        Pairs of councils that must never be in the same triad.
    """

    councils: tuple[str, ...]
    last_year: tuple[Triad, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "councils", tuple(self.councils))
        object.__setattr__(self, "last_year", tuple(t if isinstance(t, Triad) else Triad(*t) for t in self.last_year))
        object.__setattr__(self, "conflicts", tuple(tuple(c) for c in self.conflicts))
        errors = []
        seen = set()
        for i, c in enumerate(self.councils):
            if c in seen:
                errors.append(f"councils[{i}]: {c!r} listed twice; list each council once")
            seen.add(c)
        for i, t in enumerate(self.last_year):
            if len(set(t.members)) != 3:
                errors.append(f"last_year[{i}]: host, lead and observer must be three different councils")
        for i, pair in enumerate(self.conflicts):
            if len(pair) != 2 or pair[0] == pair[1]:
                errors.append(f"conflicts[{i}]: {pair!r} must be two different council codes")
            elif not set(pair) <= seen:
                errors.append(f"conflicts[{i}]: {pair!r} names a council not in councils")
        if errors:
            raise ProblemError(errors)


@dataclass(frozen=True)
class TriadResult:
    """Outcome of :func:`solve_triads`.

    Attributes
    ----------
    status
        ``"optimal"``, ``"feasible"``, ``"infeasible"`` or ``"unknown"``.
    triads
        One triad per council, in ``councils`` order of host.
    repeats
        Pairs of councils meeting more than once this year (the soft rule).
    message
        Why no rotation exists, when infeasible.
    """

    status: str
    triads: tuple[Triad, ...] = ()
    repeats: int = 0
    message: str = ""
    runtime_seconds: float = 0.0


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _forbidden(problem: TriadProblem, use_last_year: bool = True, use_conflicts: bool = True) -> set:
    out = set()
    if use_last_year:
        for t in problem.last_year:
            out.update(_pair(a, b) for a, b in combinations(t.members, 2))
    if use_conflicts:
        out.update(_pair(*c) for c in problem.conflicts)
    return out


def _solve(problem: TriadProblem, forbidden: set, time_limit: float, workers: int, seed: int):
    cs = problem.councils
    n = len(cs)
    m = cp_model.CpModel()
    # triad t is hosted by council t: hosting once each is then built in (and breaks symmetry)
    lead = {(t, c): m.new_bool_var(f"lead[{t},{c}]") for t in range(n) for c in range(n) if c != t}
    obs = {(t, c): m.new_bool_var(f"obs[{t},{c}]") for t in range(n) for c in range(n) if c != t}
    for t in range(n):
        m.add_exactly_one(lead[t, c] for c in range(n) if c != t)
        m.add_exactly_one(obs[t, c] for c in range(n) if c != t)
    for c in range(n):
        m.add_exactly_one(lead[t, c] for t in range(n) if t != c)
        m.add_exactly_one(obs[t, c] for t in range(n) if t != c)
    for t in range(n):
        for c in range(n):
            if c != t:
                m.add(lead[t, c] + obs[t, c] <= 1)
                if _pair(cs[t], cs[c]) in forbidden:
                    m.add(lead[t, c] == 0)
                    m.add(obs[t, c] == 0)
    meets: dict[tuple[int, int], list] = {}
    for t in range(n):
        for c in range(n):
            if c == t:
                continue
            # lead + obs <= 1, so this sum is 1 exactly when c is in t's triad
            meets.setdefault((min(t, c), max(t, c)), []).append(lead[t, c] + obs[t, c])
            for d in range(n):
                if d in (t, c):
                    continue
                if _pair(cs[c], cs[d]) in forbidden:
                    m.add(lead[t, c] + obs[t, d] <= 1)
                else:
                    # only the lower bound matters: repeats are minimised
                    both = m.new_bool_var(f"meet[{t},{c},{d}]")
                    m.add(both >= lead[t, c] + obs[t, d] - 1)
                    meets.setdefault((min(c, d), max(c, d)), []).append(both)
    repeats = []
    for key, vs in meets.items():
        if len(vs) > 1:
            r = m.new_int_var(0, len(vs) - 1, f"repeat{key}")
            m.add(r >= sum(vs) - 1)
            repeats.append(r)
    m.minimize(sum(repeats))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ("infeasible" if code == cp_model.INFEASIBLE else "unknown"), (), 0
    triads = []
    for t in range(n):
        ld = next(c for c in range(n) if c != t and solver.boolean_value(lead[t, c]))
        ob = next(c for c in range(n) if c != t and solver.boolean_value(obs[t, c]))
        triads.append(Triad(cs[t], cs[ld], cs[ob]))
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return status, tuple(triads), round(solver.objective_value)


def solve_triads(problem: TriadProblem, *, time_limit: float = 10.0, workers: int = 2, seed: int = 0) -> TriadResult:
    """Form this year's triads for a region.

    Hard rules: each council hosts, leads and observes exactly once; a triad's three
    councils are distinct; pairs that met in any triad last year do not meet; conflicts
    are respected. Soft rule: avoid the same pair meeting twice this year.

    Returns
    -------
    TriadResult
        With a message naming the binding rule when no rotation exists.
    """
    start = time.perf_counter()
    n = len(problem.councils)
    if n < 3:
        return TriadResult("infeasible", message=f"A triad needs at least 3 councils; the region has {n}.")
    forbidden = _forbidden(problem)
    for c in problem.councils:
        allowed = [d for d in problem.councils if d != c and _pair(c, d) not in forbidden]
        if len(allowed) < 2:
            met = sorted(d for d in problem.councils if d != c and _pair(c, d) in _forbidden(problem, True, False))
            clash = sorted(d for d in problem.councils if d != c and _pair(c, d) in _forbidden(problem, False, True))
            return TriadResult(
                "infeasible",
                message=(
                    f"{c} cannot be in a triad: it met {', '.join(met) or 'no one'} last year and has conflicts with "
                    f"{', '.join(clash) or 'no one'}, leaving {len(allowed)} of {n - 1} councils it may meet "
                    "(it needs at least 2). Allow a repeat pairing or drop a conflict."
                ),
                runtime_seconds=time.perf_counter() - start,
            )
    for t in problem.last_year:
        # three councils that may not meet each sit in 3 triads of their own: 9 distinct triads
        if set(t.members) <= set(problem.councils) and n < 9:
            return TriadResult(
                "infeasible",
                message=(
                    f"{', '.join(t.members)} met last year, so none of them may share a triad: they need 9 separate "
                    f"triads (3 each), but {n} councils give only {n}. Allow repeat pairings or add councils."
                ),
                runtime_seconds=time.perf_counter() - start,
            )
    status, triads, repeats = _solve(problem, forbidden, time_limit, workers, seed)
    if status != "infeasible":
        return TriadResult(status, triads, repeats, runtime_seconds=time.perf_counter() - start)
    # say which rule binds: try each family of constraints on its own
    without_last, _, _ = _solve(problem, _forbidden(problem, False, True), time_limit, workers, seed)
    without_conf, _, _ = _solve(problem, _forbidden(problem, True, False), time_limit, workers, seed)
    n_pairs = len(_forbidden(problem, True, False))
    if without_last in ("optimal", "feasible"):
        why = f"the {n_pairs} pairings from last year rule out every rotation; allow some pairs to meet again"
    elif without_conf in ("optimal", "feasible"):
        why = f"the {len(problem.conflicts)} conflicts rule out every rotation; review the conflicts"
    else:
        why = (
            f"last year's {n_pairs} pairings and the {len(problem.conflicts)} conflicts together leave too few "
            "councils to meet; allow some repeat pairings"
        )
    return TriadResult(
        "infeasible", message=f"No rotation for {n} councils: {why}.", runtime_seconds=time.perf_counter() - start
    )
