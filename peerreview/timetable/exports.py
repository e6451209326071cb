"""Assemble the export builders' inputs (peerreview.exports) from the timetable rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.conf import settings

from peerreview.exports import CalendarEvent, TimetableRow, build_calendar, build_timetable_xlsx

from .models import Session


def _participants(s: Session) -> str:
    # Staff groups and roles, not names (domain §9): a named person shows as their name only if no group fits.
    return "; ".join(f"{p.name} ({p.organisation})" if p.organisation else p.name for p in s.participants.all())


def _peers(s: Session) -> str:
    return ", ".join(sp.membership.user.get_full_name() for sp in s.session_peers.all() if sp.membership.is_active)


def _sessions(review, **filters):
    return (
        Session.objects.filter(review=review, **filters)
        .exclude(day__isnull=True)
        .prefetch_related("participants", "lines", "session_peers__membership__user")
        .select_related("placed_room", "room")
        .order_by("day", "start")
    )


def timetable_rows(review) -> list[TimetableRow]:
    return [
        TimetableRow(
            day=s.day,
            start=s.start,
            end=s.end,
            session_title=s.title,
            participants=_participants(s),
            peers=_peers(s),
            link_or_room=s.where(),
            lines_of_enquiry="; ".join(line.question for line in s.lines.all()),
        )
        for s in _sessions(review, is_dropped=False)
    ]


def timetable_xlsx(review) -> bytes:
    return build_timetable_xlsx(review.title, timetable_rows(review))


def _event(s: Session, review, cancelled: bool = False) -> CalendarEvent:
    description = [f"{s.get_kind_display()} – {review.title}"]
    if s.participants.exists():
        description.append(f"With: {_participants(s)}")
    if _peers(s):
        description.append(f"Peers: {_peers(s)}")
    return CalendarEvent(
        uid=s.uid,
        start=dt.datetime.combine(s.day, s.start),
        end=dt.datetime.combine(s.day, s.end),
        summary=s.title,
        sequence=s.sequence,
        description="\n".join(description),
        location=str(s.placed_room or "") if s.mode == Session.Mode.IN_PERSON else "Online",
        url=s.meeting_link if s.mode == Session.Mode.ONLINE else "",
        organiser_email=settings.DEFAULT_FROM_EMAIL,
        attendee_emails=tuple(sp.membership.user.email for sp in s.session_peers.all() if sp.membership.is_active),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def entries_calendar(review, entries, *, cancelled: bool = False) -> bytes | None:
    """One person's calendar entries (timetable.models.CalendarEntry) as METHOD:REQUEST or METHOD:CANCEL."""
    events = []
    for e in entries:
        s = e.session
        if s.day is None or s.start is None or s.end is None:
            continue
        email = e.person_email()
        event = _event(s, review, cancelled)
        events.append(replace(event, uid=e.uid, sequence=e.sequence, attendee_emails=(email,) if email else ()))
    if not events:
        return None
    return build_calendar(events, method="CANCEL" if cancelled else "REQUEST")
