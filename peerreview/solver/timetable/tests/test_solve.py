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
