import threading

from peerreview.solver.timetable import (
    Assignment,
    Fixed,
    Interval,
    Lunch,
    Participant,
    Pinned,
    Session,
    Timetable,
    capacity_report,
    check,
    greedy,
    repair,
    score,
    solve,
)

from .util import MON, TUE, oneday_problem, small_problem


def test_solution_satisfies_every_hard_rule_and_beats_greedy():
    problem = small_problem()
    base = greedy(problem)
    result = solve(problem, time_limit=0.8, workers=1, seed=1)
    assert result.status in ("optimal", "feasible")
    assert check(problem, result.timetable) == []
    assert result.violations == ()
    assert result.objective == score(problem, result.timetable)[0]
    assert result.objective <= base.objective
    assert result.bound <= result.objective
    assert sum(result.score_by_rule.values()) == result.objective


def test_check_flags_a_double_booking_with_its_label():
    problem = small_problem()
    tt = Timetable(
        (
            Assignment("fd1", TUE, "10:00", "11:30", ("sam", "ana")),
            Assignment("cd1", TUE, "10:30", "11:30", ("sam",)),
        )
    )
    clashes = [v for v in check(problem, tt) if v.rule_code == "double_booking"]
    assert len(clashes) == 1
    assert clashes[0].label == "Nobody is double-booked"
    assert clashes[0].message == (
        "Peer Sam Patel is double-booked on Tuesday 10:30–11:30 (Front door focus group, Case discussion 1)"
    )
    assert set(clashes[0].session_ids) == {"fd1", "cd1"}


def test_infeasible_problem_is_explained_naming_people_and_events():
    busy = (Interval(MON, "13:00", "17:30"), Interval(TUE, "09:00", "17:30"))
    participants = (Participant("heh", "Head of Early Help", unavailable=busy),)
    sessions = (
        Session("ov", "Overview presentation", "overview", 60, participant_ids=("heh",), fixed=Fixed(MON, "09:00")),
        Session(
            "pa",
            "Early help deep dive",
            "interview",
            60,
            participant_ids=("heh",),
            pinned=Pinned(MON, "10:00", ("sam",)),
        ),
        Session(
            "pb", "Early help data", "interview", 60, participant_ids=("heh",), pinned=Pinned(MON, "11:30", ("ana",))
        ),
        Session("x", "Interview with Head of Early Help", "interview", 45, participant_ids=("heh",)),
    )
    problem = small_problem(participants=participants, sessions=sessions)
    result = solve(problem, time_limit=1, workers=1)
    assert result.status == "infeasible"
    text = " ".join(result.explanation)
    assert text.startswith("Head of Early Help is free only Monday 09:00–13:00, which ")
    # The core need not be unique; it must name the pinned events that crowd her out.
    assert (
        "(pinned, Monday 11:30–12:30, with Ana Cole)" in text or "(pinned, Monday 10:00–11:00, with Sam Patel)" in text
    )
    assert "leaving no time for" in text and "“Interview with Head of Early Help”" in text


def test_repair_moves_only_the_session_that_must_move():
    problem = small_problem()
    first = solve(problem, time_limit=0.8, workers=1, seed=0)
    slot = first.timetable.by_session()["dcs1"]
    dcs = Participant(
        "dcs",
        "Director of Children’s Services",
        organisation="Host",
        is_senior_leader=True,
        unavailable=(Interval(slot.day, slot.start, slot.end),),
    )
    changed = small_problem(participants=(dcs, *problem.participants[1:]))
    result = repair(changed, first.timetable, time_limit=0.8, workers=1)
    assert result.status in ("optimal", "feasible")
    assert result.moved == ("dcs1",)
    assert check(changed, result.timetable) == []


def test_one_day_seven_peer_scenario_is_feasible_with_exact_capacity():
    problem = oneday_problem()
    assert capacity_report(problem) == [
        "Monday: sessions need 42 peer-hours; 7 peers have 42 available after fixed events and lunch"
    ]
    result = solve(problem, time_limit=0.4, workers=1)
    assert result.status in ("optimal", "feasible")
    assert check(problem, result.timetable) == []


def test_flexible_lunch_leaves_slack_in_the_one_day_scenario():
    report = capacity_report(oneday_problem(lunch=Lunch("12:00", "14:00", 30)))
    assert report == ["Monday: sessions need 42 peer-hours; 7 peers have 49 available after fixed events and lunch"]


def test_stop_event_returns_the_best_plan_so_far():
    stop = threading.Event()
    stop.set()
    seen = []
    result = solve(small_problem(), time_limit=5, workers=1, stop=stop, progress=lambda *a: seen.append(a))
    assert result.status in ("feasible", "optimal")
    assert result.runtime_seconds < 1
    assert check(small_problem(), result.timetable) == []


def test_lengths_off_the_grid_are_rounded_up_and_reported():
    sessions = (Session("ov", "Overview presentation", "overview", 20, fixed=Fixed(MON, "09:00")),)
    problem = small_problem(sessions=sessions)
    result = solve(problem, time_limit=0.5, workers=1)
    assert result.timetable.assignments[0].end == "09:30"
    assert any("rounded up" in line for line in result.explanation)


def test_repair_places_a_new_session_and_drops_a_removed_one_without_moving_others():
    problem = small_problem()
    first = solve(problem, time_limit=0.5, workers=1, seed=0)
    extra = Session("lm", "Interview with the Lead Member", "interview", 45, participant_ids=("dcs",))
    changed = small_problem(sessions=(*problem.sessions[:-1], extra))
    result = repair(changed, first.timetable, time_limit=0.8, workers=1)
    assert result.status in ("optimal", "feasible")
    assert result.moved == ()
    assert check(changed, result.timetable) == []
    assert "lm" in result.timetable.by_session()


def _solve_module():
    import importlib

    return importlib.import_module("peerreview.solver.timetable.solve")


def test_an_internal_solver_failure_is_retried_once_with_one_worker(monkeypatch):
    module = _solve_module()
    real, calls = module._solve_call, []

    def flaky(solver, model, cb):
        calls.append((solver.parameters.num_workers, solver.parameters.random_seed))
        if len(calls) == 1:
            raise IndexError("raw_hash_map::at")
        return real(solver, model, cb)

    monkeypatch.setattr(module, "_solve_call", flaky)
    problem = small_problem()
    result = solve(problem, time_limit=0.5, workers=2, seed=3)
    assert calls[:2] == [(2, 3), (1, 4)]
    assert result.status in ("optimal", "feasible")
    assert check(problem, result.timetable) == []


def test_a_repeated_internal_solver_failure_returns_the_greedy_timetable(monkeypatch):
    module = _solve_module()

    def broken(solver, model, cb):
        raise IndexError("raw_hash_map::at")

    monkeypatch.setattr(module, "_solve_call", broken)
    problem = small_problem()
    result = solve(problem, time_limit=0.5, workers=2)
    assert result.status == "unknown"
    assert result.timetable == greedy(problem).timetable
    assert result.objective == score(problem, result.timetable)[0]
    assert result.bound is None
    assert any("CP-SAT failed internally twice" in line and "raw_hash_map::at" in line for line in result.explanation)


def test_interchangeable_peers_are_ordered_by_load_and_hints_relabelled():
    from peerreview.solver.timetable.model import Model

    problem = oneday_problem()
    m = Model(problem, symmetry=True)
    assert m.peer_classes() == [[f"p{i}" for i in range(7)]]
    tt = m.canonical(greedy(problem).timetable)
    assert check(problem, tt) == [] and score(problem, tt) == score(problem, greedy(problem).timetable)
    load = {p.id: 0 for p in problem.peers}
    for a in tt.assignments:
        for pid in a.peer_ids:
            load[pid] += int(a.end[:2]) * 60 + int(a.end[3:]) - int(a.start[:2]) * 60 - int(a.start[3:])
    assert list(load.values()) == sorted(load.values(), reverse=True)
    assert Model(small_problem(), symmetry=True).classes == []


def test_start_domains_leave_out_starts_that_break_a_hard_rule_on_their_own():
    from peerreview.solver.timetable.model import Model

    away = (Interval(MON, "09:00", "12:00"),)
    participants = (Participant("heh", "Head of Early Help", unavailable=away),)
    sessions = (
        Session("team1", "Team meeting", "team_meeting", 60, fixed=Fixed(MON, "16:30")),
        Session("x", "Interview with Head of Early Help", "interview", 60, participant_ids=("heh",)),
    )
    problem = small_problem(participants=participants, sessions=sessions)
    m = Model(problem)
    domain = list(m.model.Proto().variables[m.start["x"].Index()].domain)
    starts = {t for lo, hi in zip(domain[::2], domain[1::2], strict=True) for t in range(lo, hi + 1)}
    monday = {t for t in starts if t < 96}
    # Monday: not before 12:00 (unavailable), not overlapping the 16:30 team meeting of every peer.
    assert min(monday) == 12 * 4 and max(monday) == 15 * 4 + 2
    assert min(t - 96 for t in starts if t >= 96) == 9 * 4
    # Explaining infeasibility needs every start, as availability may be relaxed there.
    every = Model(problem, explain=True)
    assert len(every.model.Proto().variables[every.start["x"].Index()].domain) == 4


def _one_peer_waits():
    """Sam has a 60-minute interview at 14:00 and the team meeting at 16:30: 60 minutes idle."""
    from peerreview.solver.timetable import Day, Peer, Problem

    peers = (Peer("sam", "Sam Patel", "Council A", "Lead peer"), Peer("ana", "Ana Cole", "Council B", "Manager"))
    sessions = (
        Session("team", "Team meeting", "team_meeting", 30, fixed=Fixed(MON, "16:30")),
        Session("int", "Interview", "interview", 60),
    )
    tt = Timetable(
        (
            Assignment("team", MON, "16:30", "17:00", ("ana", "sam")),
            Assignment("int", MON, "14:00", "15:00", ("sam",)),
        )
    )
    return (lambda **kw: Problem(days=(Day(MON),), peers=peers, sessions=sessions, **kw)), tt


def test_idle_allowance_and_balance_tolerance_decide_what_is_charged():
    make, tt = _one_peer_waits()
    charged = {
        (idle, tol): (lambda s: (s["idle_gaps"], s["workload_balance"]))(
            score(make(**{"idle_allowance_minutes": idle, "balance_tolerance_minutes": tol}), tt)[1]
        )
        for idle, tol in ((0, 0), (30, 30), (60, 60))
    }
    # 60 idle minutes beyond lunch (4 units); Sam has 60 minutes of sessions more than Ana (4 units).
    assert charged == {(0, 0): (4, 4), (30, 30): (2, 2), (60, 60): (0, 0)}
    # The defaults allow 30 minutes of waiting a day and a 60-minute difference in session time.
    assert score(make(), tt)[1]["idle_gaps"] == 2 and score(make(), tt)[1]["workload_balance"] == 0
    notes = [v.message for v in check(make(), tt, soft=True) if v.rule_code == "idle_gaps"]
    assert notes == ["Peer Sam Patel has 60 idle minutes on Monday, 30 more than the daily allowance"]


def test_solver_charges_by_the_same_allowance_as_the_score():
    make, _ = _one_peer_waits()
    for allowance in (0, 60):
        problem = make(idle_allowance_minutes=allowance, balance_tolerance_minutes=0)
        result = solve(problem, time_limit=5, workers=1, seed=0)
        assert result.status == "optimal"
        assert result.objective == score(problem, result.timetable)[0] == result.bound
        # The interview ends when the team meeting starts, or anywhere if an hour's wait is allowed.
        assert result.score_by_rule["idle_gaps"] == 0


def test_phase_one_bound_proves_optimality_when_the_heavy_terms_reach_zero():
    problem = small_problem()
    result = solve(problem, time_limit=20, workers=1, seed=0)
    assert result.status == "optimal"
    assert result.objective == result.bound
    assert result.score_by_rule["idle_gaps"] == result.score_by_rule["workload_balance"] == 0


def test_the_search_stops_as_soon_as_it_meets_the_proven_bound():
    # With two workers phase 2 runs only search workers (phase 1 proved the bound), so it stops
    # itself when a timetable meets the bound instead of running to the time limit.
    result = solve(small_problem(), time_limit=60, workers=2, seed=0)
    assert result.status == "optimal" and result.objective == result.bound
    assert result.runtime_seconds < 30
