"""What a purge removes from the timetable: everyone and everything the week named.

Participants are named people and staff groups, unavailability says why they could not come, sessions say
who was heard and when, calendar entries hold people's email invitations, and solve runs keep whole
timetables in their results. All of it goes with the review's material (security.md, class C2). The rule
weights stay: they name no one.
"""

from .models import Participant, PeerSetting, Room, Session, SolveRun, Unavailability


def purge(review) -> int:
    Unavailability.objects.filter(review=review).delete()
    # With their peers and calendar entries.
    sessions = Session.objects.filter(review=review).delete()[1].get(Session._meta.label, 0)
    Participant.objects.filter(review=review).delete()
    Room.objects.filter(review=review).delete()
    SolveRun.objects.filter(review=review).delete()
    PeerSetting.objects.filter(membership__review=review).delete()
    return sessions
