"""A PCM signs in, creates a review, scopes it and invites a peer; axe checks every page on the way."""

import datetime

import pytest
from django.utils import timezone

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pcm_creates_scopes_and_invites(browser_page, live_server, mailoutbox):
    page = browser_page
    make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    sign_in_browser(page, live_server, "pcm@example.org")
    assert_accessible(page)

    page.get_by_role("link", name="Start a review").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Create review").click()  # nothing filled in: errors, nothing lost
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Host council").select_option(label="Kent County Council")
    page.get_by_label("Type of review").select_option(label="Children's services remote peer diagnostic")
    start = timezone.localdate() + datetime.timedelta(days=90)
    page.get_by_label("Delivery start date").fill(start.isoformat())
    page.get_by_role("button", name="Create review").click()
    assert page.get_by_role("heading", name="Overview").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Scope", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the scoping meeting").click()
    page.get_by_label("Date of the scoping meeting").fill(timezone.localdate().isoformat())
    page.get_by_label("Who attended").fill("Director of Children's Services (sponsor)\nLGA peer challenge manager")
    page.get_by_label("Purpose question").fill("How well do partners respond to neglect?")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Choose lines of enquiry from the library").click()
    assert_accessible(page)
    page.get_by_label("How well do practitioners recognise and respond to neglect?").check()
    page.get_by_role("button", name="Save lines of enquiry").click()
    assert page.get_by_text("How well do practitioners recognise and respond to neglect?").is_visible()

    page.get_by_role("link", name="People").click()
    page.get_by_role("button", name="Add a person").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Tom Barker")
    page.get_by_label("Email address").fill("tom.barker@example.org")
    page.get_by_label("Peer", exact=True).check()
    page.get_by_role("button", name="Add and invite").click()
    assert page.get_by_role("cell", name="Tom Barker", exact=True).is_visible()
    assert_accessible(page)
    assert any("tom.barker@example.org" in m.to for m in mailoutbox)
