"""Setting up the week: participants, rooms, sessions, template events, availability and its import."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.timetable import build
from peerreview.timetable.models import Participant, Room, Session, Unavailability


def url(name, world, **kwargs):
    return reverse(f"timetable:{name}", kwargs={"review_id": world.review.pk, **kwargs})


def test_organiser_adds_a_participant(world):
    c = world.client(Role.ORGANISER)
    r = c.post(
        url("participant_add", world),
        {"name": "MASH team managers", "kind": "group", "organisation": "Kent County Council"},
    )
    assert r.status_code == 302
    p = Participant.objects.get(review=world.review, name="MASH team managers")
    assert p.kind == "group"
    assert "MASH team managers" in c.get(url("setup", world)).content.decode()


def test_participant_needs_a_name(world):
    r = world.client(Role.ORGANISER).post(url("participant_add", world), {"name": "", "kind": "person"})
    assert r.status_code == 200
    assert error_messages(r) == ["Enter the name or staff group"]


def test_participant_can_be_changed_and_removed(world):
    c = world.client(Role.PCM)
    p = world.extra["participant"]
    r = c.post(
        url("participant_edit", world, participant_id=p.pk),
        {"name": "Head of Early Help and Prevention", "kind": "person"},
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.name == "Head of Early Help and Prevention"
    # Still in a session: the page names the session and asks before removing.
    s = p.sessions.get()
    r = c.get(url("participant_delete", world, participant_id=p.pk))
    html = r.content.decode()
    assert r.status_code == 200 and "is in 1 session." in html and s.title in html
    assert c.post(url("participant_delete", world, participant_id=p.pk)).status_code == 200
    assert Participant.objects.filter(pk=p.pk).exists()
    assert c.post(url("participant_delete", world, participant_id=p.pk), {"confirm": "yes"}).status_code == 302
    assert not Participant.objects.filter(pk=p.pk).exists()
    # In no session: removed at once from the setup page's button.
    q = Participant.objects.create(review=world.review, name="Virtual school head", kind="person")
    assert c.post(url("participant_delete", world, participant_id=q.pk)).status_code == 302
    assert not Participant.objects.filter(pk=q.pk).exists()


def test_room_added_and_removed(world):
    c = world.client(Role.ORGANISER)
    assert c.post(url("room_add", world), {"name": "Room 4", "location": "Civic Centre"}).status_code == 302
    room = Room.objects.get(name="Room 4")
    assert error_messages(c.post(url("room_add", world), {"name": ""})) == ["Enter the room name"]
    assert c.post(url("room_delete", world, room_id=room.pk)).status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()


def test_session_takes_the_usual_length_and_peers_of_its_type(world):
    c = world.client(Role.ORGANISER)
    line = world.review.lines.first()
    data = {
        "title": "Focus group with social workers",
        "kind": "focus_group",
        "mode": "online",
        "participants": [world.extra["participant"].pk],
        "required_specialism": "Police",
    }
    if line:
        data["lines"] = [line.pk]
    r = c.post(url("session_add", world), data)
    assert r.status_code == 302, error_messages(r)
    s = Session.objects.get(title="Focus group with social workers")
    assert (s.minutes, s.peers_needed, s.required_specialism) == (60, 2, "police")
    assert list(s.participants.all()) == [world.extra["participant"]]


def test_session_with_impossible_length_is_refused(world):
    c = world.client(Role.ORGANISER)
    for minutes, message in [
        ("0", "The length must be more than 0 minutes"),
        ("900", "The length must be no more than the working day (510 minutes)"),
        # 09:00–17:30 with a 30-minute lunch between 12:00 and 14:00: 12:30–17:30 is the longest that leaves lunch.
        (
            "480",
            "The length must be no more than 300 minutes, so that everyone in it can still have a 30-minute lunch "
            "between 12:00 and 14:00",
        ),
    ]:
        r = c.post(
            url("session_add", world), {"title": "Long", "kind": "interview", "mode": "online", "minutes": minutes}
        )
        assert r.status_code == 200
        assert error_messages(r) == [message]
    r = c.post(url("session_add", world), {"title": "", "kind": "", "mode": "online"})
    assert error_messages(r) == ["Enter the session title", "Choose the type of session"]


def test_in_person_session_needs_a_room_to_exist(world):
    Room.objects.filter(review=world.review).delete()
    r = world.client(Role.ORGANISER).post(
        url("session_add", world), {"title": "Visit", "kind": "site_visit", "mode": "in_person"}
    )
    assert error_messages(r) == ["Add a room before making an in-person session"]


def test_fixed_events_come_from_the_template_once(world):
    c = world.client(Role.ORGANISER)
    assert c.post(url("add_template", world)).status_code == 302
    fixed = Session.objects.filter(review=world.review, from_template=True)
    kinds = sorted({s.kind for s in fixed})
    assert kinds == ["drawing_together", "feedback", "keeping_in_touch", "overview", "team_meeting"]
    # Remote diagnostic: team meetings on each of the five days, KIT on four; drawing together split around lunch.
    assert fixed.filter(kind="team_meeting").count() == 5
    assert fixed.filter(kind="keeping_in_touch").count() == 4
    assert fixed.get(
        kind="keeping_in_touch", fixed_day=world.review.delivery_start + dt.timedelta(days=1)
    ).required_roles == ["lead", "pcm"]
    parts = fixed.filter(kind="drawing_together").order_by("fixed_start")
    assert [(p.fixed_start, p.minutes) for p in parts] == [(dt.time(9, 30), 150), (dt.time(12, 30), 210)]
    count = fixed.count()
    c.post(url("add_template", world))
    assert Session.objects.filter(review=world.review, from_template=True).count() == count


def test_drop_and_restore_a_session(world):
    s = world.extra["session"]
    c = world.client(Role.ORGANISER)
    c.post(url("session_drop", world, session_id=s.pk))
    s.refresh_from_db()
    assert s.is_dropped and s.sequence == 1
    c.post(url("session_drop", world, session_id=s.pk))
    s.refresh_from_db()
    assert not s.is_dropped and s.sequence == 2


def test_unavailability_typed_in(world):
    c = world.client(Role.ORGANISER)
    p = world.extra["participant"]
    day = world.review.delivery_start + dt.timedelta(days=2)
    r = c.post(url("unavailability", world), {"who": f"p{p.pk}", "day": day.isoformat(), "reason": "Ill"})
    assert r.status_code == 302
    u = Unavailability.objects.get(participant=p, day=day)
    assert (u.start, u.end) == (dt.time(9, 0), dt.time(17, 30))
    r = c.post(
        url("unavailability", world),
        {"who": f"m{world.extra['peer'].pk}", "day": day.isoformat(), "start": "14:00", "end": "13:00"},
    )
    assert error_messages(r) == ["The end time must be after the start time"]
    r = c.post(url("unavailability", world), {"who": "", "day": "", "start": "9am"})
    assert error_messages(r) == ["Choose who is unavailable", "Choose the day", "Enter a time as HH:MM, like 09:30"]
    assert c.post(url("unavailability_delete", world, unavailability_id=u.pk)).status_code == 302
    assert not Unavailability.objects.filter(pk=u.pk).exists()


def _csv(text: str):
    return SimpleUploadedFile("availability.csv", text.encode(), content_type="text/csv")


def test_import_csv_saves_every_row(world):
    day, second = build.week_days(world.review)[:2]
    before = Unavailability.objects.count()
    peer = world.extra["peer"].user.full_name
    csv = f"name,day,start,end,reason\nHead of Early Help,{day.isoformat()},09:00,10:30,Court\n{peer},{second:%A},13:00,17:30,Train\n"
    r = world.client(Role.ORGANISER).post(url("import", world), {"file": _csv(csv)})
    assert r.status_code == 302
    assert Unavailability.objects.count() == before + 2
    assert Unavailability.objects.filter(membership=world.extra["peer"], day=second).exists()


def test_import_with_any_bad_row_saves_nothing(world):
    day = world.review.delivery_start
    before = Unavailability.objects.count()
    csv = (
        "name,day,start,end,reason\n"
        f"Head of Early Help,{day.isoformat()},09:00,10:30,Court\n"
        f"Nobody Known,{day.isoformat()},09:00,10:00,\n"
        f"Head of Early Help,{day.isoformat()},25:00,10:00,\n"
        f"Head of Early Help,{day.isoformat()},11:00,10:00,\n"
        "Head of Early Help,2020-01-01,09:00,10:00,\n"
    )
    r = world.client(Role.ORGANISER).post(url("import", world), {"file": _csv(csv)})
    assert r.status_code == 200
    assert error_messages(r) == [
        "Row 3: “Nobody Known” is not a participant or a peer in this review",
        "Row 4: enter the start time as HH:MM, like 09:30 (got “25:00”)",
        "Row 5: the end time must be after the start time",
        "Row 6: Wednesday 1 January 2020 is not a day of the review week",
    ]
    assert Unavailability.objects.count() == before


def test_import_xlsx_and_wrong_files(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "day", "start", "end", "reason"])
    ws.append(["Head of Early Help", world.review.delivery_start, dt.time(9, 0), dt.time(12, 0), "Panel"])
    buf = io.BytesIO()
    wb.save(buf)
    c = world.client(Role.ORGANISER)
    r = c.post(url("import", world), {"file": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    assert r.status_code == 302
    assert Unavailability.objects.filter(reason="Panel", start=dt.time(9, 0), end=dt.time(12, 0)).exists()
    r = c.post(url("import", world), {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert error_messages(r) == ["The selected file must be a CSV or an Excel file (.xlsx)"]
    r = c.post(url("import", world), {"file": _csv("who,when\nx,y\n")})
    assert error_messages(r) == ["The first row must be the headings: name, day, start, end, reason"]
    assert error_messages(c.post(url("import", world), {})) == ["Select a CSV or Excel file"]


def test_peer_details_and_weights(world):
    c = world.client(Role.PCM)
    peer = world.extra["peer"]
    assert (
        c.post(
            url("peer_edit", world, membership_id=peer.pk),
            {"specialisms": "Police, front door", "max_sessions_per_day": "5"},
        ).status_code
        == 302
    )
    assert peer.timetable.specialism_set() == {"police", "front door"}
    r = c.post(url("peer_edit", world, membership_id=peer.pk), {"max_sessions_per_day": "0"})
    assert error_messages(r) == ["The most sessions in a day must be 1 or more"]
    assert "Police, front door" in c.get(url("peers", world)).content.decode()
    form = {
        "buffer_minutes": "30",
        "idle_allowance_minutes": "45",
        "balance_tolerance_minutes": "0",
        "pair_mix": "5",
        "pair_rotation": "3",
        "workload_balance": "1",
        "loe_early_and_late": "10",
        "senior_early_and_late": "10",
        "cases_before_interviews": "0",
        "idle_gaps": "1",
        "young_people_after_school": "20",
    }
    assert c.post(url("weights", world), form).status_code == 302
    conf = world.review.timetable_settings
    assert conf.weights["pair_mix"] == 5 and conf.weights["cases_before_interviews"] == 0 and conf.buffer_minutes == 30
    assert (conf.idle_allowance_minutes, conf.balance_tolerance_minutes) == (45, 0)
    problem = build.build_problem(world.review)
    assert (problem.idle_allowance_minutes, problem.balance_tolerance_minutes) == (45, 0)
    r = c.post(url("weights", world), {**form, "idle_allowance_minutes": "ten"})
    assert error_messages(r) == ["Enter the waiting time allowed as a number of minutes"]
    r = c.post(url("weights", world), {**form, "idle_gaps": "-1"})
    assert error_messages(r) == [
        "The weight for “Few idle gaps in peers' days (15-minute units beyond lunch and the daily allowance)” must be 0 or more"
    ]
