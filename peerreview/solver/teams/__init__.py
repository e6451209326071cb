"""Peer review team formation and DCS triad rotation with OR-Tools CP-SAT.

A pure package: it imports nothing from Django or the rest of ``peerreview``.
Frozen dataclasses go in (:class:`Problem`), a :class:`Result` comes out of
:func:`solve` (CP-SAT) or :func:`greedy` (baseline). Hard rules live once in
:mod:`.rules`, soft rules once in :mod:`.scoring`.
"""

from .problem import (
    DEFAULT_SLOTS,
    DISCIPLINES,
    ROLES,
    Options,
    Peer,
    Problem,
    ProblemError,
    Review,
    Slot,
    Weights,
    iso_week_monday,
)
from .rules import RULES, Reason, Violation, check, eligibility, role_fits, week_text
from .scoring import SOFT_RULES, score, score_terms
from .solve import Assignment, Result, Unfilled, greedy, precheck, solve
from .triads import Triad, TriadProblem, TriadResult, solve_triads

__all__ = [
    "DEFAULT_SLOTS",
    "DISCIPLINES",
    "ROLES",
    "RULES",
    "SOFT_RULES",
    "Assignment",
    "Options",
    "Peer",
    "Problem",
    "ProblemError",
    "Reason",
    "Result",
    "Review",
    "Slot",
    "Triad",
    "TriadProblem",
    "TriadResult",
    "Unfilled",
    "Violation",
    "Weights",
    "check",
    "eligibility",
    "greedy",
    "iso_week_monday",
    "precheck",
    "role_fits",
    "score",
    "score_terms",
    "solve",
    "solve_triads",
    "week_text",
]
