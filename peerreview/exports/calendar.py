"""Calendar invitations (iCalendar) for timetable sessions.

A moved session keeps its UID and goes out with a higher SEQUENCE; a dropped session goes out with
METHOD:CANCEL and STATUS:CANCELLED so calendar clients remove it rather than add a duplicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .data import CalendarEvent
from .errors import ExportError

LONDON = ZoneInfo("Europe/London")
Method = Literal["REQUEST", "CANCEL", "PUBLISH"]

# The rule-based form Outlook and Google emit. icalendar's add_missing_timezones() writes an RDATE list
# that stops at 2038 and is far longer; UK rules have been stable since 1996.
LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
END:STANDARD
END:VTIMEZONE
"""


def build_calendar(
    events: Sequence[CalendarEvent], *, method: Method = "REQUEST", stamp: datetime | None = None
) -> bytes:
    if method not in ("REQUEST", "CANCEL", "PUBLISH"):
        raise ExportError(f"Unknown calendar method {method!r}")
    if not events:
        raise ExportError("There are no sessions to put in the calendar")
    uids = [e.uid for e in events]
    if len(uids) != len(set(uids)):
        raise ExportError("Each session in one calendar file needs its own UID")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    try:
        cal = Calendar()
        cal.add("prodid", "-//peerreview//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", method)
        cal.add_component(Timezone.from_ical(LONDON_VTIMEZONE.replace("\n", "\r\n")))
        for event in events:
            cal.add_component(_vevent(event, method, stamp))
        return cal.to_ical()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"Could not build the calendar: {exc}") from exc


def _london(value: datetime) -> datetime:
    # Naive times are wall-clock times at the council, which is in England.
    return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)


def _vevent(e: CalendarEvent, method: Method, stamp: datetime) -> Event:
    if method in ("REQUEST", "CANCEL") and not e.organiser_email:
        raise ExportError(f"Session {e.summary!r} needs an organiser email to be sent as an invitation")
    cancelled = method == "CANCEL" or e.status == "CANCELLED"
    ev = Event()
    ev.add("uid", e.uid)
    ev.add("sequence", e.sequence)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", _london(e.start))
    ev.add("dtend", _london(e.end))
    ev.add("summary", e.summary)
    description = e.description
    if e.url and e.url not in description:
        description = f"{description}\n\nJoin the meeting: {e.url}".strip()
    if description:
        ev.add("description", description)
    if e.location:
        ev.add("location", e.location)
    if e.url:
        ev.add("url", e.url)
    if e.organiser_email:
        organiser = vCalAddress(f"mailto:{e.organiser_email}")
        organiser.params["cn"] = vText("Peer review team")
        ev.add("organizer", organiser)
    for email in e.attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        if method == "REQUEST":
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("TRUE")
        ev.add("attendee", attendee, encode=0)
    ev.add("status", "CANCELLED" if cancelled else e.status)
    ev.add("transp", "OPAQUE")
    return ev
