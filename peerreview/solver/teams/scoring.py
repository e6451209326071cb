"""The soft rules and the one objective function shared by CP-SAT and the greedy baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from .problem import DISCIPLINES, Peer, Problem, Review, Weights

SOFT_RULES: dict[str, str] = {
    "coverage": "each line of enquiry covered by someone with that specialism",
    "mix_orgs": "no two team members from the same organisation",
    "mix_disciplines": "a mix of disciplines in the team",
    "load_spread": "spread reviews across the pool",
    "mentoring": "new peers paired with experienced colleagues",
    "unfilled": "every required place filled",
}
"""Soft rule code -> label. Each is a named term of :func:`score`."""


def members_of(team: Iterable) -> list[tuple[str, str]]:
    """Normalise a team given as ``Assignment`` objects or ``(peer_id, slot_code)`` pairs."""
    out = []
    for item in team:
        if hasattr(item, "peer_id"):
            out.append((item.peer_id, item.slot_code))
        else:
            out.append((item[0], item[1]))
    return out


def review_terms(review: Review, team: list[tuple[Peer, str]], weights: Weights) -> dict[str, int]:
    """Score terms for one review's team (``(peer, slot_code)`` pairs), by soft rule code."""
    peers = [p for p, _ in team]
    covered = set()
    for p in peers:
        covered |= p.specialisms & review.lines_of_enquiry
    orgs = Counter(p.organisation for p in peers)
    new = sum(1 for p in peers if p.is_new)
    exp = len(peers) - new
    counts = Counter(code for _, code in team)
    short = sum(max(0, s.min - counts[s.code]) for s in review.slots)
    return {
        "coverage": weights.coverage * len(covered),
        "mix_orgs": -weights.mix_orgs * sum(n - 1 for n in orgs.values()),
        "mix_disciplines": weights.mix_disciplines * len({DISCIPLINES[p.role] for p in peers}),
        "load_spread": -weights.load_spread * sum(p.reviews_this_year for p in peers),
        "mentoring": (weights.mentoring if new and exp else 0) - weights.mentoring * max(0, new - exp),
        "unfilled": -weights.unfilled * short,
    }


def score_terms(problem: Problem, teams: Mapping[str, Iterable]) -> dict[str, int]:
    """Objective split by soft rule. Reviews missing from ``teams`` count as empty."""
    totals = dict.fromkeys(SOFT_RULES, 0)
    load: Counter[str] = Counter()
    for review in problem.reviews:
        team = [(problem.peer(pid), code) for pid, code in members_of(teams.get(review.id, ()))]
        for key, value in review_terms(review, team, problem.weights).items():
            totals[key] += value
        load.update(p.id for p, _ in team)
    totals["load_spread"] -= problem.weights.load_spread * sum(n - 1 for n in load.values())
    return totals


def score(problem: Problem, teams: Mapping[str, Iterable]) -> int:
    """The objective (higher is better) of a plan ``review_id -> team``.

    CP-SAT maximises exactly this function, so figures from :func:`~.solve.solve`
    and :func:`~.solve.greedy` are comparable.
    """
    return sum(score_terms(problem, teams).values())
