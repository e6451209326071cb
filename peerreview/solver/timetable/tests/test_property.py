from hypothesis import given, settings
from hypothesis import strategies as st

from peerreview.solver.timetable import (
    Day,
    Interval,
    Lunch,
    Participant,
    Peer,
    Problem,
    ProblemError,
    Session,
    check,
    solve,
)

from .util import MON


@st.composite
def problems(draw):
    n_peers = draw(st.integers(2, 4))
    peers = tuple(
        Peer(
            f"p{i}",
            f"Peer {i}",
            draw(st.sampled_from(["A", "B", "C"])),
            draw(st.sampled_from(["lead", "manager"])),
            max_sessions_per_day=draw(st.sampled_from([None, 2, 3])),
        )
        for i in range(n_peers)
    )
    participants = []
    for i in range(draw(st.integers(1, 4))):
        away = ()
        if draw(st.booleans()):
            away = (Interval(MON, draw(st.sampled_from(["09:00", "11:00", "14:00"])), "15:00"),)
        participants.append(
            Participant(
                f"q{i}",
                f"Person {i}",
                organisation=draw(st.sampled_from(["A", "H"])),
                unavailable=away,
                is_young_people=draw(st.booleans()),
            )
        )
    sessions = tuple(
        Session(
            f"s{i}",
            f"Session {i}",
            "interview",
            draw(st.sampled_from([30, 45, 60, 90])),
            draw(st.integers(1, 2)),
            participant_ids=(f"q{draw(st.integers(0, len(participants) - 1))}",),
        )
        for i in range(draw(st.integers(1, 6)))
    )
    try:
        return Problem(
            (Day(MON, "09:00", "17:00"),), peers, tuple(participants), (), sessions, lunch=Lunch("12:00", "13:30", 30)
        )
    except ProblemError:
        return None


@settings(max_examples=6, deadline=None, database=None)
@given(problems())
def test_solutions_to_random_small_problems_satisfy_every_hard_rule(problem):
    if problem is None:
        return
    result = solve(problem, time_limit=0.1, workers=1, seed=0)
    if result.status in ("optimal", "feasible"):
        assert check(problem, result.timetable) == []
        assert result.bound is None or result.bound <= result.objective
    else:
        assert result.status in ("infeasible", "unknown")
