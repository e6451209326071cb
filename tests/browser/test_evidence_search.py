"""A peer searches a review's evidence with a filter and pages through the results; axe checks each page.
Set EVIDENCE_SEARCH_SCREENSHOTS to a folder to keep screenshots of the pages."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.roles import Role
from peerreview.core.testing import make_review, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    folder = os.environ.get("EVIDENCE_SEARCH_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_peer_filters_and_pages_through_evidence(browser_page, live_server):
    from peerreview.evidence import actions as evidence
    from peerreview.reviews import actions

    pcm = make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    review = make_review(pcm=pcm, days_ahead=1)
    actions.choose_lines(review, by=pcm, question_codes=["leadership.self_knowledge", "front_door.thresholds"])
    peer = make_user("peer@example.org", full_name="Tom Barker")
    actions.accept_confidentiality(
        actions.add_member(review, by=pcm, email=peer.email, full_name=peer.full_name, role=Role.PEER), by=peer
    )
    lines = list(review.lines.all())
    session = evidence.create_session(
        review, by=peer, title="Front door managers", kind="focus_group", day=timezone.localdate()
    )
    for i in range(25):
        evidence.add_note(
            review,
            by=peer,
            session=session,
            text=f"Thresholds for neglect are applied consistently, example {i + 1}",
            source_type="focus_group",
            leaning="concern" if i % 5 else "strength",
            lines=[lines[1]],
        )

    page = browser_page
    sign_in_browser(page, live_server, "peer@example.org")
    page.goto(f"{live_server.url}/reviews/{review.pk}/evidence/notes/")
    page.get_by_label("Search evidence and findings").fill("neglect")
    page.get_by_text("Filters").click()
    page.get_by_label("Leaning").select_option(label="Concern")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="Evidence notes (20)").is_visible()
    assert page.get_by_text("Showing notes 1 to 20 of 20").count() == 0  # one page: no pagination
    assert page.locator(".govuk-summary-card").count() == 20
    assert_accessible(page)

    page.get_by_label("Leaning").select_option(label="Any leaning")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("Showing notes 1 to 20 of 25, newest first.").is_visible()
    assert page.locator(".govuk-summary-card").first.get_by_text("example 25", exact=False).is_visible()
    _shot(page, "search-page-1")
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    assert page.get_by_text("Showing notes 21 to 25 of 25, newest first.").is_visible()
    assert page.locator(".govuk-summary-card").count() == 5
    assert page.get_by_label("Search evidence and findings").input_value() == "neglect"  # the search is kept
    _shot(page, "search-page-2")
    assert_accessible(page)
    page.get_by_role("link", name="Page 1").click()
    assert page.get_by_text("Showing notes 1 to 20 of 25, newest first.").is_visible()
