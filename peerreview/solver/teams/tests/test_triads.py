from itertools import combinations

from peerreview.solver.teams import Triad, TriadProblem, solve_triads

COUNCILS = tuple("ABCDEFGHI")
LAST = (Triad("A", "B", "C"), Triad("D", "E", "F"), Triad("G", "H", "I"))


def _pairs(triads):
    return [frozenset(p) for t in triads for p in combinations(t.members, 2)]


def test_each_council_hosts_leads_and_observes_once_without_last_years_pairs():
    result = solve_triads(TriadProblem(COUNCILS, LAST, (("A", "D"),)), workers=1, seed=1)
    assert result.status in ("optimal", "feasible")
    assert len(result.triads) == len(COUNCILS)
    for role in ("host", "lead", "observer"):
        assert sorted(getattr(t, role) for t in result.triads) == list(COUNCILS)
    assert all(len(set(t.members)) == 3 for t in result.triads)
    assert not set(_pairs(result.triads)) & set(_pairs(LAST))
    assert frozenset({"A", "D"}) not in _pairs(result.triads)


def test_too_few_councils():
    result = solve_triads(TriadProblem(("A", "B")))
    assert result.status == "infeasible"
    assert "at least 3 councils" in result.message


def test_too_many_constraints_names_the_council():
    result = solve_triads(TriadProblem(tuple("ABCD"), (Triad("A", "B", "C"),)), workers=1)
    assert result.status == "infeasible"
    assert result.message.startswith("A cannot be in a triad")


def test_repeat_pairs_are_minimised():
    result = solve_triads(TriadProblem(tuple("ABCDEFG")), workers=1, seed=1)
    # 7 councils: a Fano plane has every pair meet exactly once
    assert result.status == "optimal"
    assert result.repeats == 0


def test_last_years_triad_needs_nine_councils():
    result = solve_triads(TriadProblem(tuple("ABCDEFG"), (Triad("A", "B", "C"),)), workers=1)
    assert result.status == "infeasible"
    assert "need 9 separate triads" in result.message
