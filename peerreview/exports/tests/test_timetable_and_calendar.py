from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from peerreview.exports.calendar import build_calendar
from peerreview.exports.data import CalendarEvent, TimetableRow
from peerreview.exports.errors import ExportError
from peerreview.exports.timetable_xlsx import HEADERS, build_timetable_xlsx

ROWS = [
    TimetableRow(
        date(2025, 3, 4), time(10), time(11), "Front door focus group", "Practitioners", "Peer A", "Room 2", "K1"
    ),
    TimetableRow(
        date(2025, 3, 3), time(9), time(10), "Meet the DCS", "Director of Children's Services", "All", "Teams", "K1, K2"
    ),
    TimetableRow(
        date(2025, 3, 3), time(13, 30), time(14, 30), "Case record review", "Team managers", "Peer B", "Room 1", "K3"
    ),
]


def test_timetable_has_a_sheet_per_day_and_all_sessions():
    wb = load_workbook(BytesIO(build_timetable_xlsx("Exampleshire peer review", ROWS)))
    assert wb.sheetnames == ["All sessions", "Mon 3 Mar 2025", "Tue 4 Mar 2025"]
    ws = wb["All sessions"]
    assert ws["A1"].value == "Exampleshire peer review: all sessions"
    assert tuple(c.value for c in ws[2]) == HEADERS
    assert all(c.font.bold for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.max_row == 5
    assert ws["C3"].value == "Meet the DCS"  # sorted by day then time
    assert ws["B4"].value == "13:30–14:30"
    assert ws["A3"].value.date() == date(2025, 3, 3)
    assert ws["A3"].number_format == "dddd d mmmm yyyy"
    assert ws["C3"].alignment.wrap_text
    assert ws.column_dimensions["C"].width == 40
    monday = wb["Mon 3 Mar 2025"]
    assert monday["A1"].value == "Exampleshire peer review: Monday 3 March 2025"
    assert [r[2].value for r in monday.iter_rows(min_row=3)] == ["Meet the DCS", "Case record review"]


def _event(**overrides):
    fields = dict(
        uid="session-17@peerreview",
        start=datetime(2025, 7, 3, 9, 0),
        end=datetime(2025, 7, 3, 10, 0),
        summary="Meet the DCS",
        description="Introductions and the council's self-assessment.",
        location="Room 1",
        url="https://teams.example.com/meet/abc",
        organiser_email="pcm@local.gov.uk",
        attendee_emails=("dcs@example.gov.uk", "peer@another.gov.uk"),
    )
    fields.update(overrides)
    return CalendarEvent(**fields)


def test_invitation_round_trips_with_london_times():
    cal = Calendar.from_ical(build_calendar([_event()]))
    assert str(cal["PRODID"]) == "-//peerreview//EN"
    assert str(cal["METHOD"]) == "REQUEST"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    ev = cal.walk("VEVENT")[0]
    assert str(ev["UID"]) == "session-17@peerreview"
    assert ev.decoded("SEQUENCE") == 0
    assert ev.decoded("DTSTART").utcoffset() == timedelta(hours=1)  # BST in July
    assert "https://teams.example.com/meet/abc" in str(ev["DESCRIPTION"])
    assert str(ev["ORGANIZER"]) == "mailto:pcm@local.gov.uk"
    assert [str(a) for a in ev["ATTENDEE"]] == ["mailto:dcs@example.gov.uk", "mailto:peer@another.gov.uk"]
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in ev


def test_moved_session_keeps_uid_and_dropped_one_is_cancelled():
    moved = _event(start=datetime(2025, 7, 3, 11), end=datetime(2025, 7, 3, 12), sequence=1)
    ev = Calendar.from_ical(build_calendar([moved])).walk("VEVENT")[0]
    assert (str(ev["UID"]), ev.decoded("SEQUENCE")) == ("session-17@peerreview", 1)
    raw = build_calendar([_event(sequence=2)], method="CANCEL")
    assert b"METHOD:CANCEL" in raw
    ev = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(ev["STATUS"]) == "CANCELLED"
    assert ev.decoded("SEQUENCE") == 2


def test_bad_calendar_input_raises_export_error():
    with pytest.raises(ExportError):
        build_calendar([_event(organiser_email="")])
    with pytest.raises(ExportError):
        build_calendar([_event(), _event()])
    with pytest.raises(ExportError):
        _event(end=datetime(2025, 7, 3, 8))
    assert b"ORGANIZER" not in build_calendar([_event(organiser_email="")], method="PUBLISH")
