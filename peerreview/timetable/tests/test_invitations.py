"""Per-person calendar invitations: stable UIDs, SEQUENCE on moves, cancellations, and sending by email."""

import icalendar
import pytest
from django.urls import reverse

from peerreview.core.audit import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.timetable import build
from peerreview.timetable.models import CalendarEntry, Participant, Session, SolveRun

from .helpers import move_by_hand, small_week


def url(name, world, **kwargs):
    return reverse(f"timetable:{name}", kwargs={"review_id": world.review.pk, **kwargs})


def solved_week(world) -> Session:
    """A solved small week; returns an interview with two peers, a participant with an email and a link."""
    interviews = small_week(world, interviews=2)
    for s in interviews:
        s.meeting_link = f"https://meet.example.org/{s.pk}"
        s.save()
        p = s.participants.get()
        p.email = f"manager{s.pk}@kent.example.org"
        p.save()
    r = world.client(Role.PCM).post(url("solve", world), {"kind": "solve"})
    assert r.status_code == 302, error_messages(r)
    assert SolveRun.objects.filter(review=world.review).latest("created").status == SolveRun.Status.DONE
    s = interviews[0]
    s.refresh_from_db()
    assert s.session_peers.count() == 2
    return s


def ics(world, member, cancelled=False) -> icalendar.Calendar | None:
    r = world.client(Role.PEER).get(url("person_ics", world, membership_id=member.pk) + ("?cancelled=1" * cancelled))
    if r.status_code == 302:
        return None
    assert r["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(r.content)


def events(cal) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")} if cal else {}


def move(world, s, day, start, peers):
    data = {"day": day.isoformat(), "start": start, "peers": [str(m.pk) for m in peers]}
    move_by_hand(world.client(Role.PCM), world, s, data)


def test_moving_keeps_each_persons_uid_and_raises_sequence(world):
    s = solved_week(world)
    a, b = [sp.membership for sp in s.session_peers.order_by("membership_id")]
    uids = {m: CalendarEntry.objects.get(session=s, membership=m).uid for m in (a, b)}
    assert uids[a] != uids[b]  # one UID per person
    before = {m: int(events(ics(world, m))[uids[m]]["SEQUENCE"]) for m in (a, b)}
    day = build.week_days(world.review)[2]
    move(world, s, day, "14:00", [a, b])
    for m in (a, b):
        event = events(ics(world, m))[uids[m]]
        assert int(event["SEQUENCE"]) == before[m] + 1
        assert event.decoded("DTSTART").date() == day
        assert f"meet.example.org/{s.pk}" in str(event["DESCRIPTION"])
    # Undo: still the same UIDs, SEQUENCE up again.
    world.client(Role.PCM).post(url("session_undo", world, session_id=s.pk))
    assert int(events(ics(world, a))[uids[a]]["SEQUENCE"]) == before[a] + 2


def test_taking_a_peer_off_a_session_sends_that_peer_a_cancellation(world):
    s = solved_week(world)
    a, b = [sp.membership for sp in s.session_peers.order_by("membership_id")]
    uid_b = CalendarEntry.objects.get(session=s, membership=b).uid
    seq_b = int(events(ics(world, b))[uid_b]["SEQUENCE"])
    move(world, s, s.day, s.start.strftime("%H:%M"), [a])
    assert uid_b not in events(ics(world, b))
    cal = ics(world, b, cancelled=True)
    assert str(cal["METHOD"]) == "CANCEL"
    event = events(cal)[uid_b]
    assert int(event["SEQUENCE"]) == seq_b + 1 and str(event["STATUS"]) == "CANCELLED"
    page = world.client(Role.PEER).get(url("person", world, membership_id=b.pk)).content.decode()
    assert "Download cancellations" in page
    # The peer who stays has nothing cancelled.
    assert ics(world, a, cancelled=True) is None or not events(ics(world, a, cancelled=True))
    # Putting them back reuses the UID with a higher SEQUENCE.
    move(world, s, s.day, s.start.strftime("%H:%M"), [a, b])
    assert int(events(ics(world, b))[uid_b]["SEQUENCE"]) == seq_b + 2


def test_dropping_a_session_cancels_it_for_everyone(world):
    s = solved_week(world)
    entries = list(CalendarEntry.objects.filter(session=s))
    assert len(entries) == 3  # two peers and the participant
    world.client(Role.PCM).post(url("session_drop", world, session_id=s.pk))
    for e in entries:
        e_after = CalendarEntry.objects.get(pk=e.pk)
        assert e_after.status == CalendarEntry.Status.CANCELLED and e_after.sequence == e.sequence + 1
        assert e_after.uid == e.uid
    for sp in s.session_peers.all():
        uid = CalendarEntry.objects.get(session=s, membership=sp.membership).uid
        assert str(events(ics(world, sp.membership, cancelled=True))[uid]["STATUS"]) == "CANCELLED"
    # Restoring it brings the same UIDs back.
    world.client(Role.PCM).post(url("session_drop", world, session_id=s.pk))
    assert {e.uid for e in CalendarEntry.objects.filter(session=s, status="active")} == {e.uid for e in entries}


def attachments(msg) -> dict[str, icalendar.Calendar]:
    out = {}
    for part in msg.attachments:
        out[part.get_param("method")] = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return out


def test_sending_emails_only_what_changed(world, mailoutbox):
    s = solved_week(world)
    a, b = [sp.membership for sp in s.session_peers.order_by("membership_id")]
    c = world.client(Role.PCM)
    r = c.post(url("send_invitations", world))
    assert r.status_code == 302
    people = CalendarEntry.objects.filter(session__review=world.review).values_list("membership", "participant")
    assert len(mailoutbox) == len(set(people))
    to_a = next(m for m in mailoutbox if m.to == [a.user.email])
    cal = attachments(to_a)["REQUEST"]
    assert str(cal["METHOD"]) == "REQUEST"
    assert CalendarEntry.objects.get(session=s, membership=a).uid in events(cal)
    participant = s.participants.get()
    assert any(m.to == [participant.email] for m in mailoutbox)
    (event,) = AuditEvent.objects.filter(verb="timetable.calendar_send")
    assert f"Sent {len(mailoutbox)} calendar emails" in event.summary

    # Again: nothing new.
    mailoutbox.clear()
    c.post(url("send_invitations", world))
    assert mailoutbox == []
    summaries = [e.summary for e in AuditEvent.objects.filter(verb="timetable.calendar_send")]
    assert len(summaries) == 2 and any(x.startswith("Sent 0 calendar emails") for x in summaries)

    # Take b off the session and move it: a and the participant get an update, b a cancellation only.
    day = build.week_days(world.review)[3]
    move(world, s, day, "15:00", [a])
    c.post(url("send_invitations", world))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.user.email, b.user.email, participant.email])
    to_b = next(m for m in mailoutbox if m.to == [b.user.email])
    parts = attachments(to_b)
    assert set(parts) == {"CANCEL"}
    uid_b = CalendarEntry.objects.get(session=s, membership=b).uid
    assert str(events(parts["CANCEL"])[uid_b]["STATUS"]) == "CANCELLED"
    update = events(attachments(next(m for m in mailoutbox if m.to == [a.user.email]))["REQUEST"])
    assert update[CalendarEntry.objects.get(session=s, membership=a).uid].decoded("DTSTART").date() == day
    mailoutbox.clear()
    c.post(url("send_invitations", world))
    assert mailoutbox == []


def test_only_the_pcm_can_send(world, mailoutbox):
    solved_week(world)
    for role in (Role.ORGANISER, Role.LEAD, Role.PEER):
        assert world.client(role).post(url("send_invitations", world)).status_code == 404
    assert mailoutbox == []
    page = world.client(Role.PCM).get(url("week", world)).content.decode()
    assert "Send calendar invitations" in page
    assert "Send calendar invitations" not in world.client(Role.PEER).get(url("week", world)).content.decode()


def sent_to(mailoutbox, email) -> dict[str, icalendar.Calendar]:
    (msg,) = [m for m in mailoutbox if m.to == [email]]
    return attachments(msg)


@pytest.mark.parametrize("kind", ["person", "group"])
def test_deleting_a_participant_or_staff_group_sends_them_a_cancellation(world, mailoutbox, kind):
    s = solved_week(world)
    participant = s.participants.get()
    participant.kind = kind
    participant.save()
    c = world.client(Role.PCM)
    c.post(url("send_invitations", world))
    entry = CalendarEntry.objects.get(session=s, participant=participant)
    invited = events(sent_to(mailoutbox, participant.email)["REQUEST"])[entry.uid]
    mailoutbox.clear()

    r = world.client(Role.ORGANISER).post(url("participant_delete", world, participant_id=participant.pk))
    assert r.status_code == 200 and Participant.objects.filter(pk=participant.pk).exists()  # asks first
    r = world.client(Role.ORGANISER).post(
        url("participant_delete", world, participant_id=participant.pk), {"confirm": "yes"}
    )
    assert r.status_code == 302
    c.post(url("send_invitations", world))
    parts = sent_to(mailoutbox, participant.email)
    assert set(parts) == {"CANCEL"} and str(parts["CANCEL"]["METHOD"]) == "CANCEL"
    event = events(parts["CANCEL"])[entry.uid]  # same UID, higher SEQUENCE
    assert int(event["SEQUENCE"]) == int(invited["SEQUENCE"]) + 1
    assert str(event["STATUS"]) == "CANCELLED"
    # Only the deleted participant hears: the peers' sessions did not change.
    assert [m.to for m in mailoutbox] == [[participant.email]]
    mailoutbox.clear()
    c.post(url("send_invitations", world))
    assert mailoutbox == []


def test_taking_a_peer_off_the_team_sends_them_cancellations(world, mailoutbox):
    s = solved_week(world)
    _a, b = [sp.membership for sp in s.session_peers.order_by("membership_id")]
    c = world.client(Role.PCM)
    c.post(url("send_invitations", world))
    theirs = {e.uid: e.sequence for e in CalendarEntry.objects.filter(membership=b, status="active")}
    assert theirs
    mailoutbox.clear()

    r = c.post(reverse("reviews:revoke", args=[world.review.pk, b.pk]), {"reason": "Called away"})
    assert r.status_code == 302
    c.post(url("send_invitations", world))
    parts = sent_to(mailoutbox, b.user.email)
    assert set(parts) == {"CANCEL"}
    cancelled = events(parts["CANCEL"])
    assert set(cancelled) == set(theirs)
    for uid, seq in theirs.items():
        assert int(cancelled[uid]["SEQUENCE"]) == seq + 1 and str(cancelled[uid]["STATUS"]) == "CANCELLED"
    # The week no longer shows them, and the check asks for another peer until the week is repaired.
    c.get(url("week", world))  # shows the flash messages
    assert b.user.get_full_name() not in c.get(url("week", world)).content.decode()
    assert any(v.rule_code == "peers_needed" and s.solver_id in v.session_ids for v in build.violations(world.review))
    r = c.post(url("solve", world), {"kind": "repair"})
    assert SolveRun.objects.filter(review=world.review).latest("created").status == SolveRun.Status.DONE
    assert build.violations(world.review) == []
    assert not s.session_peers.filter(membership=b).exists()


def test_organiser_downloads_a_participants_calendar_file(world):
    s = solved_week(world)
    participant = s.participants.get()
    entry = CalendarEntry.objects.get(session=s, participant=participant)
    c = world.client(Role.ORGANISER)
    r = c.get(url("participant_ics", world, participant_id=participant.pk))
    assert r["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    assert str(cal["METHOD"]) == "REQUEST"
    event = events(cal)[entry.uid]
    assert int(event["SEQUENCE"]) == entry.sequence and event.decoded("DTSTART").date() == s.day
    assert participant.email in str(event["ATTENDEE"])
    assert "Calendar file" in c.get(url("setup", world)).content.decode()
    # Dropped: the same UID as a cancellation.
    c.post(url("session_drop", world, session_id=s.pk))
    r = c.get(url("participant_ics", world, participant_id=participant.pk))
    assert r.status_code == 302  # nothing active left
    cal = icalendar.Calendar.from_ical(
        c.get(url("participant_ics", world, participant_id=participant.pk) + "?cancelled=1").content
    )
    assert str(cal["METHOD"]) == "CANCEL" and int(events(cal)[entry.uid]["SEQUENCE"]) == entry.sequence + 1
    assert world.client(Role.PEER).get(url("participant_ics", world, participant_id=participant.pk)).status_code == 404
