"""A peer captures notes in two sessions and proposes a finding; it is unsupported until there is enough
evidence; the observer challenges it; the lead resolves the challenge and agrees it; the PCM makes the
presentation and the report, which are reopened and checked. axe checks the pages on the way."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from pptx import Presentation

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.roles import Role
from peerreview.core.testing import make_review, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINE = "Vision, strategy and leadership"


def _team():
    from peerreview.reviews import actions

    pcm = make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    review = make_review(pcm=pcm, days_ahead=1)
    actions.choose_lines(review, by=pcm, question_codes=["leadership.self_knowledge", "front_door.thresholds"])
    actions.accept_confidentiality(review.memberships.get(user=pcm), by=pcm)
    for email, name, role in [
        ("peer@example.org", "Tom Barker", Role.PEER),
        ("peer2@example.org", "Aisha Rahman", Role.PEER),
        ("observer@example.org", "Helen Okafor", Role.OBSERVER),
        ("lead@example.org", "Gareth Hughes", Role.LEAD),
    ]:
        user = make_user(email, full_name=name)
        m = actions.add_member(review, by=pcm, email=email, full_name=name, role=role)
        actions.accept_confidentiality(m, by=user)
    return review


def _switch(page, live_server, email):
    page.context.clear_cookies()
    sign_in_browser(page, live_server, email)


def _capture(page, text):
    page.get_by_label("Note", exact=True).fill(text)
    page.get_by_label(LINE).check()
    page.get_by_label("Note", exact=True).press("Control+Enter")  # saved by the script with fetch
    page.locator(".govuk-summary-card", has_text=text).wait_for()
    assert page.get_by_label("Note", exact=True).input_value() == ""


def _session(page, live_server, review, title, kind):
    page.goto(f"{live_server.url}/reviews/{review.pk}/evidence/sessions/")
    page.get_by_label("Session title").fill(title)
    page.get_by_label("Kind of session").select_option(label=kind)
    page.get_by_label("Day").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add session").click()
    assert page.get_by_role("heading", name=title).is_visible()


def test_peer_to_pcm_evidence_journey(browser_page, live_server):
    page = browser_page
    review = _team()
    sign_in_browser(page, live_server, "peer@example.org")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_role("link", name="Capture evidence").first.click()
    assert_accessible(page)

    _session(page, live_server, review, "Front door team managers", "Focus group")
    assert_accessible(page)
    # A draft survives a reload (a dropped connection or a closed tab).
    page.get_by_label("Note", exact=True).fill("Leaders visit teams every month")
    page.wait_for_timeout(600)
    page.reload()
    assert page.get_by_label("Note", exact=True).input_value() == "Leaders visit teams every month"
    page.get_by_label(LINE).check()
    page.get_by_role("button", name="Save note").click()
    page.locator(".govuk-summary-card", has_text="Leaders visit teams every month").wait_for()
    _capture(page, "Managers quote the latest audit findings")
    assert_accessible(page)

    _session(page, live_server, review, "Director of children's services", "Interview")
    _capture(page, "The director described the audit programme in detail")

    page.get_by_role("link", name="Findings").first.click()
    page.get_by_role("link", name="Propose a finding").click()
    page.get_by_label("Finding", exact=True).fill("Leaders know the quality of practice well")
    page.get_by_label("Strength", exact=True).check()
    page.get_by_label("Line of enquiry").select_option(label="Vision, strategy and leadership")
    page.get_by_role("button", name="Propose finding").click()
    assert page.get_by_text("Unsupported").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Link evidence").click()
    page.get_by_label("Leaders visit teams every month").check()
    page.get_by_label("Managers quote the latest audit findings").check()
    assert_accessible(page)
    page.get_by_role("button", name="Link evidence").click()
    assert page.get_by_text("Unsupported").is_visible()  # two notes, one source type: not yet
    assert page.get_by_text("1 more supporting evidence note").is_visible()

    page.get_by_role("link", name="Link evidence").click()
    page.get_by_label("The director described the audit programme in detail").check()
    page.get_by_role("button", name="Link evidence").click()
    assert page.locator(".govuk-tag", has_text="Supported").is_visible()
    finding_url = page.url

    _switch(page, live_server, "observer@example.org")
    page.goto(finding_url)
    page.get_by_label("Your challenge").fill("Is this only the managers' view? What do front-line workers say?")
    page.get_by_role("button", name="Raise a challenge").click()
    assert page.locator(".govuk-tag", has_text="Challenged").is_visible()
    assert_accessible(page)

    _switch(page, live_server, "lead@example.org")
    page.goto(finding_url)
    assert page.get_by_text("Resolve the open challenge before agreeing this finding").is_visible()
    assert page.get_by_role("button", name="Agree finding").count() == 0
    page.get_by_label("How the team resolved the challenge").fill("Social workers in the second focus group agreed")
    page.get_by_role("button", name="Resolve challenge").click()
    page.get_by_role("button", name="Agree finding").click()
    assert page.locator(".govuk-tag", has_text="Agreed").is_visible()
    assert_accessible(page)

    _switch(page, live_server, "pcm@example.org")
    page.goto(f"{live_server.url}/reviews/{review.pk}/evidence/matrix/")
    assert_accessible(page)
    page.get_by_role("link", name="Report", exact=True).click()
    assert_accessible(page)
    files = {}
    for label, kind in [("feedback presentation (powerpoint)", "pptx"), ("written report (word)", "docx")]:
        page.get_by_role("link", name=f"Make the {label}").click()
        assert_accessible(page)
        page.get_by_role("button", name=f"Make the {label}").click()
        assert page.get_by_text("is ready to download").is_visible()
        with page.expect_download() as info:
            page.get_by_role(
                "link",
                name=f"{'Feedback presentation (PowerPoint)' if kind == 'pptx' else 'Written report (Word)'} version 1",
            ).click()
        files[kind] = Path(info.value.path()).read_bytes()

    prs = Presentation(io.BytesIO(files["pptx"]))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "K1: Vision, strategy and leadership" in titles and "Next steps" in titles
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Leaders know the quality of practice well" in text
    doc = Document(io.BytesIO(files["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "K1: Vision, strategy and leadership" in headings and "Strengths" in headings
    assert any("Leaders know the quality of practice well" in p.text for p in doc.paragraphs)
