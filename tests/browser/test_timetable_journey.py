"""The organiser enters a participant and availability; the PCM solves the week, moves a session by hand and
sees the rule it breaks, marks the interviewee ill and repairs the week, then downloads the XLSX and a peer's
calendar file. axe checks every page on the way."""

import io
from pathlib import Path

import icalendar
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.roles import Role
from peerreview.core.testing import make_review, make_user
from peerreview.reviews import actions as review_actions
from peerreview.timetable import actions, build
from peerreview.timetable.models import CalendarEntry, Participant, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _review():
    pcm = make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    review = make_review(pcm=pcm)
    for email, name, role in [
        ("organiser@example.org", "Ben Adeyemi", Role.ORGANISER),
        ("lead@example.org", "Gareth Hughes", Role.LEAD),
        ("peer@example.org", "Tom Barker", Role.PEER),
        ("observer@example.org", "Helen Okafor", Role.OBSERVER),
    ]:
        make_user(email, full_name=name)
        review_actions.add_member(review, by=pcm, email=email, full_name=name, role=role)
    actions.add_template_events(review, by=pcm)
    for i in range(2):
        p = Participant.objects.create(review=review, name=f"Team managers {i + 1}", kind="group")
        s = Session.objects.create(
            review=review, title=f"Focus group {i + 1}", kind="focus_group", minutes=60, peers_needed=2
        )
        s.participants.add(p)
    return review


def test_organiser_and_pcm_build_solve_repair_and_send_the_week(browser_page, live_server):
    page = browser_page
    review = _review()
    base = f"{live_server.url}/reviews/{review.pk}/timetable"
    days = build.week_days(review)

    # The organiser enters a participant, a session and when the participant cannot attend.
    sign_in_browser(page, live_server, "organiser@example.org")
    page.goto(f"{base}/setup/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a participant").click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Name or staff group").fill("Head of Early Help")
    page.get_by_label("A named person").check()
    page.get_by_label("Organisation").fill("Kent County Council")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Add a session").click()
    assert_accessible(page)
    page.get_by_label("Session title").fill("Interview with the Head of Early Help")
    page.get_by_label("Type of session").select_option("interview")
    page.get_by_label("Head of Early Help").check()
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Meeting link (optional)").fill("https://meet.example.org/early-help")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved “Interview with the Head of Early Help”").is_visible()
    page.goto(f"{base}/availability/")
    assert_accessible(page)
    page.get_by_label("Who or what is unavailable").select_option(label="Head of Early Help (participant)")
    page.get_by_label("Day", exact=True).select_option(days[0].isoformat())
    page.get_by_label("From").fill("13:00")
    page.get_by_label("Until").fill("17:30")
    page.get_by_label("Reason (optional)").fill("Court")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("cell", name="Court").is_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # The PCM sees the capacity count and solves the week.
    sign_in_browser(page, live_server, "pcm@example.org")
    page.goto(f"{base}/solve/")
    assert page.get_by_text("Whole week: sessions need").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Solve the week").click()
    assert page.get_by_text("The week is planned").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the week").click()
    assert_accessible(page)
    page.get_by_role("link", name="Interview with the Head of Early Help").first.click()
    assert page.get_by_text("This session breaks none of the rules").is_visible()
    assert_accessible(page)

    # Choosing the council overview's time shows at once, before saving, the rule the move would break.
    overview = Session.objects.get(review=review, kind="overview")
    interview = Session.objects.get(review=review, title="Interview with the Head of Early Help")
    placed = interview.placement()
    page.get_by_label("Day", exact=True).select_option(overview.fixed_day.isoformat())
    page.get_by_label("Start time").select_option(overview.fixed_start.strftime("%H:%M"))
    preview = page.locator("#move-preview")
    expect(preview).to_contain_text(f"If you move it to {overview.fixed_day:%A} {overview.fixed_day.day}")
    expect(preview).to_contain_text(f"at {overview.fixed_start:%H:%M}")
    expect(preview.locator(".app-preview-rules")).to_contain_text("Nobody is double-booked")
    expect(preview).to_contain_text("score (lower is better) would")
    assert Session.objects.get(pk=interview.pk).placement() == placed  # nothing saved yet
    assert_accessible(page)
    # The PCM confirms; the page shows the broken rule with an undo, and the PCM undoes it.
    preview.get_by_role("button", name="Move the session").click()
    broken = page.locator(".app-broken-rules")
    assert "Nobody is double-booked" in broken.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Undo the move").click()
    assert page.get_by_text("This session breaks none of the rules").is_visible()

    assert Session.objects.get(pk=interview.pk).placement() == placed

    # The interviewee falls ill on the day of the interview; the PCM repairs the week.
    interview = Session.objects.get(review=review, title="Interview with the Head of Early Help")
    page.goto(f"{base}/availability/")
    page.get_by_label("Who or what is unavailable").select_option(label="Head of Early Help (participant)")
    page.get_by_label("Day", exact=True).select_option(interview.day.isoformat())
    page.get_by_label("All day").check()
    page.get_by_label("Reason (optional)").fill("Ill")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="repair the week").click()
    page.get_by_role("button", name="Repair the week").click()
    assert page.get_by_role("heading", name="What moved").is_visible()
    assert page.get_by_role("listitem").filter(has_text="Interview with the Head of Early Help").count() >= 1
    assert_accessible(page)
    moved = Session.objects.get(pk=interview.pk)
    assert moved.day != interview.day and moved.sequence == interview.sequence + 1

    # The week as a grid, peers across; printable with a button from the static script.
    page.goto(f"{base}/?view=day&layout=grid")
    assert page.get_by_role("columnheader", name="Tom Barker").first.is_visible()
    assert page.get_by_role("button", name="Print this timetable").is_visible()
    assert_accessible(page)

    # Sending it: the XLSX, and a peer's calendar file.
    page.goto(f"{base}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the timetable (Excel)").click()
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells = [str(c.value) for row in wb["All sessions"].iter_rows() for c in row if c.value]
    assert "Interview with the Head of Early Help" in cells
    peer = moved.session_peers.first().membership
    page.goto(f"{base}/people/{peer.pk}/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    cal = icalendar.Calendar.from_ical(Path(info.value.path()).read_bytes())
    entry = CalendarEntry.objects.get(session=moved, membership=peer)  # one UID per session and person
    event = {str(e["UID"]): e for e in cal.walk("VEVENT")}[entry.uid]
    assert int(event["SEQUENCE"]) == entry.sequence and event.decoded("DTSTART").date() == moved.day
