"""Scoping: the meeting record, the purpose question, the lines of enquiry, and the sponsor's agreement."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.reviews.models import ReviewLine, ScopingMeeting, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(bare_world):
    # These tests start from a review with no lines of enquiry, before other apps add their objects.
    return bare_world


def _url(name, review):
    return reverse(f"reviews:{name}", kwargs={"review_id": review.pk})


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _meeting(client, review, **extra):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "attendees": "Director of Children's Services (sponsor)\nAssistant Director",
        "purpose": "How well do we protect children at risk of exploitation?",
        "notes": "Agreed a focus on the front door.",
    } | extra
    return client.post(_url("scoping_meeting", review), data)


def _verbs(review):
    return list(AuditEvent.objects.filter(review_ref=review.pk).values_list("verb", flat=True))


def test_pcm_records_the_scoping_meeting_and_the_review_moves_to_scoping(world):
    review, client = world.review, world.client(Role.PCM)
    response = _meeting(client, review)
    assert response.status_code == 302 and response["Location"] == _url("scope", review)
    meeting = ScopingMeeting.objects.get(review=review)
    assert meeting.held_on == timezone.localdate() and "Assistant Director" in meeting.attendees
    review.refresh_from_db()
    assert review.stage == Stage.SCOPING
    assert review.purpose.startswith("How well do we protect")
    assert "review.scoping_recorded" in _verbs(review)
    page = _text(world.client(Role.SPONSOR).get(_url("scope", review)))
    assert "How well do we protect children at risk of exploitation?" in page
    assert "Agreed a focus on the front door." in page


def test_a_scoping_meeting_in_the_future_or_without_attendees_is_refused(world):
    review, client = world.review, world.client(Role.PCM)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _meeting(client, review, held_on=tomorrow, attendees="")
    assert error_messages(response) == [
        "The date of the scoping meeting must be today or in the past",
        "Enter who attended the scoping meeting",
    ]
    assert not ScopingMeeting.objects.filter(review=review).exists()
    review.refresh_from_db()
    assert review.stage == Stage.REQUESTED and review.purpose == ""


def test_lines_come_from_the_library_plus_custom_ones(world):
    review, client = world.review, world.client(Role.LEAD)
    response = client.post(_url("scope_lines", review), {"lines": ["front_door.thresholds", "front_door.mash"]})
    assert response.status_code == 302
    response = client.post(
        _url("scope_custom_line", review),
        {"theme": "Exploitation", "question": "How well are children missing from home found?", "prompts": "A\n\nB"},
    )
    assert response.status_code == 302
    lines = list(review.lines.values_list("code", "is_custom"))
    assert lines == [("front_door.thresholds", False), ("front_door.mash", False), ("custom.1", True)]
    assert ReviewLine.objects.get(code="custom.1").prompts == ["A", "B"]
    page = _text(world.client(Role.PEER).get(_url("scope", review)))
    assert "How well are children missing from home found?" in page and "Added for this review" in page


def test_choosing_no_lines_or_an_unknown_line_is_refused(world):
    review, client = world.review, world.client(Role.PCM)
    assert error_messages(client.post(_url("scope_lines", review), {"lines": []} | {"x": "1"})) == [
        "Choose at least one line of enquiry"
    ]
    assert error_messages(client.post(_url("scope_lines", review), {"lines": ["astrology.stars"]})) == [
        "Choose lines of enquiry from the list"
    ]
    assert error_messages(client.post(_url("scope_custom_line", review), {"theme": "", "question": ""})) == [
        "Enter the theme",
        "Enter the question",
    ]
    assert not review.lines.exists()


def _scope_ready(world):
    pcm = world.members[Role.PCM]
    _meeting(world.client(Role.PCM), world.review)
    world.client(Role.PCM).post(_url("scope_lines", world.review), {"lines": ["leadership.self_knowledge"]})
    return pcm


def test_the_sponsor_agrees_the_scope_and_it_is_recorded(world):
    _scope_ready(world)
    sponsor = world.client(Role.SPONSOR)
    page = _text(sponsor.get(_url("agree_scope", world.review)))
    assert "How well do leaders know the quality and impact of practice" in page
    response = sponsor.post(_url("agree_scope", world.review), follow=True)
    assert "You have agreed the scope" in _text(response)
    world.review.refresh_from_db()
    assert world.review.scope_agreed_by == world.members[Role.SPONSOR]
    event = AuditEvent.objects.get(review_ref=world.review.pk, verb="review.scope_agreed")
    assert event.actor == world.members[Role.SPONSOR] and event.detail["lines"] == ["leadership.self_knowledge"]
    again = sponsor.post(_url("agree_scope", world.review), follow=True)
    assert "The scope is already agreed" in _text(again)


def test_the_sponsor_cannot_agree_a_scope_without_lines(world):
    _meeting(world.client(Role.PCM), world.review)
    response = world.client(Role.SPONSOR).post(_url("agree_scope", world.review), follow=True)
    assert "The scope has no lines of enquiry yet" in _text(response)
    world.review.refresh_from_db()
    assert world.review.scope_agreed_at is None


def test_changing_the_lines_after_agreement_reopens_it(world):
    _scope_ready(world)
    world.client(Role.SPONSOR).post(_url("agree_scope", world.review))
    world.review.refresh_from_db()
    assert world.review.scope_agreed_at is not None
    world.client(Role.PCM).post(
        _url("scope_lines", world.review), {"lines": ["leadership.self_knowledge", "front_door.mash"]}
    )
    world.review.refresh_from_db()
    assert world.review.scope_agreed_at is None and world.review.scope_agreed_by is None
    assert "review.scope_reopened" in _verbs(world.review)
    assert "The sponsor has not agreed the scope yet" in _text(
        world.client(Role.SPONSOR).get(_url("scope", world.review))
    )


def test_saving_the_same_lines_again_keeps_the_agreement(world):
    _scope_ready(world)
    world.client(Role.SPONSOR).post(_url("agree_scope", world.review))
    world.client(Role.PCM).post(_url("scope_lines", world.review), {"lines": ["leadership.self_knowledge"]})
    world.review.refresh_from_db()
    assert world.review.scope_agreed_at is not None


def test_adding_a_custom_line_after_agreement_reopens_it(world):
    _scope_ready(world)
    world.client(Role.SPONSOR).post(_url("agree_scope", world.review))
    world.client(Role.LEAD).post(_url("scope_custom_line", world.review), {"theme": "Extra", "question": "Why?"})
    world.review.refresh_from_db()
    assert world.review.scope_agreed_at is None


def test_lines_are_fixed_once_delivery_starts(world):
    review = world.review
    review.stage = Stage.DELIVERY
    review.save()
    response = world.client(Role.PCM).post(_url("scope_lines", review), {"lines": ["front_door.mash"]})
    assert error_messages(response) == [
        "The lines of enquiry are fixed once the case record review or delivery has started"
    ]
    response = world.client(Role.PCM).post(_url("scope_custom_line", review), {"theme": "Late", "question": "Why?"})
    assert error_messages(response) == [
        "The lines of enquiry are fixed once the case record review or delivery has started"
    ]
    assert not review.lines.exists()
