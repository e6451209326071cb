"""Delivery-week timetabling for peer reviews, solved with CP-SAT.

A pure package: standard library and OR-Tools only. Build a :class:`Problem` from frozen
dataclasses (or :func:`problem_from_json`), call :func:`solve`, and read the :class:`Result`.
:func:`check` tests a hand-edited timetable against the same rules the solver uses.
"""

from .io import FORMAT, problem_from_json, problem_to_json, result_to_json, timetable_from_json
from .problem import (
    Assignment,
    Day,
    Fixed,
    Interval,
    Lunch,
    Participant,
    Peer,
    Pinned,
    Problem,
    ProblemError,
    Room,
    Session,
    Timetable,
    Weights,
)
from .rules import HARD_RULES, RULES, SOFT_RULES, Violation, check, score
from .solve import Result, capacity_report, explain, greedy, repair, solve

__all__ = [
    "FORMAT",
    "HARD_RULES",
    "RULES",
    "SOFT_RULES",
    "Assignment",
    "Day",
    "Fixed",
    "Interval",
    "Lunch",
    "Participant",
    "Peer",
    "Pinned",
    "Problem",
    "ProblemError",
    "Result",
    "Room",
    "Session",
    "Timetable",
    "Violation",
    "Weights",
    "capacity_report",
    "check",
    "explain",
    "greedy",
    "problem_from_json",
    "problem_to_json",
    "repair",
    "result_to_json",
    "score",
    "solve",
    "timetable_from_json",
]
