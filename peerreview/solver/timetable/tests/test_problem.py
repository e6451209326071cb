import json

import pytest

from peerreview.solver.timetable import (
    Fixed,
    ProblemError,
    Session,
    problem_from_json,
    problem_to_json,
    result_to_json,
    solve,
)

from .util import MON, small_problem


def test_json_round_trip():
    problem = small_problem()
    data = json.loads(json.dumps(problem_to_json(problem)))
    assert data["format"] == "peerreview.timetable/1"
    assert problem_from_json(data) == problem
    result = solve(problem, time_limit=0.3, workers=1)
    assert json.loads(json.dumps(result_to_json(result)))["status"] == result.status


def test_json_errors_are_all_collected_with_paths():
    data = problem_to_json(small_problem())
    data["sessions"][1]["minutes"] = 0
    data["sessions"][2]["participant_ids"] = ["nobody"]
    data["peers"][0]["unavailable"] = [{"day": MON, "start": "9am", "end": "10:00"}]
    with pytest.raises(ProblemError) as e:
        problem_from_json(data)
    text = "\n".join(e.value.errors)
    assert "sessions[1] (dcs1).minutes: the length must be a positive number of minutes (got 0)" in text
    assert "peers[0].unavailable[0].start: enter a time as HH:MM" in text


def test_problem_refuses_what_cannot_work():
    problem = small_problem()
    participants = (*problem.participants[:-1],)
    sessions = (
        Session("a", "Overview", "overview", 60, fixed=Fixed(MON, "09:00")),
        Session("b", "Team meeting", "team_meeting", 60, fixed=Fixed(MON, "09:30")),
        Session("c", "Huge", "interview", 900),
        Session("d", "Needs care leavers", "interview", 60, required_specialisms={"care leavers"}),
        Session("e", "Case", "case_discussion", 60, participant_ids=("cw",)),
    )
    with pytest.raises(ProblemError) as e:
        small_problem(participants=participants, sessions=sessions)
    text = "\n".join(e.value.errors)
    assert "there is no participant with id 'cw'" in text
    sessions = sessions[:4]
    with pytest.raises(ProblemError) as e:
        small_problem(sessions=sessions)
    text = "\n".join(e.value.errors)
    assert "“Huge” lasts 900 minutes, longer than any working day" in text
    assert "needs care leavers, which no eligible peer on the team has" in text
    with pytest.raises(ProblemError) as e:
        small_problem(sessions=sessions[:2])
    assert "the fixed or pinned events “Overview” and “Team meeting” overlap" in e.value.errors[0]


def test_participant_unavailable_all_week_is_refused():
    from peerreview.solver.timetable import Interval, Participant

    away = (Interval(MON, "09:00", "17:30"), Interval("2026-03-03", "09:00", "17:30"))
    problem = small_problem()
    dcs = Participant("dcs", "Director of Children’s Services", unavailable=away)
    with pytest.raises(ProblemError) as e:
        small_problem(participants=(dcs, *problem.participants[1:]))
    assert "Director of Children’s Services is unavailable all week" in e.value.errors[0]


def test_idle_allowance_and_balance_tolerance_round_trip_and_are_validated():
    problem = small_problem(idle_allowance_minutes=45, balance_tolerance_minutes=0)
    data = problem_to_json(problem)
    assert data["idle_allowance_minutes"] == 45 and data["balance_tolerance_minutes"] == 0
    assert problem_from_json(data) == problem
    bad = {**data, "idle_allowance_minutes": -15, "balance_tolerance_minutes": "an hour"}
    with pytest.raises(ProblemError) as e:
        problem_from_json(bad)
    assert e.value.errors == [
        "idle_allowance_minutes: must be a whole number, 0 or more",
        "balance_tolerance_minutes: must be a whole number, 0 or more",
    ]
