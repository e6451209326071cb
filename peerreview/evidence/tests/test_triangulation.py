import pytest

from peerreview.core.roles import Role
from peerreview.core.testing import make_user
from peerreview.evidence import actions
from peerreview.evidence.triangulation import Strength, rule_for, strength_of


def test_strength_names_every_shortfall():
    s = Strength(items=1, source_types=1, peers=1, sessions=1, rule=(3, 2, 2))
    assert not s.supported
    assert s.shortfalls == [
        "2 more supporting evidence notes",
        "1 more source type",
        "evidence from 1 more peer or session",
    ]


def test_strength_is_supported_at_the_thresholds():
    assert Strength(items=3, source_types=2, peers=1, sessions=2, rule=(3, 2, 2)).supported
    assert Strength(items=3, source_types=2, peers=2, sessions=0, rule=(3, 2, 2)).supported
    assert not Strength(items=3, source_types=1, peers=2, sessions=2, rule=(3, 2, 2)).supported
    assert not Strength(items=2, source_types=2, peers=2, sessions=2, rule=(3, 2, 2)).supported


def _note(world, by, source_type, session=None):
    ev = world.extra["evidence"]
    return actions.add_note(
        world.review,
        by=by,
        text=f"Evidence from {source_type}",
        source_type=source_type,
        lines=[ev["lines"][0]],
        session=session,
        source_ref="" if session else "Performance pack, table 3",
    )


def test_strength_counts_only_supporting_evidence_from_the_database(world):
    ev = world.extra["evidence"]
    peer = world.members[Role.PEER]
    lead = world.members[Role.LEAD]
    finding = actions.create_finding(world.review, by=peer, kind="area", title="Supervision is irregular")
    assert not strength_of(finding).supported
    notes = [_note(world, peer, "interview", ev["session"]), _note(world, peer, "interview", ev["session"])]
    actions.link_notes(finding, by=peer, notes=notes, supports=True)
    s = strength_of(finding)
    assert (s.items, s.source_types, s.places) == (2, 1, 1)
    actions.link_notes(finding, by=peer, notes=[_note(world, lead, "data")], supports=False)
    s = strength_of(finding)
    assert (s.items, s.contradicting, s.supported) == (2, 1, False)
    actions.link_notes(finding, by=lead, notes=[_note(world, lead, "document")], supports=True)
    s = strength_of(finding)
    assert (s.items, s.source_types, s.peers, s.supported) == (3, 2, 2, True)


def test_rule_comes_from_the_review_type_yaml(world):
    assert rule_for(world.review) == (3, 2, 2)
    rt = world.review.review_type
    rt.config = {
        **rt.config,
        "triangulation": {"min_items": 5, "min_source_types": 3, "min_distinct_peers_or_sessions": 1},
    }
    rt.save()
    world.review.refresh_from_db()
    assert rule_for(world.review) == (5, 3, 1)


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_empty_and_oversized_notes_are_refused_by_the_action(world, text):
    ev = world.extra["evidence"]
    with pytest.raises(actions.EvidenceError):
        actions.add_note(
            world.review,
            by=make_user("x@example.org"),
            text=text,
            source_type="data",
            lines=ev["lines"],
            source_ref="ref",
        )
