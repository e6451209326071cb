"""A peer types a note on a phone; it is saved to the server as a draft, survives a reload even when the device
copy is gone, is kept on the device while offline, and can be discarded. axe checks the page on the way."""

import os
from pathlib import Path

import pytest

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.roles import Role
from peerreview.core.testing import make_review, make_user
from peerreview.evidence import actions as evidence_actions
from peerreview.evidence.models import Note, NoteDraft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINE = "Vision, strategy and leadership"


def _review():
    from peerreview.reviews import actions

    pcm = make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    review = make_review(pcm=pcm, days_ahead=1)
    actions.choose_lines(review, by=pcm, question_codes=["leadership.self_knowledge", "front_door.thresholds"])
    peer = make_user("peer@example.org", full_name="Tom Barker")
    m = actions.add_member(review, by=pcm, email=peer.email, full_name=peer.full_name, role=Role.PEER)
    actions.accept_confidentiality(m, by=peer)
    session = evidence_actions.create_session(
        review, by=peer, title="Front door team managers", kind="focus_group", day=review.delivery_start
    )
    return review, session


def _eventually(page, check, seconds=8):
    """Autosaves land a moment after the status says so for an earlier one: wait for the database to agree."""
    for _ in range(seconds * 10):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the draft never reached the server")


def _draft_text(review):
    draft = NoteDraft.objects.filter(review=review).first()
    return draft.text if draft else None


def test_note_draft_is_autosaved_restored_and_discarded_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    review, session = _review()
    sign_in_browser(page, live_server, "peer@example.org")
    url = f"{live_server.url}/reviews/{review.pk}/evidence/sessions/{session.pk}/"
    page.goto(url)
    note = page.get_by_label("Note", exact=True)
    status = page.locator("#capture-status")

    note.fill("Leaders visit teams every month")
    page.get_by_label(LINE).check()
    page.get_by_label("Strength", exact=True).check()
    status.filter(has_text="Saved as draft at").wait_for()
    _eventually(page, lambda: NoteDraft.objects.filter(review=review, leaning="strength").exists())
    assert _draft_text(review) == "Leaders visit teams every month"

    # The server's copy alone brings the note back: clear the device copy, then open the page afresh (a reload
    # could let the browser refill the form by itself).
    page.evaluate("localStorage.clear()")
    page.goto(url)
    assert page.get_by_label("Note", exact=True).input_value() == "Leaders visit teams every month"
    assert page.get_by_label(LINE).is_checked() and page.get_by_label("Strength", exact=True).is_checked()
    restored = page.locator("#draft-restored")
    assert restored.is_visible() and "Draft restored from" in restored.inner_text()
    assert_accessible(page)
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shots = os.environ.get("PEERREVIEW_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "evidence-draft-phone.png"), full_page=True)

    # Offline: the text stays on the device and the page says so; back online, the server catches up.
    page.context.set_offline(True)
    page.get_by_label("Note", exact=True).fill("Leaders visit teams every month and read case files")
    status.filter(has_text="Not saved: you appear to be offline. Your text is kept on this device.").wait_for()
    page.context.set_offline(False)
    status.filter(has_text="Saved as draft at").wait_for()
    _eventually(page, lambda: _draft_text(review) == "Leaders visit teams every month and read case files")

    # A newer copy on the device (typed with no signal, then the tab was closed) wins over the server's draft.
    key = page.locator("form[data-evidence-capture]").get_attribute("data-draft-key")
    page.evaluate(
        """([key, line]) => localStorage.setItem(`evidence-draft:${key}`, JSON.stringify({
            savedAt: Date.now() + 1000, text: "Typed on the train with no signal", leaning: "concern", lines: [line]}))""",
        [key, page.get_by_label(LINE).get_attribute("value")],
    )
    page.goto(url)
    assert page.get_by_label("Note", exact=True).input_value() == "Typed on the train with no signal"
    assert page.get_by_label("Concern", exact=True).is_checked()
    assert page.locator("#draft-restored").is_visible()
    status.filter(has_text="Saved as draft at").wait_for()  # and the server gets it
    _eventually(page, lambda: _draft_text(review) == "Typed on the train with no signal")
    assert NoteDraft.objects.get(review=review).leaning == "concern"

    page.get_by_role("button", name="Discard the draft").click()
    page.get_by_text("Draft discarded").wait_for()
    assert page.get_by_label("Note", exact=True).input_value() == ""
    assert not page.locator("#draft-restored").is_visible()
    assert not NoteDraft.objects.filter(review=review).exists()

    # Saving the note for real removes the draft.
    page.get_by_label("Note", exact=True).fill("Managers quote the latest audit findings")
    page.get_by_label(LINE).check()
    status.filter(has_text="Saved as draft at").wait_for()
    page.get_by_label("Note", exact=True).press("Control+Enter")
    page.locator(".govuk-summary-card", has_text="Managers quote the latest audit findings").wait_for()
    assert not NoteDraft.objects.filter(review=review).exists()
    assert Note.objects.filter(review=review).count() == 1
    page.reload()
    assert page.get_by_label("Note", exact=True).input_value() == ""
