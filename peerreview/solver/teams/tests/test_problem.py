import pytest

from peerreview.solver.teams import Options, Peer, Problem, ProblemError, Slot, eligibility, week_text

from .factory import peer, review


def test_slot_min_more_than_max_is_reported():
    with pytest.raises(ProblemError) as exc:
        Slot("lead", "Review lead", frozenset({"dcs"}), 3, 2)
    assert "min (3) is more than max (2)" in str(exc.value)


def test_peer_collects_every_error():
    with pytest.raises(ProblemError) as exc:
        Peer(id="p", name="P", organisation="", role="wizard", yearly_cap=-1, unavailable_weeks={"March"})
    assert len(exc.value.errors) == 4
    assert any(e.startswith("role:") for e in exc.value.errors)
    assert any("ISO week" in e for e in exc.value.errors)


def test_problem_rejects_duplicate_ids_and_unknown_pins():
    p = peer("p1", "dcs")
    with pytest.raises(ProblemError) as exc:
        Problem((p, p), (review(pinned={"ghost"}),))
    messages = "\n".join(exc.value.errors)
    assert "peers[1].id" in messages
    assert "reviews[0].pinned: unknown peer id(s) ghost" in messages


def test_week_text_uses_the_monday_in_british_format():
    assert week_text("2027-W10") == "week of 8 March 2027"


def test_eligibility_labels_each_rule():
    r = review(host="H", host_region="SE", neighbour_orgs={"N"}, year=2027)
    opts = Options(same_region_conflict=True, former_employer_years=5, today_year=2027)
    cases = {
        "own_council": peer("p", "ad", "H"),
        "neighbour": peer("p", "ad", "N"),
        "same_region": peer("p", "ad", "Z", region="SE"),
        "former_employer": peer("p", "ad", "Z", former_employers=(("H", 2024),)),
        "declared_conflict": peer("p", "ad", "Z", conflict_orgs={"H"}),
        "unavailable": peer("p", "ad", "Z", unavailable_weeks={"2027-W10"}),
        "yearly_cap": peer("p", "ad", "Z", reviews_this_year=1),
    }
    for rule, p in cases.items():
        reasons = eligibility(p, r, opts)
        assert [x.rule for x in reasons] == [rule], rule
    assert eligibility(peer("p", "ad", "Z", former_employers=(("H", 2015),)), r, opts) == []
    assert "unavailable in week of 8 March 2027" in eligibility(cases["unavailable"], r, opts)[0].label
