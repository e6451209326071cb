"""Team formation with OR-Tools CP-SAT, a greedy baseline, and plain-English explanations."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .problem import DISCIPLINES, ROLES, Peer, Problem, Review, Slot
from .rules import Reason, eligibility, person_conflicts
from .scoring import members_of, review_terms, score

STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Assignment:
    """One person in one team place, with the plain-English reasons they were chosen."""

    peer_id: str
    slot_code: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unfilled:
    """A required place left empty, with why."""

    review_id: str
    slot_code: str
    message: str


@dataclass(frozen=True)
class Result:
    """Outcome of :func:`solve` or :func:`greedy`.

    Attributes
    ----------
    status
        ``"optimal"`` (proven best), ``"feasible"`` (a plan, not proven best),
        ``"infeasible"`` (hard rules cannot all be met; see ``messages`` and ``unfilled``;
        ``teams`` then holds the best partial plan) or ``"unknown"`` (no plan found in time).
    objective, bound, gap
        Score of the returned plan (:func:`~.scoring.score`), the solver's proven upper
        bound, and ``(bound - objective) / max(1, |objective|)``.
    teams
        ``review_id -> assignments``.
    unfilled
        Required places left empty, each with a message naming the rule and role.
    explanations
        ``review_id -> sentences`` on why stronger-looking candidates were not chosen.
    messages
        Problem-wide diagnostics (why a single review cannot be staffed, broken pins).
    first_feasible_seconds, runtime_seconds, workers
        Timings (model build included) and the number of search workers.
    """

    status: str
    objective: int | None
    bound: int | None
    gap: float | None
    teams: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
    unfilled: tuple[Unfilled, ...] = ()
    explanations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    messages: tuple[str, ...] = ()
    first_feasible_seconds: float | None = None
    runtime_seconds: float = 0.0
    workers: int = 1


# --- candidates --------------------------------------------------------------------------


@dataclass
class _Candidates:
    """Eligible (peer, review, slot) triples plus the reasons everyone else was left out."""

    slots: dict[tuple[str, str], list[str]]  # (review_id, slot_code) -> eligible peer ids
    blocked: dict[tuple[str, str], list[Reason]]  # (review_id, peer_id) -> reasons (role-fitting peers only)
    pin_messages: list[str]


def _candidates(problem: Problem) -> _Candidates:
    options = problem.options
    slots: dict[tuple[str, str], list[str]] = {}
    blocked: dict[tuple[str, str], list[Reason]] = {}
    pin_messages = []
    by_role: dict[str, list[Peer]] = defaultdict(list)
    for p in problem.peers:
        by_role[p.role].append(p)
    for review in problem.reviews:
        roles = set().union(*(s.roles for s in review.slots))
        ok: set[str] = set()
        for role in sorted(roles):
            for p in by_role[role]:
                reasons = eligibility(p, review, options)
                if reasons:
                    blocked[(review.id, p.id)] = reasons
                else:
                    ok.add(p.id)
        for slot in review.slots:
            slots[(review.id, slot.code)] = [p.id for p in problem.peers if p.id in ok and p.role in slot.roles]
        for pid in sorted(review.pinned):
            peer = problem.peer(pid)
            if not any(peer.role in s.roles for s in review.slots):
                pin_messages.append(
                    f"{peer.name} is pinned to {review.name} but cannot serve: no slot takes a {peer.role_label}."
                )
            elif pid not in ok:
                labels = "; ".join(r.label for r in eligibility(peer, review, options))
                pin_messages.append(f"{peer.name} is pinned to {review.name} but cannot serve: {labels}.")
    return _Candidates(slots, blocked, pin_messages)


def _weeks_text(weeks) -> str:
    nums = sorted(int(w[-2:]) for w in weeks)
    if not nums:
        return ""
    if nums == list(range(nums[0], nums[-1] + 1)):
        return f"week {nums[0]}" if len(nums) == 1 else f"weeks {nums[0]}–{nums[-1]}"
    return "weeks " + ", ".join(map(str, nums))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _role_noun(slot: Slot) -> str:
    return slot.role_text if len(slot.roles) == 1 else f"{slot.label.lower()} ({slot.role_text})"


def shortage_message(problem: Problem, review: Review, slot: Slot, available: int) -> str:
    """Explain why ``slot`` of ``review`` has fewer than ``slot.min`` eligible candidates.

    Groups the role-fitting pool by the first hard rule that rules each person out, e.g.
    "No available case auditor without a conflict in weeks 10–11: 4 case auditors in the
    pool; 2 have a conflict (neighbouring council), 2 are unavailable."
    """
    pool = [p for p in problem.peers if p.role in slot.roles]
    noun = _role_noun(slot)
    when = _weeks_text(review.weeks)
    head = (
        f"No available {noun} without a conflict"
        if available == 0
        else f"Not enough available {noun}s without a conflict (the slot needs {slot.min}, {available} can serve)"
    )
    if when:
        head += f" in {when}"
    groups: dict[str, list[str]] = defaultdict(list)
    for p in pool:
        reasons = eligibility(p, review, problem.options)
        if reasons:
            groups[reasons[0].category].append(reasons[0].label.removeprefix("conflict: "))
    parts = [f"{_plural(len(pool), noun)} in the pool"]
    if groups.get("conflict"):
        kinds = ", ".join(sorted(set(groups["conflict"])))
        n = len(groups["conflict"])
        parts.append(f"{n} {'has' if n == 1 else 'have'} a conflict ({kinds})")
    if groups.get("unavailable"):
        n = len(groups["unavailable"])
        parts.append(f"{n} {'is' if n == 1 else 'are'} unavailable")
    if groups.get("cap"):
        n = len(groups["cap"])
        parts.append(f"{n} {'has' if n == 1 else 'have'} reached the yearly cap")
    if groups.get("excluded"):
        n = len(groups["excluded"])
        parts.append(f"{n} {'is' if n == 1 else 'are'} excluded by the manager")
    return f"{head}: " + "; ".join(parts) + "."


def precheck(problem: Problem) -> list[str]:
    """Hard-rule shortages found before solving: slots with too few eligible candidates, broken pins."""
    cands = _candidates(problem)
    out = list(cands.pin_messages)
    for review in problem.reviews:
        for slot in review.slots:
            n = len(cands.slots[(review.id, slot.code)])
            if n < slot.min:
                out.append(f"{review.name}, {slot.label}: " + shortage_message(problem, review, slot, n))
    return out


# --- greedy ------------------------------------------------------------------------------


def _greedy_teams(problem: Problem, cands: _Candidates) -> dict[str, list[tuple[str, str]]]:
    weights = problem.weights
    remaining = {p.id: p.yearly_cap - p.reviews_this_year for p in problem.peers}
    busy: dict[str, set[str]] = defaultdict(set)
    used: Counter[str] = Counter()
    declared_against: dict[str, set[str]] = defaultdict(set)
    for p in problem.peers:
        for q in p.conflict_people:
            declared_against[q].add(p.id)

    def tightness(review: Review) -> float:
        return min((len(cands.slots[(review.id, s.code)]) + 1) / (s.min + 1) for s in review.slots)

    teams: dict[str, list[tuple[str, str]]] = {}
    for review in sorted(problem.reviews, key=lambda r: (tightness(r), r.id)):
        team: list[tuple[str, str]] = []
        in_team: set[str] = set()
        counts: Counter[str] = Counter()
        clash = set()

        def free(pid: str, review=review, in_team=in_team, clash=clash) -> bool:
            return remaining[pid] > 0 and pid not in in_team and pid not in clash and not (busy[pid] & review.weeks)

        def place(pid: str, code: str, review=review, team=team, in_team=in_team, counts=counts, clash=clash):
            team.append((pid, code))
            in_team.add(pid)
            counts[code] += 1
            remaining[pid] -= 1
            busy[pid] |= review.weeks
            used[pid] += 1
            clash.update(problem.peer(pid).conflict_people)
            clash.update(declared_against.get(pid, ()))

        for pid in sorted(review.pinned):
            for slot in review.slots:
                if pid in cands.slots[(review.id, slot.code)] and counts[slot.code] < slot.max and free(pid):
                    place(pid, slot.code)
                    break
        slots = sorted(review.slots, key=lambda s: len(cands.slots[(review.id, s.code)]) / max(1, s.min))
        for phase in ("min", "max"):
            for slot in slots:
                target = slot.min if phase == "min" else slot.max
                while counts[slot.code] < target:
                    current = review_terms(review, [(problem.peer(q), c) for q, c in team], weights)
                    base = sum(current.values())
                    best, best_gain = None, None
                    for pid in cands.slots[(review.id, slot.code)]:
                        if not free(pid):
                            continue
                        trial = [(problem.peer(q), c) for q, c in team] + [(problem.peer(pid), slot.code)]
                        gain = sum(review_terms(review, trial, weights).values()) - base
                        gain -= weights.load_spread * used[pid]
                        if best_gain is None or gain > best_gain:
                            best, best_gain = pid, gain
                    if best is None or (phase == "max" and best_gain <= 0):
                        break
                    place(best, slot.code)
        teams[review.id] = team
    return teams


def greedy(problem: Problem) -> Result:
    """A fast greedy plan: scarcest reviews and slots first, best marginal score each time.

    Uses the same hard rules and the same :func:`~.scoring.score` as :func:`solve`, so
    objectives can be compared directly. Also serves as the CP-SAT hint.
    """
    start = time.perf_counter()
    cands = _candidates(problem)
    raw = _greedy_teams(problem, cands)
    return _result(problem, cands, raw, "feasible", None, start, None, 1, precheck_messages(problem, cands))


def precheck_messages(problem: Problem, cands: _Candidates) -> list[str]:
    out = list(cands.pin_messages)
    if len(problem.reviews) == 1:
        review = problem.reviews[0]
        for slot in review.slots:
            n = len(cands.slots[(review.id, slot.code)])
            if n < slot.min:
                out.append(shortage_message(problem, review, slot, n))
    return out


# --- CP-SAT ------------------------------------------------------------------------------


class _Model:
    """The CP-SAT model over eligible (peer, review, slot) triples only."""

    def __init__(self, problem: Problem, cands: _Candidates):
        self.problem = problem
        m = self.model = cp_model.CpModel()
        self.x: dict[tuple[str, str, str], cp_model.IntVar] = {}
        self.short: dict[tuple[str, str], cp_model.IntVar] = {}
        # auxiliary variables with a function giving their value for a plan, so hints are complete
        self.aux: list[tuple[cp_model.IntVar, Callable[[dict], int]]] = []
        terms: list = []
        by_peer: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))  # pid -> rid -> x vars
        pinned = {(r.id, pid) for r in problem.reviews for pid in r.pinned}

        for review in problem.reviews:
            self._add_review(review, cands, terms, by_peer, pinned)
        self._add_season(by_peer, terms)
        m.maximize(sum(terms))

    def _add_review(self, review: Review, cands: _Candidates, terms: list, by_peer: dict, pinned: set) -> None:
        problem, w, m = self.problem, self.problem.weights, self.model
        rid = review.id
        attend: dict[str, list] = defaultdict(list)
        for slot in review.slots:
            xs = []
            for pid in cands.slots[(rid, slot.code)]:
                v = m.new_bool_var(f"x[{pid},{rid},{slot.code}]")
                self.x[(pid, rid, slot.code)] = v
                attend[pid].append(v)
                xs.append(v)
            m.add(sum(xs) <= slot.max)
            if slot.min > 0:
                u = m.new_int_var(0, slot.min, f"short[{rid},{slot.code}]")
                self.short[(rid, slot.code)] = u
                m.add(sum(xs) + u >= slot.min)
                terms.append(-w.unfilled * u)
        a: dict[str, object] = {}
        for pid, vs in attend.items():
            if len(vs) > 1:
                m.add_at_most_one(vs)
            a[pid] = vs[0] if len(vs) == 1 else sum(vs)
            by_peer[pid][rid] = vs
            if (rid, pid) in pinned:
                m.add(sum(vs) == 1)
        peers = [problem.peer(pid) for pid in a]
        # coverage: one reward per covered line, not per person
        if w.coverage:
            for line in sorted(review.lines_of_enquiry):
                who = [a[p.id] for p in peers if line in p.specialisms]
                if who:
                    c = m.new_bool_var(f"cover[{rid},{line}]")
                    m.add(c <= sum(who))
                    self.aux.append((c, lambda t, rid=rid, line=line: int(any(line in p.specialisms for p in t[rid]))))
                    terms.append(w.coverage * c)
        if w.mix_orgs:
            orgs: dict[str, list] = defaultdict(list)
            for p in peers:
                orgs[p.organisation].append(a[p.id])
            for org, vs in orgs.items():
                if len(vs) > 1:
                    e = m.new_int_var(0, len(vs) - 1, f"same_org[{rid},{org}]")
                    m.add(e >= sum(vs) - 1)
                    self.aux.append(
                        (e, lambda t, rid=rid, org=org: max(0, sum(p.organisation == org for p in t[rid]) - 1))
                    )
                    terms.append(-w.mix_orgs * e)
        if w.mix_disciplines:
            disc: dict[str, list] = defaultdict(list)
            for p in peers:
                disc[DISCIPLINES[p.role]].append(a[p.id])
            ys = []
            for d, vs in disc.items():
                y = m.new_bool_var(f"disc[{rid},{d}]")
                ys.append(y)
                m.add(y <= sum(vs))
                self.aux.append((y, lambda t, rid=rid, d=d: int(any(DISCIPLINES[p.role] == d for p in t[rid]))))
                terms.append(w.mix_disciplines * y)
            # redundant, but lets the LP see that a one-place slot brings at most one discipline
            m.add(sum(ys) <= _discipline_cap(problem, review, cands))
        if w.load_spread:
            terms.extend(-w.load_spread * p.reviews_this_year * a[p.id] for p in peers if p.reviews_this_year)
        if w.mentoring:
            new = [a[p.id] for p in peers if p.is_new]
            exp = [a[p.id] for p in peers if not p.is_new]
            if new and exp:
                pair = m.new_bool_var(f"mentor[{rid}]")
                m.add(pair <= sum(new))
                m.add(pair <= sum(exp))
                self.aux.append(
                    (
                        pair,
                        lambda t, rid=rid: int(any(p.is_new for p in t[rid]) and not all(p.is_new for p in t[rid])),
                    )
                )
                terms.append(w.mentoring * pair)
            if new:
                ex = m.new_int_var(0, len(new), f"new_excess[{rid}]")
                m.add(ex >= sum(new) - sum(exp))
                self.aux.append((ex, lambda t, rid=rid: max(0, sum(2 * p.is_new - 1 for p in t[rid]))))
                terms.append(-w.mentoring * ex)
        for p_id, q_id in person_conflicts(peers):
            m.add(a[p_id] + a[q_id] <= 1)

    def _add_season(self, by_peer: dict, terms: list) -> None:
        problem, w, m = self.problem, self.problem.weights, self.model
        reviews = {r.id: r for r in problem.reviews}
        for pid, per_review in by_peer.items():
            peer = problem.peer(pid)
            cap = peer.yearly_cap - peer.reviews_this_year
            every = [v for vs in per_review.values() for v in vs]
            if len(per_review) > cap:
                if cap == 1:
                    m.add_at_most_one(every)
                else:
                    m.add(sum(every) <= cap)
            if cap > 1 and len(per_review) > 1:
                weeks: dict[str, list] = defaultdict(list)
                for rid, vs in per_review.items():
                    for wk in reviews[rid].weeks:
                        weeks[wk].extend(vs)
                for vs in weeks.values():
                    if len(vs) > 1:
                        m.add_at_most_one(vs)
                if w.load_spread:
                    extra = m.new_int_var(0, cap, f"extra_load[{pid}]")
                    m.add(extra >= sum(every) - 1)
                    self.aux.append(
                        (extra, lambda t, pid=pid: max(0, sum(p.id == pid for ps in t.values() for p in ps) - 1))
                    )
                    terms.append(-w.load_spread * extra)

    def hint(self, teams: dict[str, list[tuple[str, str]]]) -> None:
        chosen = {(pid, rid, code) for rid, team in teams.items() for pid, code in team}
        for key, v in self.x.items():
            self.model.add_hint(v, key in chosen)
        counts = Counter((rid, code) for rid, team in teams.items() for _, code in team)
        slots = {(r.id, s.code): s for r in self.problem.reviews for s in r.slots}
        for key, u in self.short.items():
            self.model.add_hint(u, max(0, slots[key].min - counts[key]))
        people = {rid: [self.problem.peer(pid) for pid, _ in team] for rid, team in teams.items()}
        for var, value in self.aux:
            self.model.add_hint(var, value(people))

    def teams(self, solver: cp_model.CpSolver) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {r.id: [] for r in self.problem.reviews}
        for (pid, rid, code), v in self.x.items():
            if solver.boolean_value(v):
                out[rid].append((pid, code))
        return out


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, start: float, progress, stop: threading.Event | None, target: float | None = None):
        super().__init__()
        self.target = target
        self.start = start
        self.first: float | None = None
        self.progress = progress
        self.stop = stop

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        if self.progress is not None:
            self.progress(self.objective_value, self.best_objective_bound, now)
        if (self.stop is not None and self.stop.is_set()) or (
            self.target is not None and self.objective_value >= self.target
        ):
            self.stop_search()


def solve(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    hint: bool = True,
    max_candidates: int | None = 30,
    log_callback: Callable[[str], None] | None = None,
    progress: Callable[[float, float, float], None] | None = None,
    stop: threading.Event | None = None,
) -> Result:
    """Form teams for every review in ``problem`` with CP-SAT.

    Parameters
    ----------
    problem
        Peers, reviews, weights and options.
    time_limit
        Wall-clock limit in seconds for the search (always passed to CP-SAT).
    workers
        CP-SAT search workers (``num_workers``); 1 makes runs repeatable with ``seed``.
    seed
        CP-SAT ``random_seed``.
    hint
        Start the search from the :func:`greedy` plan.
    max_candidates
        Keep at most this many candidates per slot in the model (those with most
        lines of enquiry in common, then least loaded; the greedy choice and pins are
        always kept). Keeps large seasons sparse. ``None`` keeps everyone. When
        candidates are dropped, CP-SAT's bound only holds for the smaller model, so the
        reported ``bound`` is then the review-by-review :func:`upper_bound` instead,
        which holds for the full problem.
    log_callback
        Receives CP-SAT's search log lines.
    progress
        Called as ``progress(best_objective, bound, seconds)`` on each improving plan.
    stop
        Set this event from another thread to stop early; the best plan so far is kept.

    Returns
    -------
    Result
        The plan, its score and proven bound, unfilled places and explanations.
    """
    start = time.perf_counter()
    cands = _candidates(problem)
    messages = precheck_messages(problem, cands)
    # a pin that cannot be honoured is reported, then ignored, so the rest still gets a plan
    bad_pins = {(r.id, pid) for r in problem.reviews for pid in r.pinned if not _pin_ok(r, pid, cands)}
    model_problem = problem
    if bad_pins:
        from dataclasses import replace

        model_problem = replace(
            problem,
            reviews=tuple(
                replace(r, pinned=frozenset(p for p in r.pinned if (r.id, p) not in bad_pins)) for r in problem.reviews
            ),
        )
    base = _greedy_teams(model_problem, cands) if hint else None
    model_cands, pruned = _prune(model_problem, cands, base, max_candidates)
    built = _Model(model_problem, model_cands)
    if base is not None:
        built.hint(base)
    solver = cp_model.CpSolver()
    params = solver.parameters
    # Keep back time for turning the plan into teams and explanations, so the whole call fits the limit.
    reserve = min(0.2 * time_limit, 0.02 * len(problem.reviews))
    params.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - start) - reserve)
    params.num_workers = workers
    params.random_seed = seed
    params.relative_gap_limit = 0.0
    if log_callback is not None:
        params.log_search_progress = True
        params.log_to_stdout = False
        solver.log_callback = log_callback
    valid = upper_bound(model_problem, cands)
    # stop as soon as a plan meets the review-by-review bound: it is then proven optimal
    callback = _Callback(start, progress, stop, valid)
    watcher = None
    done = threading.Event()
    if stop is not None:

        def watch():
            while not done.is_set():
                if stop.wait(0.05):
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    code = solver.solve(built.model, callback)
    done.set()
    if watcher is not None:
        watcher.join()
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "infeasible",
    }.get(code, "unknown")
    if status in ("optimal", "feasible"):
        raw = built.teams(solver)
        bound = round(solver.best_objective_bound)
    elif base is not None:
        raw, bound, status = base, None, "feasible" if status == "unknown" else status
    else:
        return Result(status, None, None, None, messages=tuple(messages), runtime_seconds=time.perf_counter() - start)
    bound = valid if bound is None or pruned else min(bound, valid)
    if base is not None and score(problem, base) > score(problem, raw):
        raw = base  # never hand back less than the hint
    if messages:
        status = "infeasible"
    return _result(problem, cands, raw, status, bound, start, callback.first, workers, messages)


def _prune(problem: Problem, cands: _Candidates, base, limit: int | None) -> tuple[_Candidates, bool]:
    if limit is None:
        return cands, False
    keep = {(pid, rid, code) for rid, team in (base or {}).items() for pid, code in team}
    pinned = {(r.id, pid) for r in problem.reviews for pid in r.pinned}
    slots = {}
    pruned = False
    for review in problem.reviews:
        for slot in review.slots:
            ids = cands.slots[(review.id, slot.code)]
            if len(ids) <= max(limit, slot.max):
                slots[(review.id, slot.code)] = ids
                continue
            pruned = True

            def key(pid: str, review=review) -> tuple:
                p = problem.peer(pid)
                return (-len(p.specialisms & review.lines_of_enquiry), p.reviews_this_year, p.is_new, pid)

            ranked = sorted(ids, key=key)
            chosen = set(ranked[: max(limit, slot.max)])
            chosen |= {pid for pid in ids if (pid, review.id, slot.code) in keep or (review.id, pid) in pinned}
            slots[(review.id, slot.code)] = [pid for pid in ids if pid in chosen]
    return _Candidates(slots, cands.blocked, cands.pin_messages), pruned


def _discipline_cap(problem: Problem, review: Review, cands: _Candidates) -> int:
    """Most distinct disciplines the team can hold: a matching of slot places to disciplines."""
    places = []
    for slot in review.slots:
        kinds = {DISCIPLINES[problem.peer(pid).role] for pid in cands.slots[(review.id, slot.code)]}
        places += [kinds] * min(slot.max, len(kinds))
    owner: dict[str, int] = {}

    def augment(i: int, seen: set[str]) -> bool:
        for d in places[i]:
            if d not in seen:
                seen.add(d)
                if d not in owner or augment(owner[d], seen):
                    owner[d] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(places)))


def upper_bound(problem: Problem, cands: _Candidates) -> int:
    """A valid upper bound on :func:`~.scoring.score`, review by review, ignoring competition for peers.

    Used alongside CP-SAT's own bound, which on large seasons the LP may not tighten in time.
    """
    w = problem.weights
    total = 0
    for review in problem.reviews:
        pool = {pid for s in review.slots for pid in cands.slots[(review.id, s.code)]}
        peers = [problem.peer(pid) for pid in pool]
        lines = set().union(*(p.specialisms for p in peers)) & review.lines_of_enquiry if peers else set()
        total += w.coverage * len(lines)
        kinds = {DISCIPLINES[p.role] for p in peers}
        total += w.mix_disciplines * min(len(kinds), _discipline_cap(problem, review, cands))
        if any(p.is_new for p in peers) and any(not p.is_new for p in peers):
            total += w.mentoring
        total -= w.unfilled * sum(max(0, s.min - len(cands.slots[(review.id, s.code)])) for s in review.slots)
    return total - w.unfilled * _season_shortage(problem, cands)


def _season_shortage(problem: Problem, cands: _Candidates) -> int:
    """Places that must stay empty across the season, beyond those counted review by review.

    For each set of roles a slot takes, demand is the sum of the slots' ``min``; supply
    is, per peer, the fewer of their remaining cap and the reviews they could join.
    """
    extra = 0
    groups: dict[frozenset[str], list[tuple[Review, Slot]]] = defaultdict(list)
    for review in problem.reviews:
        for slot in review.slots:
            groups[slot.roles].append((review, slot))
    for items in groups.values():
        demand = sum(s.min for _, s in items)
        local = sum(max(0, s.min - len(cands.slots[(r.id, s.code)])) for r, s in items)
        reviews_of: dict[str, set[str]] = defaultdict(set)
        for r, s in items:
            for pid in cands.slots[(r.id, s.code)]:
                reviews_of[pid].add(r.id)
        supply = 0
        for pid, rids in reviews_of.items():
            p = problem.peer(pid)
            supply += min(p.yearly_cap - p.reviews_this_year, len(rids))
        extra += max(0, demand - supply - local)
    return extra


def _pin_ok(review: Review, pid: str, cands: _Candidates) -> bool:
    return any(pid in cands.slots[(review.id, s.code)] for s in review.slots)


# --- results and explanations ------------------------------------------------------------


def _result(problem, cands, raw, status, bound, start, first, workers, messages) -> Result:
    objective = score(problem, raw)
    if bound is not None:
        bound = max(bound, objective)
    gap = None if bound is None else (bound - objective) / max(1, abs(objective))
    if status == "feasible" and gap == 0:
        status = "optimal"
    teams = {}
    explanations = {}
    unfilled = []
    placed_on: dict[str, str] = {}
    for rid, team in raw.items():
        for pid, _ in team:
            placed_on[pid] = rid
    for review in problem.reviews:
        team = raw.get(review.id, [])
        teams[review.id] = tuple(
            Assignment(pid, code, tuple(assignment_reasons(problem, review, team, pid))) for pid, code in team
        )
        explanations[review.id] = tuple(explain(problem, review, team, cands, placed_on))
        counts = Counter(code for _, code in team)
        for slot in review.slots:
            missing = slot.min - counts[slot.code]
            if missing > 0:
                unfilled.append(
                    Unfilled(review.id, slot.code, _unfilled_message(problem, review, slot, missing, cands))
                )
    runtime = time.perf_counter() - start
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        teams=teams,
        unfilled=tuple(unfilled),
        explanations=explanations,
        messages=tuple(messages),
        first_feasible_seconds=first if first is not None else (runtime if status != "unknown" else None),
        runtime_seconds=runtime,
        workers=workers,
    )


def _unfilled_message(problem, review, slot, missing, cands) -> str:
    n = len(cands.slots[(review.id, slot.code)])
    head = f"{review.name}: {_plural(missing, 'place')} for {slot.label.lower()} unfilled. "
    if n < slot.min:
        return head + shortage_message(problem, review, slot, n)
    return head + (
        f"{_plural(n, _role_noun(slot))} could serve, but all are placed on other reviews in the same weeks, "
        "have reached their yearly cap through this plan, or conflict with someone already in the team."
    )


def _lines(codes) -> str:
    codes = sorted(codes)
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def assignment_reasons(problem: Problem, review: Review, team, pid: str) -> list[str]:
    """Plain-English reasons ``pid`` is in ``team`` (lines covered, mentoring, load…)."""
    peer = problem.peer(pid)
    others = [problem.peer(q) for q, _ in members_of(team) if q != pid]
    out = []
    if pid in review.pinned:
        out.append("pinned by the manager")
    mine = peer.specialisms & review.lines_of_enquiry
    if mine:
        only = {line for line in mine if not any(line in o.specialisms for o in others)}
        text = f"covers {_lines(mine)}"
        if only:
            text += f" (the only team member covering {_lines(only)})"
        out.append(text)
    if peer.is_new and any(not o.is_new for o in others):
        out.append("new peer paired with experienced colleagues")
    elif not peer.is_new and any(o.is_new for o in others):
        out.append(f"experienced peer ({_plural(peer.reviews_total, 'review')}) to support a new colleague")
    elif not peer.is_new:
        out.append(f"experienced peer ({_plural(peer.reviews_total, 'review')} done)")
    pool_load = [p.reviews_this_year for p in problem.peers if p.role == peer.role]
    if pool_load and peer.reviews_this_year < sum(pool_load) / len(pool_load):
        out.append("has done fewer reviews this year" if peer.reviews_this_year else "has done no reviews this year")
    if all(o.organisation != peer.organisation for o in others):
        out.append("the only member from their organisation")
    if DISCIPLINES[peer.role] != "children's social care" and peer.role != "pcm":
        out.append(f"brings a {DISCIPLINES[peer.role]} perspective")
    return out


def _who(peer: Peer) -> str:
    return f"{peer.name} ({ROLES[peer.role] if peer.role in ('dcs', 'ad') else peer.role_label}, {peer.organisation})"


def explain(problem: Problem, review: Review, team, cands: _Candidates, placed_on=None, top: int = 5) -> list[str]:
    """Why the strongest-looking candidates not in ``team`` were left out.

    Looks at up to ``top`` role-fitting peers with the most specialism overlap with the
    review's lines of enquiry, and gives each one labelled reason.
    """
    placed_on = placed_on or {}
    members = members_of(team)
    in_team = {pid for pid, _ in members}
    team_peers = [problem.peer(pid) for pid in in_team]
    covered = set().union(*(p.specialisms for p in team_peers)) & review.lines_of_enquiry if team_peers else set()
    roles = set().union(*(s.roles for s in review.slots))
    pool = [
        p for p in problem.peers if p.id not in in_team and p.role in roles and p.specialisms & review.lines_of_enquiry
    ]
    pool.sort(key=lambda p: (-len(p.specialisms & review.lines_of_enquiry), p.reviews_this_year, p.id))
    counts = Counter(code for _, code in members)
    names = {r.id: r.name for r in problem.reviews}
    out = []
    for p in pool[:top]:
        blocked = cands.blocked.get((review.id, p.id))
        if blocked:
            out.append(f"{_who(p)}: {blocked[0].label}")
            continue
        mine = p.specialisms & review.lines_of_enquiry
        conflict = [
            problem.peer(q).name for q in in_team if q in p.conflict_people or p.id in problem.peer(q).conflict_people
        ]
        if conflict:
            out.append(f"{_who(p)}: conflict: declared conflict with {', '.join(sorted(conflict))} in the team")
        elif p.id in placed_on:
            out.append(f"{_who(p)}: placed on {names[placed_on[p.id]]} instead (yearly cap or same weeks)")
        elif mine <= covered:
            out.append(f"{_who(p)}: chosen team already covers these lines of enquiry ({_lines(mine)})")
        elif all(counts[s.code] >= s.max for s in review.slots if p.role in s.roles):
            out.append(f"{_who(p)}: the places for a {p.role_label} are full")
        else:
            out.append(f"{_who(p)}: lower overall score (organisation mix, mentoring or load)")
    return out
