"""Solving, moving by hand, repairing, and sending the week."""

import datetime as dt
import io
import json
import subprocess
import sys

import icalendar
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from peerreview.core.audit import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.solver.timetable import RULES
from peerreview.timetable import build
from peerreview.timetable.models import CalendarEntry, Participant, PeerSetting, Session, SolveRun, Unavailability

from .helpers import move_by_hand, previewed_key, small_week


def url(name, world, **kwargs):
    return reverse(f"timetable:{name}", kwargs={"review_id": world.review.pk, **kwargs})


def solve(world, kind="solve") -> SolveRun:
    r = world.client(Role.PCM).post(url("solve", world), {"kind": kind})
    assert r.status_code == 302, error_messages(r)
    return SolveRun.objects.filter(review=world.review).latest("created")


def test_solve_places_every_session(world):
    interviews = small_week(world)
    page = world.client(Role.PCM).get(url("solve", world)).content.decode()
    assert "Whole week: sessions need" in page  # the capacity count, before solving
    run = solve(world)
    assert run.status == SolveRun.Status.DONE, run.result
    sessions = Session.objects.filter(review=world.review)
    assert all(s.is_placed for s in sessions)
    assert build.violations(world.review) == []
    for s in interviews:
        s.refresh_from_db()
        assert s.session_peers.count() == 2 and s.sequence == 0
    overview = sessions.get(kind="overview")
    assert (overview.day, overview.start) == (overview.fixed_day, overview.fixed_start)
    page = world.client(Role.PCM).get(url("run", world, run_id=run.pk)).content.decode()
    assert "The week is planned" in page
    for view in ("day", "peer", "participant", "room"):
        page = world.client(Role.PEER).get(url("week", world) + f"?view={view}").content.decode()
        assert "Interview 1" in page


def test_bad_input_is_explained_before_solving(world):
    sessions = small_week(world, interviews=1)
    s = sessions[0]
    p = s.participants.get()
    for day in build.week_days(world.review):
        Unavailability.objects.create(
            review=world.review, participant=p, day=day, start=dt.time(9), end=dt.time(17, 30)
        )
    s2 = Session.objects.create(
        review=world.review,
        title="Front door walk-through",
        kind="interview",
        minutes=60,
        peers_needed=1,
        required_specialism="police",
    )
    clash = Session.objects.create(
        review=world.review,
        title="Extra overview",
        kind="overview",
        minutes=60,
        peers_needed=0,
        fixed_day=build.week_days(world.review)[0],
        fixed_start=dt.time(10),
    )
    c = world.client(Role.PCM)
    r = c.get(url("solve", world))
    errors = error_messages(r)
    assert "Team manager 1 is unavailable all week, so “Interview 1” cannot take place" in errors
    assert any("“Front door walk-through” needs police, which no eligible peer on the team has" in e for e in errors)
    runs = SolveRun.objects.filter(review=world.review).count()
    r = c.post(url("solve", world), {"kind": "solve"})
    assert r.status_code == 200 and SolveRun.objects.filter(review=world.review).count() == runs
    # Fix the first two: the overlapping fixed events are reported next.
    Unavailability.objects.filter(participant=p).delete()
    PeerSetting.objects.create(membership=world.extra["peer"], specialisms="police")
    errors = error_messages(c.get(url("solve", world)))
    assert len(errors) == 1 and "“Extra overview”" in errors[0] and "overlap" in errors[0], errors
    clash.delete()
    assert error_messages(c.get(url("solve", world))) == []
    assert s2.pk


def test_infeasible_week_is_explained_in_words(world):
    small_week(world, interviews=0)
    p = Participant.objects.create(review=world.review, name="Head of Early Help")
    days = build.week_days(world.review)
    # Free only 09:00–10:30 on the first day, when the overview takes the whole team: no time for the interview.
    for day in days:
        if day != days[0]:
            Unavailability.objects.create(
                review=world.review, participant=p, day=day, start=dt.time(9), end=dt.time(17, 30)
            )
    Unavailability.objects.create(
        review=world.review, participant=p, day=days[0], start=dt.time(10, 30), end=dt.time(17, 30)
    )
    s = Session.objects.create(
        review=world.review, title="Interview with the Head of Early Help", kind="interview", minutes=60, peers_needed=5
    )
    s.participants.add(p)
    run = solve(world)
    assert run.status == SolveRun.Status.FAILED
    page = world.client(Role.PCM).get(url("run", world, run_id=run.pk)).content.decode()
    assert "No timetable was found" in page
    assert any("Head of Early Help" in line for line in run.result["explanation"]), run.result
    assert not Session.objects.filter(review=world.review, day__isnull=False).exists()


def _onto_the_overview(world):
    """A solved small week, an interview and move data that puts it on the council overview (a double booking)."""
    interviews = small_week(world)
    solve(world)
    s = interviews[0]
    s.refresh_from_db()
    overview = Session.objects.get(review=world.review, kind="overview")
    peers = [str(pk) for pk in s.session_peers.values_list("membership_id", flat=True)]
    return s, {"day": overview.day.isoformat(), "start": overview.start.strftime("%H:%M"), "peers": peers}


def _unchanged(s, before, entries):
    s.refresh_from_db()
    assert s.placement() == before and s.sequence == 0 and s.undo is None
    assert list(CalendarEntry.objects.filter(session=s).values_list("sequence", "status")) == entries
    assert not AuditEvent.objects.filter(verb="timetable.move").exists()


def test_checking_a_move_shows_what_it_breaks_without_saving(world):
    s, data = _onto_the_overview(world)
    before = s.placement()
    entries = list(CalendarEntry.objects.filter(session=s).values_list("sequence", "status"))
    c = world.client(Role.PCM)
    r = c.post(url("session", world, session_id=s.pk), {**data, "action": "check"})
    assert r.status_code == 200 and error_messages(r) == []
    page = r.content.decode()
    preview = page[page.index('id="move-preview"') :]
    # Both peers are double-booked: two breaches of one rule.
    assert "This move would break 1 rule<" in preview and preview.count("<strong>Nobody is double-booked</strong>") == 2
    assert "Council overview presentation" in preview
    assert "score (lower is better) would" in preview and "Move the session" in preview
    _unchanged(s, before, entries)
    # "Move the session" with other choices than the ones checked shows the new preview and saves nothing.
    other = {**data, "start": "16:00"}
    r = c.post(url("session", world, session_id=s.pk), {**other, "action": "move", "previewed": previewed_key(page)})
    assert r.status_code == 200 and "If you move it to" in r.content.decode()
    _unchanged(s, before, entries)


def test_the_preview_follows_the_form_with_htmx(world):
    s, data = _onto_the_overview(world)
    before = s.placement()
    entries = list(CalendarEntry.objects.filter(session=s).values_list("sequence", "status"))
    c = world.client(Role.PCM)
    preview_url = url("session_preview", world, session_id=s.pk)
    r = c.post(preview_url, data, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert "Nobody is double-booked" in html and 'name="previewed"' in html
    # The same rule labels as the solver.
    assert RULES["double_booking"].label in html
    r = c.post(preview_url, {**data, "peers": []}, HTTP_HX_REQUEST="true")
    assert "choose at least one peer" in r.content.decode() and "Move the session" not in r.content.decode()
    # Without HTMX, the whole page with the preview.
    r = c.post(preview_url, data)
    assert r.status_code == 200 and "This move would break" in r.content.decode()
    _unchanged(s, before, entries)
    # Only the PCM can preview.
    assert world.client(Role.ORGANISER).post(preview_url, data, HTTP_HX_REQUEST="true").status_code == 404


def test_confirming_a_checked_move_saves_it_and_it_can_be_undone(world):
    s, data = _onto_the_overview(world)
    before = s.placement()
    c = world.client(Role.PCM)
    move_by_hand(c, world, s, data)
    page = c.get(url("session", world, session_id=s.pk)).content.decode()
    assert "Nobody is double-booked" in page
    assert "Undo the move" in page
    s.refresh_from_db()
    assert s.sequence == 1 and s.undo == before
    assert AuditEvent.objects.filter(verb="timetable.move").count() == 1
    c.post(url("session_undo", world, session_id=s.pk))
    s.refresh_from_db()
    assert s.placement() == before and s.sequence == 2
    assert "breaks none of the rules" in c.get(url("session", world, session_id=s.pk)).content.decode()


def test_preview_of_a_harmless_move_shows_the_score_change(world):
    s, data = _onto_the_overview(world)
    c = world.client(Role.PCM)
    # Its own place: nothing breaks and the score stays.
    same = {**data, "day": s.day.isoformat(), "start": s.start.strftime("%H:%M")}
    page = c.post(url("session", world, session_id=s.pk), {**same, "action": "check"}).content.decode()
    assert "This move breaks none of the rules" in page
    total = SolveRun.objects.filter(review=world.review).latest("created").result["objective"]
    assert f"would stay at {total}" in page


def test_move_form_errors_and_who_may_move(world):
    s = world.extra["session"]
    r = world.client(Role.PCM).post(url("session", world, session_id=s.pk), {"day": "", "start": ""})
    assert error_messages(r) == ["Choose the day", "Choose the start time", "Choose at least one peer"]
    r = world.client(Role.ORGANISER).post(url("session", world, session_id=s.pk), {"day": "", "start": ""})
    assert r.status_code == 404


def test_repair_after_an_interviewee_falls_ill_moves_little(world):
    interviews = small_week(world)
    solve(world)
    before = {s.pk: s.placement() for s in Session.objects.filter(review=world.review)}
    ill = interviews[1]
    ill.refresh_from_db()
    p = ill.participants.get()
    c = world.client(Role.ORGANISER)
    assert (
        c.post(
            url("unavailability", world), {"who": f"p{p.pk}", "day": ill.day.isoformat(), "reason": "Ill"}
        ).status_code
        == 302
    )
    assert any(v.rule_code == "availability" for v in build.violations(world.review))
    run = solve(world, kind="repair")
    assert run.status == SolveRun.Status.DONE, run.result
    assert "Interview 2" in run.result["moved"]
    ill.refresh_from_db()
    assert ill.day != before[ill.pk]["day"] or ill.start.strftime("%H:%M") != before[ill.pk]["start"]
    assert ill.sequence == 1
    changed = [pk for pk, old in before.items() if Session.objects.get(pk=pk).placement() != old]
    assert len(changed) == len(run.result["moved"]) and len(changed) <= 3
    page = world.client(Role.PCM).get(url("run", world, run_id=run.pk)).content.decode()
    assert "What moved" in page and "Interview 2" in page
    assert build.violations(world.review) == []


def test_repair_needs_a_solved_week(world):
    small_week(world)
    r = world.client(Role.PCM).post(url("solve", world), {"kind": "repair"})
    assert error_messages(r) == ["Solve the week before repairing it"]


def test_xlsx_and_calendars(world):
    interviews = small_week(world)
    for s in interviews:
        s.meeting_link = "https://meet.example.org/" + str(s.pk)
        s.save()
    solve(world)
    c = world.client(Role.PEER)
    r = c.get(url("xlsx", world))
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "All sessions"
    cells = [str(cell.value) for row in wb["All sessions"].iter_rows() for cell in row if cell.value]
    assert "Interview 1" in cells and "Team manager 1 (Kent County Council)" in cells
    assert len(wb.sheetnames) == 1 + len({s.day for s in Session.objects.filter(review=world.review)})

    s = interviews[0]
    s.refresh_from_db()
    member = s.session_peers.first().membership
    uid = CalendarEntry.objects.get(session=s, membership=member).uid  # one UID per session and person
    r = c.get(url("person_ics", world, membership_id=member.pk))
    assert r["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    assert str(cal["METHOD"]) == "REQUEST"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert uid in events and int(events[uid]["SEQUENCE"]) == 0
    assert "meet.example.org" in str(events[uid]["DESCRIPTION"]) + str(events[uid].get("URL", ""))

    # Move it: same UID, higher SEQUENCE.
    day = build.week_days(world.review)[2]
    move_by_hand(
        world.client(Role.PCM), world, s, {"day": day.isoformat(), "start": "14:00", "peers": [str(member.pk)]}
    )
    cal = icalendar.Calendar.from_ical(c.get(url("person_ics", world, membership_id=member.pk)).content)
    moved = {str(e["UID"]): e for e in cal.walk("VEVENT")}[uid]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART").date() == day

    # Drop it: a cancellation with the same UID.
    world.client(Role.ORGANISER).post(url("session_drop", world, session_id=s.pk))
    cal = icalendar.Calendar.from_ical(
        c.get(url("person_ics", world, membership_id=member.pk) + "?cancelled=1").content
    )
    assert str(cal["METHOD"]) == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"
    cal = icalendar.Calendar.from_ical(c.get(url("person_ics", world, membership_id=member.pk)).content)
    assert uid not in {str(e["UID"]) for e in cal.walk("VEVENT")}


def test_personal_schedule(world):
    small_week(world)
    solve(world)
    member = world.extra["peer"]
    page = world.client(Role.OBSERVER).get(url("person", world, membership_id=member.pk)).content.decode()
    assert f"Schedule for {member.user.full_name}" in page
    mine = Session.objects.filter(review=world.review, session_peers__membership=member)
    assert mine.exists()
    for s in mine:
        assert s.title in page
    assert "Download the calendar file" in page
    # Someone with nothing yet is sent back with a message rather than an empty file.
    Session.objects.filter(review=world.review).update(day=None)
    r = world.client(Role.PEER).get(url("person_ics", world, membership_id=member.pk))
    assert r.status_code == 302


def test_progress_fragment_and_stop(world):
    run = SolveRun.objects.create(review=world.review, progress={"best": 42, "bound": 30.0, "seconds": 1.5})
    c = world.client(Role.PCM)
    page = c.get(url("run", world, run_id=run.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Best plan so far scores 42" in page and "Refresh" in page
    r = c.get(url("run_progress", world, run_id=run.pk), headers={"HX-Request": "true"})
    assert "no plan can score below 30" in r.content.decode() and "<html" not in r.content.decode()
    assert c.get(url("run_progress", world, run_id=run.pk)).status_code == 302  # no HTMX: the full page
    c.post(url("run_stop", world, run_id=run.pk))
    run.refresh_from_db()
    assert run.stop_requested
    run.status = SolveRun.Status.DONE
    run.save()
    r = c.get(url("run_progress", world, run_id=run.pk), headers={"HX-Request": "true"})
    assert r["HX-Refresh"] == "true"


def test_a_stopped_solve_keeps_the_best_plan(world):
    small_week(world)
    run = SolveRun.objects.create(review=world.review, stop_requested=True)
    from peerreview.timetable import actions

    actions._solve(run.pk, build.build_problem(world.review), build.current_timetable(world.review))
    run.refresh_from_db()
    assert run.status == SolveRun.Status.STOPPED
    assert Session.objects.filter(review=world.review, day__isnull=True).count() == 0


def test_problem_json_download_command_and_command_line(world, tmp_path):
    small_week(world)
    r = world.client(Role.ORGANISER).get(url("problem_json", world))
    data = json.loads(r.content)
    assert data["format"] == "peerreview.timetable/1"
    assert {s["title"] for s in data["sessions"]} >= {"Interview 1", "Interview 2"}
    path = tmp_path / "week.json"
    call_command("export_timetable_problem", str(world.review.pk), str(path), stdout=io.StringIO())
    assert json.loads(path.read_text())["sessions"] == data["sessions"]
    out = io.StringIO()
    call_command("export_timetable_problem", str(world.review.pk), stdout=out)
    assert json.loads(out.getvalue())["format"] == "peerreview.timetable/1"
    done = subprocess.run(
        [sys.executable, "-m", "peerreview.solver.timetable", str(path), "--time-limit", "3", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] in ("optimal", "feasible")


def test_overlapping_unavailability_is_merged_before_solving(world):
    # The solver treats two overlapping unavailable times of one person as a clash; build merges them.
    interviews = small_week(world, interviews=1)
    p = interviews[0].participants.get()
    day = build.week_days(world.review)[0]
    Unavailability.objects.create(review=world.review, participant=p, day=day, start=dt.time(9), end=dt.time(17, 30))
    Unavailability.objects.create(review=world.review, participant=p, day=day, start=dt.time(13, 5), end=dt.time(14))
    problem = build.build_problem(world.review)
    (mine,) = [x for x in problem.participants if x.id == p.solver_id]
    assert [(iv.day, iv.start, iv.end) for iv in mine.unavailable if iv.day == day.isoformat()] == [
        (day.isoformat(), "09:00", "17:30")
    ]
    assert solve(world).status == SolveRun.Status.DONE


def test_the_week_as_grids_and_printable(world):
    interviews = small_week(world)
    solve(world)
    c = world.client(Role.PEER)
    s = interviews[0]
    s.refresh_from_db()
    team = build.team(world.review)
    page = c.get(url("week", world) + "?view=day&layout=grid").content.decode()
    # Per day: start times down, the peers across; the interview sits in its peers' columns only.
    for m in team:
        assert f'<th scope="col" class="govuk-table__header">{m.user.get_full_name()}</th>' in page
    row = page[page.index(f"{s.start:%H:%M}</th>", page.index(f"{s.day:%A} {s.day.day} {s.day:%B}")) :]
    row = row[: row.index("</tr>")]
    cells = row.split('<td class="govuk-table__cell">')[1:]
    peers = set(s.session_peers.values_list("membership_id", flat=True))
    for m, cell in zip(team, cells, strict=True):
        assert ("Interview 1" in cell) == (m.pk in peers)
    assert "(everyone)" in page  # the whole-team overview spans the row
    for view in ("peer", "participant", "room"):
        page = c.get(url("week", world) + f"?view={view}&layout=grid").content.decode()
        assert "app-timetable-grid" in page and "Interview 1" in page
        assert f"{s.day:%a} {s.day.day} {s.day:%b}" in page  # days across
    # Printable: a print button (from a static script) and a plain hint without JavaScript.
    page = c.get(url("week", world)).content.decode()
    assert "timetable/print.js" in page and "use your browser's print command" in page
    # The capacity count names the date, as the week can have two Mondays.
    page = world.client(Role.PCM).get(url("solve", world)).content.decode()
    first = build.week_days(world.review)[0]
    assert f"{first:%A} {first.day} {first:%B}: " in page
