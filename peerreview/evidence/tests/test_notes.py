from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.evidence.models import EvidenceSession, Note


def _url(world, name, **kw):
    return reverse(f"evidence:{name}", kwargs={"review_id": world.review.pk, **kw})


def test_peer_adds_a_session_and_captures_a_note(world):
    c = world.client(Role.PEER)
    ev = world.extra["evidence"]
    r = c.post(_url(world, "sessions"), {"title": "Social workers", "kind": "focus_group", "day": "2026-03-02"})
    session = EvidenceSession.objects.get(title="Social workers")
    assert r.status_code == 302 and r.url == _url(world, "session", session_id=session.pk)
    page = c.get(r.url)
    assert "autofocus" in page.content.decode() and "evidence/capture.js" in page.content.decode()
    r = c.post(
        r.url,
        {
            "text": "Caseloads are around 18.",
            "lines": [ev["lines"][2].pk],
            "leaning": "concern",
            "source_type": "focus_group",
            "staff_groups": "social workers",
        },
    )
    assert r.status_code == 302
    note = Note.objects.get(text="Caseloads are around 18.")
    assert note.session == session and note.author == world.members[Role.PEER] and note.day == session.day
    assert list(note.lines.all()) == [ev["lines"][2]]


def test_session_form_errors(world):
    r = world.client(Role.PEER).post(_url(world, "sessions"), {"title": "", "kind": "nonsense", "day": "x"})
    assert error_messages(r) == [
        "Enter the session title",
        "Choose a kind from the list",
        "Enter a real date, like 9 March 2027",
    ]
    assert not EvidenceSession.objects.filter(title="").exists()


def test_empty_oversized_and_foreign_tags_are_refused(world):
    c = world.client(Role.PEER)
    ev = world.extra["evidence"]
    url = _url(world, "session", session_id=ev["session"].pk)
    base = {"lines": [ev["lines"][0].pk], "leaning": "neutral", "source_type": "interview"}
    assert error_messages(c.post(url, {**base, "text": ""})) == ["Enter the note"]
    assert error_messages(c.post(url, {**base, "text": "x" * 5001})) == ["The note must be 5,000 characters or fewer"]
    other_line = world.extra["other_evidence"]["lines"][0]
    r = c.post(url, {**base, "text": "Fine", "lines": [other_line.pk]})
    assert error_messages(r) == ["Choose lines of enquiry from this review"]
    assert error_messages(c.post(url, {**base, "text": "Fine", "lines": []})) == ["Choose at least one line of enquiry"]
    assert not Note.objects.filter(text="Fine").exists()


def test_capture_answers_json_for_the_script(world):
    c = world.client(Role.PEER)
    ev = world.extra["evidence"]
    url = _url(world, "session", session_id=ev["session"].pk)
    base = {"lines": [ev["lines"][0].pk], "leaning": "neutral", "source_type": "interview"}
    r = c.post(url, {**base, "text": "Saved by script"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r.json()["saved"] is True
    r = c.post(url, {**base, "text": ""}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json() == {"saved": False, "errors": ["Enter the note"]}


def test_note_without_a_session_needs_a_reference(world):
    c = world.client(Role.LEAD)
    ev = world.extra["evidence"]
    base = {
        "text": "Re-referrals rose to 27%",
        "lines": [ev["lines"][1].pk],
        "leaning": "concern",
        "source_type": "data",
        "day": "2026-03-03",
    }
    r = c.post(_url(world, "note_new"), base)
    assert error_messages(r) == ["Enter the document, data item or case reference"]
    r = c.post(_url(world, "note_new"), {**base, "source_ref": "Performance pack Q3"})
    assert r.status_code == 302
    assert Note.objects.get(source_ref="Performance pack Q3").session is None


def test_only_the_author_or_a_lead_changes_a_note(world):
    ev = world.extra["evidence"]
    url = _url(world, "note_edit", note_id=ev["note"].pk)
    r = world.client(Role.OBSERVER).get(url)
    assert r.status_code == 302
    r = world.client(Role.PEER).post(
        url, {"text": "Changed", "lines": [ev["lines"][1].pk], "leaning": "neutral", "source_type": "interview"}
    )
    assert r.status_code == 302
    assert Note.objects.get(pk=ev["note"].pk).text == "Changed"


def test_a_note_supporting_an_agreed_finding_cannot_be_deleted(world):
    from peerreview.evidence.models import Finding

    ev = world.extra["evidence"]
    Finding.objects.filter(pk=ev["finding"].pk).update(status="agreed")
    c = world.client(Role.PEER)
    c.post(_url(world, "note_delete", note_id=ev["note"].pk))
    assert Note.objects.filter(pk=ev["note"].pk).exists()
    Finding.objects.filter(pk=ev["finding"].pk).update(status="theory")
    c.post(_url(world, "note_delete", note_id=ev["note"].pk))
    assert not Note.objects.filter(pk=ev["note"].pk).exists()


def test_other_reviews_objects_give_404(world):
    other = world.extra["other_evidence"]
    c = world.client(Role.PEER)
    assert c.get(_url(world, "session", session_id=other["session"].pk)).status_code == 404
    assert c.get(_url(world, "note_edit", note_id=other["note"].pk)).status_code == 404
    assert c.get(_url(world, "finding", finding_id=other["finding"].pk)).status_code == 404
    assert c.post(_url(world, "challenge_resolve", challenge_id=other["challenge"].pk)).status_code == 404
    assert c.get(_url(world, "output_download", output_id=other["output"].pk)).status_code == 404


def test_host_and_case_auditor_never_see_notes(world):
    for role in (Role.SPONSOR, Role.ORGANISER, Role.CASE_AUDITOR):
        c = world.client(role)
        assert c.get(_url(world, "notes")).status_code == 404
        assert c.get(_url(world, "board")).status_code == 404
