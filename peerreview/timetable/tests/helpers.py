import datetime as dt

from peerreview.core.roles import Role
from peerreview.timetable import actions
from peerreview.timetable.models import Participant, Session


def small_week(world, interviews: int = 4) -> list[Session]:
    """The world review with the template's fixed events and a few interviews, not yet solved."""
    review = world.review
    pcm = world.members[Role.PCM]
    Session.objects.filter(review=review).delete()
    actions.add_template_events(review, by=pcm)
    out = []
    for i in range(interviews):
        p = Participant.objects.create(review=review, name=f"Team manager {i + 1}", organisation="Kent County Council")
        s = Session.objects.create(
            review=review, title=f"Interview {i + 1}", kind="interview", minutes=60, peers_needed=2
        )
        s.participants.add(p)
        out.append(s)
    return out


def monday(world) -> dt.date:
    return world.review.delivery_start
