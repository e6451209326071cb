from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerreview.solver.teams import ROLES, Peer, Problem, Review, check, solve

from .factory import SLOTS

ORGS = ("A", "B", "C", "D")
WEEKS = ("2027-W10", "2027-W11", "2027-W12")
THEMES = ("send", "front_door", "care_leavers")
ROLE_CODES = ("dcs", "ad", "operational_manager", "head_of_service", "case_auditor")


@st.composite
def problems(draw):
    n = draw(st.integers(3, 9))
    peers = [
        Peer(
            id=f"p{i}",
            name=f"P{i}",
            organisation=draw(st.sampled_from(ORGS)),
            role=draw(st.sampled_from(ROLE_CODES)),
            specialisms=frozenset(draw(st.sets(st.sampled_from(THEMES), max_size=2))),
            reviews_this_year=draw(st.integers(0, 1)),
            yearly_cap=draw(st.integers(1, 2)),
            reviews_total=draw(st.integers(0, 2)),
            unavailable_weeks=frozenset(draw(st.sets(st.sampled_from(WEEKS), max_size=1))),
            conflict_people=frozenset(draw(st.sets(st.sampled_from([f"p{j}" for j in range(n)]), max_size=1))),
        )
        for i in range(n)
    ]
    reviews = [
        Review(
            id=f"r{k}",
            name=f"R{k}",
            host_org=draw(st.sampled_from(ORGS)),
            neighbour_orgs=frozenset(draw(st.sets(st.sampled_from(ORGS), max_size=1))),
            lines_of_enquiry=frozenset(draw(st.sets(st.sampled_from(THEMES), min_size=1))),
            weeks=frozenset(draw(st.sets(st.sampled_from(WEEKS), min_size=1, max_size=2))),
            slots=SLOTS,
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    return Problem(tuple(peers), tuple(reviews))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_problems_yield_plans_that_keep_every_hard_rule(problem):
    assert set(ROLE_CODES) <= set(ROLES)
    result = solve(problem, workers=1, seed=0, time_limit=2)
    assert result.status in ("optimal", "feasible", "infeasible")
    plan = {rid: [(a.peer_id, a.slot_code) for a in team] for rid, team in result.teams.items()}
    assert check(problem, plan) == []
    assert result.bound is None or result.bound >= result.objective
