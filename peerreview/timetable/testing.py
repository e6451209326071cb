"""Test world objects and example URL arguments for the timetable (see peerreview.core.testing)."""

import datetime as dt

from peerreview.core.roles import Role
from peerreview.core.testing import URL_EXAMPLES, WORLD_HOOKS

from . import invitations
from .models import Participant, Room, Session, SessionPeer, SolveRun, Unavailability


def add_timetable(w) -> None:
    review = w.review
    peer = review.memberships.get(role=Role.PEER)
    participant = Participant.objects.create(
        review=review, name="Head of Early Help", organisation="Kent County Council"
    )
    room = Room.objects.create(review=review, name="Committee room 2", location="County Hall")
    day = review.delivery_start
    session = Session.objects.create(
        review=review,
        title="Interview with the Head of Early Help",
        kind="interview",
        minutes=60,
        peers_needed=1,
        day=day,
        start=dt.time(10, 0),
        end=dt.time(11, 0),
        meeting_link="https://meet.example.org/early-help",
    )
    session.participants.add(participant)
    SessionPeer.objects.create(session=session, membership=peer)
    unavailable = Unavailability.objects.create(
        review=review, participant=participant, day=day, start=dt.time(14, 0), end=dt.time(15, 0), reason="Court"
    )
    invitations.sync(review)
    run = SolveRun.objects.create(review=review, status=SolveRun.Status.DONE, result={"sessions": 1, "moved": []})
    w.extra.update(participant=participant, room=room, session=session, unavailability=unavailable, run=run, peer=peer)


WORLD_HOOKS.append(add_timetable)
URL_EXAMPLES.update(
    {
        "timetable:participant_edit": lambda w: {"participant_id": w.extra["participant"].pk},
        "timetable:participant_delete": lambda w: {"participant_id": w.extra["participant"].pk},
        "timetable:participant_ics": lambda w: {"participant_id": w.extra["participant"].pk},
        "timetable:room_delete": lambda w: {"room_id": w.extra["room"].pk},
        "timetable:session": lambda w: {"session_id": w.extra["session"].pk},
        "timetable:session_edit": lambda w: {"session_id": w.extra["session"].pk},
        "timetable:session_drop": lambda w: {"session_id": w.extra["session"].pk},
        "timetable:session_undo": lambda w: {"session_id": w.extra["session"].pk},
        "timetable:session_preview": lambda w: {"session_id": w.extra["session"].pk},
        "timetable:unavailability_delete": lambda w: {"unavailability_id": w.extra["unavailability"].pk},
        "timetable:peer_edit": lambda w: {"membership_id": w.extra["peer"].pk},
        "timetable:person": lambda w: {"membership_id": w.extra["peer"].pk},
        "timetable:person_ics": lambda w: {"membership_id": w.extra["peer"].pk},
        "timetable:run": lambda w: {"run_id": w.extra["run"].pk},
        "timetable:run_progress": lambda w: {"run_id": w.extra["run"].pk},
        "timetable:run_stop": lambda w: {"run_id": w.extra["run"].pk},
    }
)
