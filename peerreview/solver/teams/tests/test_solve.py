import threading

from peerreview.solver.teams import Problem, check, greedy, score, solve

from .factory import AUDITOR, LEAD, OFFICER, peer, pool, review, single


def _plan(result):
    return {rid: [(a.peer_id, a.slot_code) for a in team] for rid, team in result.teams.items()}


def test_single_review_is_optimal_and_keeps_hard_rules():
    problem = single()
    result = solve(problem, workers=1, seed=1, time_limit=5)
    assert result.status == "optimal"
    assert check(problem, _plan(result)) == []
    assert result.bound >= result.objective >= greedy(problem).objective
    assert result.objective == score(problem, result.teams)
    assert result.first_feasible_seconds is not None
    team = {a.peer_id for a in result.teams["r1"]}
    assert not team & {"l3", "o4", "a3"}  # neighbour, own council, unavailable
    assert all(a.reasons for a in result.teams["r1"])


def test_reasons_and_explanations_are_plain_english():
    result = solve(single(), workers=1, seed=1, time_limit=5)
    reasons = [r for a in result.teams["r1"] for r in a.reasons]
    assert any(r.startswith("covers ") for r in reasons)
    explained = "\n".join(result.explanations["r1"])
    assert "conflict: neighbouring council" in explained  # l3 covers every line but is a neighbour


def test_infeasible_single_review_names_role_and_rule():
    peers = [p for p in pool() if p.role != "case_auditor"] + [
        peer("a1", "case_auditor", "NEIGH"),
        peer("a2", "case_auditor", "NEIGH"),
        peer("a3", "case_auditor", "E", unavailable_weeks={"2027-W10"}),
        peer("a4", "case_auditor", "F", unavailable_weeks={"2027-W11"}),
    ]
    problem = Problem(tuple(peers), (review(),))
    result = solve(problem, workers=1, seed=1, time_limit=5)
    assert result.status == "infeasible"
    message = " ".join(result.messages)
    assert "No available case auditor without a conflict in weeks 10–11" in message
    assert "4 case auditors in the pool" in message
    assert "2 have a conflict (neighbouring council)" in message
    assert "2 are unavailable" in message
    assert [u.slot_code for u in result.unfilled] == ["auditor"]


def test_short_season_returns_best_plan_and_names_unfilled_places():
    reviews = (review("r1"), review("r2", host="OTHER"), review("r3", host="THIRD"))
    problem = Problem(tuple(pool()), reviews)
    result = solve(problem, workers=1, seed=1, time_limit=5)
    assert result.status in ("optimal", "feasible")
    assert check(problem, _plan(result)) == []
    assert result.unfilled
    assert all("unfilled" in u.message for u in result.unfilled)
    assert result.objective >= greedy(problem).objective
    assert result.bound >= result.objective


def test_pinned_and_excluded_are_honoured():
    problem = single(pinned=frozenset({"o2"}), excluded=frozenset({"l1", "a1"}))
    result = solve(problem, workers=1, seed=1, time_limit=5)
    team = {a.peer_id for a in result.teams["r1"]}
    assert "o2" in team
    assert not team & {"l1", "a1"}
    assert any("pinned by the manager" in a.reasons for a in result.teams["r1"] if a.peer_id == "o2")


def test_pin_that_breaks_a_rule_is_explained():
    result = solve(single(pinned=frozenset({"l3"})), workers=1, seed=1, time_limit=5)
    assert result.status == "infeasible"
    assert "neighbouring council" in " ".join(result.messages)
    assert "l3" not in {a.peer_id for a in result.teams["r1"]}


def test_yearly_cap_and_same_week_across_a_season():
    peers = [
        peer("l1", "dcs", "A", yearly_cap=3),
        peer("l2", "dcs", "B"),
        peer("o1", "operational_manager", "C", yearly_cap=3),
        peer("o2", "operational_manager", "D"),
        peer("a1", "case_auditor", "E", yearly_cap=3),
        peer("a2", "case_auditor", "F"),
    ]
    reviews = (
        review("r1", slots=(LEAD, OFFICER, AUDITOR)),
        review("r2", host="H2", slots=(LEAD, OFFICER, AUDITOR)),  # same weeks as r1
        review("r3", host="H3", weeks=frozenset({"2027-W20"})),
    )
    problem = Problem(tuple(peers), reviews)
    result = solve(problem, workers=1, seed=1, time_limit=5)
    assert check(problem, _plan(result)) == []
    assert not result.unfilled


def test_greedy_is_a_valid_plan_scored_the_same_way():
    problem = Problem(tuple(pool()), (review("r1"), review("r2", host="OTHER", weeks=frozenset({"2027-W30"}))))
    result = greedy(problem)
    assert check(problem, _plan(result)) == []
    assert result.objective == score(problem, result.teams)


def test_stop_event_keeps_a_plan():
    stop = threading.Event()
    stop.set()
    result = solve(single(), workers=1, seed=1, time_limit=5, stop=stop)
    assert result.teams["r1"]
    assert check(single(), _plan(result)) == []


def test_progress_callback_is_called():
    seen = []
    solve(single(), workers=1, seed=1, time_limit=5, progress=lambda *a: seen.append(a))
    assert seen and all(len(x) == 3 for x in seen)
