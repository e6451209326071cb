"""What a purge removes from the timetable: everyone and everything the week named.

Participants are named people and staff groups, unavailability says why they could not come, sessions say
who was heard and when, calendar entries hold people's email invitations, and solve runs keep whole
timetables in their results. All of it goes with the review's material (security.md, class C2). The rule
weights stay: they name no one.
"""

from .models import CalendarEntry, Participant, PeerSetting, Room, Session, SolveRun, Unavailability


def purge(review) -> int:
    sessions = Session.objects.filter(review=review).count()
    CalendarEntry.objects.filter(session__review=review).delete()
    Unavailability.objects.filter(review=review).delete()
    Session.objects.filter(review=review).delete()  # with their peers
    Participant.objects.filter(review=review).delete()
    Room.objects.filter(review=review).delete()
    SolveRun.objects.filter(review=review).delete()
    PeerSetting.objects.filter(membership__review=review).delete()
    return sessions
