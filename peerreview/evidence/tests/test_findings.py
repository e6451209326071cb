from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.evidence import actions
from peerreview.evidence.models import Challenge, Finding, FindingLink


def _url(world, name, **kw):
    return reverse(f"evidence:{name}", kwargs={"review_id": world.review.pk, **kw})


def _supported(world, finding):
    ev = world.extra["evidence"]
    peer, lead = world.members[Role.PEER], world.members[Role.LEAD]
    notes = [
        actions.add_note(
            world.review, by=peer, text="A", source_type="interview", lines=ev["lines"], session=ev["session"]
        ),
        actions.add_note(world.review, by=lead, text="B", source_type="data", lines=ev["lines"], source_ref="Pack"),
        actions.add_note(world.review, by=lead, text="C", source_type="document", lines=ev["lines"], source_ref="Plan"),
    ]
    actions.link_notes(finding, by=peer, notes=notes, supports=True)


def test_peer_proposes_a_finding_and_links_evidence(world):
    ev = world.extra["evidence"]
    c = world.client(Role.PEER)
    r = c.post(
        _url(world, "finding_new"),
        {"title": "Leaders know their service", "kind": "strength", "line": ev["lines"][0].pk},
    )
    finding = Finding.objects.get(title="Leaders know their service")
    assert r.url == _url(world, "finding", finding_id=finding.pk)
    page = c.get(r.url).content.decode()
    assert "Unsupported" in page and "3 more supporting evidence notes" in page
    assert c.get(_url(world, "finding_link", finding_id=finding.pk) + "?all=1").status_code == 200
    r = c.post(
        _url(world, "finding_link", finding_id=finding.pk), {"notes": [ev["note"].pk], "relation": "contradicts"}
    )
    assert r.status_code == 302
    assert FindingLink.objects.get(finding=finding, note=ev["note"]).supports is False
    page = c.get(_url(world, "finding", finding_id=finding.pk)).content.decode()
    assert "Contradicting evidence (1)" in page
    link = FindingLink.objects.get(finding=finding)
    c.post(_url(world, "finding_unlink", finding_id=finding.pk, link_id=link.pk))
    assert not FindingLink.objects.filter(pk=link.pk).exists()


def test_finding_form_errors(world):
    r = world.client(Role.PEER).post(_url(world, "finding_new"), {"title": "", "kind": ""})
    assert error_messages(r) == ["Enter the finding", "Choose the type of finding"]


def test_evidence_from_another_review_cannot_be_linked(world):
    ev, other = world.extra["evidence"], world.extra["other_evidence"]
    c = world.client(Role.PEER)
    r = c.post(
        _url(world, "finding_link", finding_id=ev["finding"].pk), {"notes": [other["note"].pk], "relation": "supports"}
    )
    assert error_messages(r) == ["You can only link evidence from this review"]
    assert not FindingLink.objects.filter(note=other["note"], finding=ev["finding"]).exists()
    try:
        actions.link_notes(ev["finding"], by=world.members[Role.PEER], notes=[other["note"]], supports=True)
    except actions.EvidenceError as exc:
        assert "this review" in str(exc)
    else:
        raise AssertionError("linked another review's note")


def test_tag_from_another_review_is_refused_for_a_finding(world):
    other_line = world.extra["other_evidence"]["lines"][0]
    r = world.client(Role.PEER).post(_url(world, "finding_new"), {"title": "X", "kind": "area", "line": other_line.pk})
    assert error_messages(r) == ["Choose a line of enquiry from this review"]


def test_unsupported_finding_needs_the_leads_reason(world):
    ev = world.extra["evidence"]
    finding = actions.create_finding(world.review, by=world.members[Role.PEER], kind="area", title="Weak QA")
    url = _url(world, "finding_agree", finding_id=finding.pk)
    world.client(Role.PCM).post(url, {"override_reason": "We are sure"})
    finding.refresh_from_db()
    assert finding.status == "theory"
    world.client(Role.LEAD).post(url, {"override_reason": ""})
    finding.refresh_from_db()
    assert finding.status == "theory"
    world.client(Role.LEAD).post(url, {"override_reason": "The DCS told us this in the overview and data agree"})
    finding.refresh_from_db()
    assert finding.status == "agreed" and finding.override_reason
    assert ev  # the world's finding is untouched
    assert world.client(Role.PEER).post(url).status_code == 404


def test_open_challenge_blocks_agreement_until_resolved(world):
    ev = world.extra["evidence"]
    finding = ev["finding"]
    _supported(world, finding)
    lead = world.client(Role.LEAD)
    lead.post(_url(world, "finding_agree", finding_id=finding.pk))
    finding.refresh_from_db()
    assert finding.status == "theory"  # the world's finding has an open challenge from the observer
    r = lead.post(_url(world, "challenge_resolve", challenge_id=ev["challenge"].pk), {"resolution": ""})
    assert Challenge.objects.get(pk=ev["challenge"].pk).is_open
    lead.post(
        _url(world, "challenge_resolve", challenge_id=ev["challenge"].pk),
        {"resolution": "Police and health confirmed it in the MASH session"},
    )
    assert not Challenge.objects.get(pk=ev["challenge"].pk).is_open
    r = lead.post(_url(world, "finding_agree", finding_id=finding.pk))
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "agreed" and finding.override_reason == ""


def test_observer_challenge_reopens_an_agreed_finding(world):
    ev = world.extra["evidence"]
    finding = ev["finding"]
    Finding.objects.filter(pk=finding.pk).update(status="agreed")
    c = world.client(Role.OBSERVER)
    c.post(_url(world, "finding_challenge", finding_id=finding.pk), {"text": ""})
    assert finding.challenges.count() == 1
    c.post(_url(world, "finding_challenge", finding_id=finding.pk), {"text": "Is this only the managers' view?"})
    finding.refresh_from_db()
    assert finding.challenges.count() == 2 and finding.status == "theory"
    assert "Challenged" in c.get(_url(world, "board")).content.decode()


def test_second_save_of_the_same_finding_gets_a_conflict_with_both_versions(world):
    ev = world.extra["evidence"]
    finding = ev["finding"]
    url = _url(world, "finding_edit", finding_id=finding.pk)
    a, b = world.client(Role.PEER), world.client(Role.LEAD)
    assert f'value="{finding.version}"' in a.get(url).content.decode()
    b.get(url)
    form = {"kind": "strength", "line": ev["lines"][1].pk, "version": finding.version}
    r = a.post(url, {**form, "title": "Peer A's wording", "detail": "A"})
    assert r.status_code == 302
    r = b.post(url, {**form, "title": "Lead B's wording", "detail": "B"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "Someone else changed this finding while you were editing it" in page
    assert "Peer A&#x27;s wording" in page and "Lead B&#x27;s wording" in page
    finding.refresh_from_db()
    assert finding.title == "Peer A's wording"
    # B saves again from the conflict page, knowingly over A's version.
    r = b.post(url, {**form, "version": finding.version, "title": "Merged wording", "detail": "A and B"})
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.title == "Merged wording" and finding.version == 3


def test_board_shows_strength_at_a_glance(world):
    page = world.client(Role.OBSERVER).get(_url(world, "board")).content.decode()
    assert "Thresholds are well understood" in page and "1 note, 1 source type" in page
