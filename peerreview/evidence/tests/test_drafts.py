"""Notes are autosaved as a private server draft while a peer types (issue 5: evidence capture)."""

import re

from django.urls import reverse

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import sign_in
from peerreview.evidence import search
from peerreview.evidence.models import Note, NoteDraft

JSON = {"HTTP_ACCEPT": "application/json"}


def _url(world, name, **kw):
    return reverse(f"evidence:{name}", kwargs={"review_id": world.review.pk, **kw})


def _draft(world, **fields):
    ev = world.extra["evidence"]
    return {
        "draft_session": ev["session"].pk,
        "text": "Managers said the front door is",
        "lines": [ev["lines"][1].pk],
        "leaning": "strength",
        "source_type": "focus_group",
        "staff_groups": "team managers",
        **fields,
    }


def test_draft_is_saved_and_restored_into_the_form_on_reload(world):
    c = world.client(Role.PEER)
    ev = world.extra["evidence"]
    r = c.post(_url(world, "draft_save"), _draft(world), **JSON)
    assert r.status_code == 200 and r.json()["saved"] is True
    assert len(r.json()["at"]) == 5  # "10:42"
    draft = NoteDraft.objects.get(review=world.review, user=world.members[Role.PEER])
    assert (draft.text, draft.line_ids, draft.leaning) == (
        "Managers said the front door is",
        [ev["lines"][1].pk],
        "strength",
    )
    assert draft.session == ev["session"]
    # Saving again updates the same draft: one per person per capture form.
    c.post(_url(world, "draft_save"), _draft(world, text="Managers said the front door is calm"), **JSON)
    assert NoteDraft.objects.filter(user=world.members[Role.PEER]).count() == 1

    page = c.get(_url(world, "session", session_id=ev["session"].pk)).content.decode()
    assert "Managers said the front door is calm</textarea>" in page
    assert f"Draft restored from <span data-draft-time>{r.json()['at']}</span>" in page
    assert "data-draft-restored>" in page and "Discard the draft" in page
    checked = re.findall(r'<input[^>]*name="lines"[^>]*>', page)
    assert [f'value="{ev["lines"][1].pk}"' in box for box in checked if "checked" in box] == [True]
    assert 'data-draft-updated="20' in page
    # A draft is not evidence: not counted on the board and not found by search.
    board = c.get(_url(world, "board")).content.decode()
    assert Note.objects.filter(review=world.review).count() == 1
    assert "front door is calm" not in board
    assert not search.search(world.review, "calm").notes


def test_a_plain_post_saves_a_draft_and_goes_back_to_the_form(world):
    c = world.client(Role.PEER)
    r = c.post(_url(world, "draft_save"), _draft(world))
    assert r.status_code == 302 and r.url == _url(world, "session", session_id=world.extra["evidence"]["session"].pk)
    assert NoteDraft.objects.filter(user=world.members[Role.PEER]).exists()
    assert c.get(_url(world, "draft_save")).status_code == 405


def test_the_document_form_has_its_own_draft(world):
    c = world.client(Role.PEER)
    r = c.post(
        _url(world, "draft_save"),
        _draft(world, draft_session="", text="Audit report shows", source_ref="QA report 2025", day="2026-03-03"),
        **JSON,
    )
    assert r.status_code == 200
    draft = NoteDraft.objects.get(user=world.members[Role.PEER], form_key="document")
    assert draft.session is None and draft.source_ref == "QA report 2025" and str(draft.day) == "2026-03-03"
    page = c.get(_url(world, "note_new")).content.decode()
    assert "\nAudit report shows</textarea>" in page and 'value="QA report 2025"' in page
    session_page = c.get(_url(world, "session", session_id=world.extra["evidence"]["session"].pk)).content.decode()
    assert "Audit report shows" not in session_page and "data-draft-restored hidden" in session_page


def test_other_users_never_see_a_draft(world):
    world.client(Role.PEER).post(_url(world, "draft_save"), _draft(world, text="Private working thought"), **JSON)
    url = _url(world, "session", session_id=world.extra["evidence"]["session"].pk)
    for role in (Role.LEAD, Role.OBSERVER, Role.PCM):
        page = world.client(role).get(url).content.decode()
        assert "Private working thought" not in page and "data-draft-restored hidden" in page
    # The lead's own autosave makes the lead's own draft; the peer's is untouched.
    world.client(Role.LEAD).post(_url(world, "draft_save"), _draft(world, text="Lead's thought"), **JSON)
    assert NoteDraft.objects.get(user=world.members[Role.PEER]).text == "Private working thought"
    assert NoteDraft.objects.get(user=world.members[Role.LEAD]).text == "Lead's thought"
    # The host and the case auditor cannot use the draft endpoints at all.
    for role in (Role.SPONSOR, Role.CASE_AUDITOR):
        assert world.client(role).post(_url(world, "draft_save"), _draft(world), **JSON).status_code == 404


def test_saving_the_note_deletes_the_draft(world):
    c = world.client(Role.PEER)
    ev = world.extra["evidence"]
    c.post(_url(world, "draft_save"), _draft(world, text="Thresholds are clear"), **JSON)
    r = c.post(
        _url(world, "session", session_id=ev["session"].pk),
        {k: v for k, v in _draft(world, text="Thresholds are clear to everyone").items()},
        **JSON,
    )
    assert r.status_code == 200 and r.json()["saved"] is True
    assert not NoteDraft.objects.filter(user=world.members[Role.PEER]).exists()
    event = AuditEvent.objects.get(verb="evidence.note_added", object_ref=str(r.json()["id"]))
    assert event.detail == {"from_draft": True}
    page = c.get(_url(world, "session", session_id=ev["session"].pk)).content.decode()
    assert "data-draft-restored hidden" in page and ">Thresholds are clear</textarea>" not in page


def test_autosaves_are_not_audited_but_a_discard_is(world):
    c = world.client(Role.PEER)
    before = AuditEvent.objects.count()
    for n in range(5):
        c.post(_url(world, "draft_save"), _draft(world, text="Typing" + "." * n), **JSON)
    assert AuditEvent.objects.count() == before
    r = c.post(_url(world, "draft_discard"), {"draft_session": world.extra["evidence"]["session"].pk})
    assert r.status_code == 302
    assert not NoteDraft.objects.exists()
    assert AuditEvent.objects.filter(verb="evidence.draft_discarded", actor=world.members[Role.PEER]).count() == 1
    assert "Draft discarded" in c.get(r.url).content.decode()


def test_emptying_the_note_removes_the_draft(world):
    c = world.client(Role.PEER)
    c.post(_url(world, "draft_save"), _draft(world), **JSON)
    r = c.post(_url(world, "draft_save"), _draft(world, text="   "), **JSON)
    assert r.json() == {"saved": True, "empty": True}
    assert not NoteDraft.objects.exists()


def test_oversized_and_foreign_drafts_are_refused(world):
    c = world.client(Role.PEER)
    r = c.post(_url(world, "draft_save"), _draft(world, text="x" * 5001), **JSON)
    assert r.status_code == 400
    assert r.json() == {"saved": False, "errors": ["The note must be 5,000 characters or fewer"]}
    other = world.extra["other_evidence"]
    r = c.post(_url(world, "draft_save"), _draft(world, lines=[other["lines"][0].pk]), **JSON)
    assert r.json()["errors"] == ["Choose lines of enquiry from this review"]
    r = c.post(_url(world, "draft_save"), _draft(world, leaning="furious"), **JSON)
    assert r.status_code == 400
    # Another review's session: 404, as for any other id from another review.
    r = c.post(_url(world, "draft_save"), _draft(world, draft_session=other["session"].pk), **JSON)
    assert r.status_code == 404
    assert c.post(_url(world, "draft_save"), _draft(world, draft_session="abc"), **JSON).status_code == 404
    assert not NoteDraft.objects.exists()
    # Without the script the refusal comes back as a message on the capture page.
    r = c.post(_url(world, "draft_save"), _draft(world, text="x" * 5001), follow=True)
    assert "Not saved as a draft: The note must be 5,000 characters or fewer" in r.content.decode()


def test_a_draft_in_another_review_stays_there(world):
    world.client(Role.PEER).post(_url(world, "draft_save"), _draft(world), **JSON)
    other = sign_in(world.other_members[Role.PEER])
    other_session = world.extra["other_evidence"]["session"]
    page = other.get(
        reverse("evidence:session", kwargs={"review_id": world.other_review.pk, "session_id": other_session.pk})
    ).content.decode()
    assert "Managers said the front door is" not in page


def test_purge_removes_drafts_and_notes(world):
    from peerreview.evidence import purge

    world.client(Role.PEER).post(_url(world, "draft_save"), _draft(world), **JSON)
    assert purge.purge(world.review) == 2  # one note, one draft
    assert not NoteDraft.objects.filter(review=world.review).exists()
    assert not Note.objects.filter(review=world.review).exists()
    assert Note.objects.filter(review=world.other_review).exists()
    assert not world.review.findings.exists() and world.other_review.findings.exists()
