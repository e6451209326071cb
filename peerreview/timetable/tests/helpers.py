import datetime as dt
import re

from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
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


def previewed_key(html: str) -> str:
    m = re.search(r'name="previewed" value="(\w+)"', html)
    assert m, "no preview on the page"
    return m.group(1)


def move_by_hand(client, world, session, data: dict):
    """Move a session through the preview: "Check this move", then "Move the session"."""
    url = reverse("timetable:session", kwargs={"review_id": world.review.pk, "session_id": session.pk})
    r = client.post(url, {**data, "action": "check"})
    assert r.status_code == 200, error_messages(r)
    r = client.post(url, {**data, "action": "move", "previewed": previewed_key(r.content.decode())})
    assert r.status_code == 302, error_messages(r)
    return r
