"""Per-person calendar invitations: keep CalendarEntry rows in step with the timetable and email them.

sync() runs after every timetable change (solve, repair, move, undo, drop, restore, session or participant
edits). Each (session, person) pair keeps one UID for life; its SEQUENCE goes up when the session's time,
room or link changes, and when the person leaves the session (or it is dropped) the entry is cancelled with
a higher SEQUENCE. send() emails each person only the entries that changed since they were last sent.
"""

from __future__ import annotations

import hashlib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from peerreview.core.audit import record

from . import build, exports
from .models import CalendarEntry, Session

ACTIVE, CANCELLED = CalendarEntry.Status.ACTIVE, CalendarEntry.Status.CANCELLED


def fingerprint(s: Session) -> str:
    """What a calendar client shows: changing any of it needs a new SEQUENCE."""
    parts = [s.title, s.day, s.start, s.end, s.mode, s.placed_room_id, s.room_id, s.meeting_link]
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _person(e_or_who) -> tuple[str, str]:
    """(name, email) of a membership or a participant."""
    if hasattr(e_or_who, "user"):
        return e_or_who.user.get_full_name(), e_or_who.user.email
    return e_or_who.name, e_or_who.email


@transaction.atomic
def sync(review) -> dict[str, int]:
    """Bring the review's calendar entries in line with the timetable; returns counts of what changed.

    Only active team members count as a session's peers: a member removed from the team (access revoked or
    ended) has their entries cancelled, as has a participant who was deleted (their entries lose the link but
    keep the name and email, so the next send still reaches them).
    """
    entries: dict[tuple[int, str], CalendarEntry] = {}
    orphans: list[CalendarEntry] = []
    for e in CalendarEntry.objects.select_for_update().filter(session__review=review):
        if e.membership_id or e.participant_id:
            entries[e.session_id, e.person_key] = e
        else:
            orphans.append(e)
    team = {m.pk: m for m in build.team(review)}
    counts = {"added": 0, "updated": 0, "cancelled": 0}
    wanted: set[tuple[int, str]] = set()
    sessions = Session.objects.filter(review=review, is_dropped=False, day__isnull=False, start__isnull=False)
    for s in sessions.prefetch_related("session_peers", "participants"):
        fp = fingerprint(s)
        people = [
            (f"m{sp.membership_id}", {"membership": team[sp.membership_id]})
            for sp in s.session_peers.all()
            if sp.membership_id in team
        ]
        people += [(f"p{p.pk}", {"participant": p}) for p in s.participants.all()]
        for key, who in people:
            wanted.add((s.pk, key))
            name, email = _person(next(iter(who.values())))
            e = entries.get((s.pk, key))
            if e is None:
                CalendarEntry.objects.create(
                    session=s,
                    uid=f"{s.uid.split('@')[0]}-{key}@peerreview",
                    fingerprint=fp,
                    name=name,
                    email=email,
                    **who,
                )
                counts["added"] += 1
                continue
            fields = []
            if (e.name, e.email) != (name, email):
                e.name, e.email = name, email
                fields += ["name", "email"]
            if e.status == CANCELLED or e.fingerprint != fp:
                e.sequence += 1
                e.status = ACTIVE
                e.fingerprint = fp
                fields += ["sequence", "status", "fingerprint"]
                counts["updated"] += 1
            if fields:
                e.save(update_fields=fields)
    gone = [e for key, e in entries.items() if key not in wanted] + orphans
    for e in gone:
        if e.status == ACTIVE:
            e.status = CANCELLED
            e.sequence += 1
            e.save(update_fields=["status", "sequence"])
            counts["cancelled"] += 1
    return counts


def _entries(review):
    return CalendarEntry.objects.filter(session__review=review).select_related(
        "session__placed_room", "session__room", "membership__user", "participant"
    )


def person_calendar(review, membership, *, cancelled: bool = False) -> bytes | None:
    """A peer's invitations (METHOD:REQUEST), or their cancellations (METHOD:CANCEL), from their entries."""
    entries = _entries(review).filter(membership=membership, status=CANCELLED if cancelled else ACTIVE)
    return exports.entries_calendar(review, list(entries), cancelled=cancelled)


def participant_calendar(review, participant, *, cancelled: bool = False) -> bytes | None:
    """A participant's invitations or cancellations, for the organiser to pass on (say, with no email address)."""
    entries = _entries(review).filter(participant=participant, status=CANCELLED if cancelled else ACTIVE)
    return exports.entries_calendar(review, list(entries), cancelled=cancelled)


def _ics_part(data: bytes, method: str, filename: str) -> MIMEText:
    part = MIMEText(data.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


@transaction.atomic
def send(review, *, by) -> dict[str, int]:
    """Email each person the entries that changed since they were last sent; returns the counts."""
    sync(review)
    people: dict[str, list[CalendarEntry]] = {}
    for e in _entries(review).select_for_update(of=("self",)):
        if e.is_unsent:
            people.setdefault(e.person_key, []).append(e)
    counts = {"emails": 0, "invitations": 0, "cancellations": 0, "skipped": 0}
    messages, sent = [], []
    now = timezone.now()
    for group in people.values():
        email = group[0].person_email()
        # A cancellation of something never sent needs no email.
        invites = [e for e in group if e.status == ACTIVE]
        cancels = [e for e in group if e.status == CANCELLED and e.sent_hash]
        if not email:
            counts["skipped"] += 1
            continue
        sent += group
        if not invites and not cancels:
            continue
        lines = [f"Dear {group[0].person_name()},", "", f"Your sessions for the peer review of {review.title}:"]
        lines += [f"* {e.session.title}, {e.session.day:%A %-d %B} {e.session.start:%H:%M}" for e in invites]
        if cancels:
            lines += ["", "Cancelled (you no longer need to attend):"]
            lines += [f"* {e.session.title}" for e in cancels]
        lines += ["", "The attached calendar files update your calendar."]
        msg = EmailMessage(
            subject=f"Peer review of {review.title}: your calendar",
            body="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
        )
        if invites:
            msg.attach(_ics_part(exports.entries_calendar(review, invites), "REQUEST", "invitation.ics"))
        if cancels:
            msg.attach(
                _ics_part(exports.entries_calendar(review, cancels, cancelled=True), "CANCEL", "cancellation.ics")
            )
        messages.append(msg)
        counts["emails"] += 1
        counts["invitations"] += len(invites)
        counts["cancellations"] += len(cancels)
    for e in sent:
        e.sent_hash = e.state_hash()
        e.sent = now
        e.save(update_fields=["sent_hash", "sent"])
    if messages:
        get_connection().send_messages(messages)
    record(
        "timetable.calendar_send",
        by=by,
        review=review,
        summary=(
            f"Sent {counts['emails']} calendar emails: {counts['invitations']} invitations, "
            f"{counts['cancellations']} cancellations"
        ),
        **counts,
    )
    return counts
