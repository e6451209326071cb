"""A review moves through its stages one at a time, behind gates, with an audit row for every move."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, make_review, make_user, sign_in
from peerreview.reviews import actions
from peerreview.reviews.models import Review, Stage

pytestmark = pytest.mark.django_db
ALL_STAGES = [s.value for s in Stage]


@pytest.fixture
def world(bare_world):
    # These tests start from a review with no lines of enquiry, before other apps add their objects.
    return bare_world


def _url(name, review, **kw):
    return reverse(f"reviews:{name}", kwargs={"review_id": review.pk, **kw})


def _advance(client, review, to):
    response = client.post(_url("advance", review), {"to": to}, follow=True)
    review.refresh_from_db()
    return response


def _page_text(response) -> str:
    return " ".join(response.content.decode().split())


def _ready_for_preparation(world):
    review, pcm = world.review, world.members[Role.PCM]
    actions.record_scoping_meeting(
        review, by=pcm, held_on=timezone.localdate(), attendees="DCS", notes="", purpose="How safe are children?"
    )
    actions.choose_lines(review, by=pcm, question_codes=["leadership.self_knowledge"])
    actions.agree_scope(Review.objects.get(pk=review.pk), by=world.members[Role.SPONSOR])


def test_pcm_moves_a_review_through_every_stage_and_each_move_is_audited(world):
    _ready_for_preparation(world)
    client = world.client(Role.PCM)
    review = world.review
    review.refresh_from_db()
    assert review.stage == Stage.SCOPING
    for stage in ALL_STAGES[2:]:
        response = _advance(client, review, stage)
        assert review.stage == stage, error_messages(response) or _page_text(response)[:300]
        assert f"The review is now at the {Stage(stage).label.lower()} stage" in _page_text(response)
    moves = AuditEvent.objects.filter(review_ref=review.pk, verb="review.stage_changed")
    assert [e.detail["after"] for e in moves.order_by("at")] == ALL_STAGES[1:]
    assert {e.actor_id for e in moves} == {world.members[Role.PCM].pk}
    response = _advance(client, review, "closed")
    assert "This review is closed" in _page_text(response)


def test_a_transition_that_skips_a_stage_is_refused_and_says_what_comes_next(world):
    client = world.client(Role.PCM)
    response = _advance(client, world.review, Stage.DELIVERY)
    assert world.review.stage == Stage.REQUESTED
    assert "A review moves one stage at a time: the next stage is scoping" in _page_text(response)
    assert not AuditEvent.objects.filter(review_ref=world.review.pk, verb="review.stage_changed").exists()
    _advance(client, world.review, "no-such-stage")
    assert world.review.stage == Stage.REQUESTED


def test_preparation_waits_until_the_sponsor_agrees_the_scope(world):
    client = world.client(Role.PCM)
    _advance(client, world.review, Stage.SCOPING)
    response = _advance(client, world.review, Stage.PREPARATION)
    assert world.review.stage == Stage.SCOPING
    assert "The sponsor must agree the scope before preparation starts" in _page_text(response)


def test_case_record_review_waits_until_every_team_member_accepts_confidentiality(world):
    _ready_for_preparation(world)
    client = world.client(Role.PCM)
    _advance(client, world.review, Stage.PREPARATION)
    newcomer = make_user("late.peer@example.org")
    actions.add_member(
        world.review, by=world.members[Role.PCM], email=newcomer.email, full_name="Late Peer", role=Role.PEER
    )
    response = _advance(client, world.review, Stage.CASE_RECORD_REVIEW)
    assert world.review.stage == Stage.PREPARATION
    assert "Every member of the review team must accept the confidentiality agreement first" in _page_text(response)
    sign_in(newcomer).post(_url("confidentiality", world.review))
    _advance(client, world.review, Stage.CASE_RECORD_REVIEW)
    assert world.review.stage == Stage.CASE_RECORD_REVIEW


def test_a_review_without_a_case_record_review_goes_from_preparation_to_delivery(reference_data):
    pcm = make_user("pcm@example.org", is_lga_staff=True)
    review = make_review(pcm=pcm, has_case_record_review=False)
    assert Stage.CASE_RECORD_REVIEW not in review.stages()
    assert not review.key_dates.filter(code__startswith="case_review").exists()
    review.stage = Stage.PREPARATION
    review.save()
    actions.accept_confidentiality(review.memberships.get(user=pcm), by=pcm)
    response = _advance(sign_in(pcm), review, Stage.CASE_RECORD_REVIEW)
    assert "the next stage is delivery" in _page_text(response)
    _advance(sign_in(pcm), review, Stage.DELIVERY)
    assert review.stage == Stage.DELIVERY


def test_only_the_pcm_sees_the_button_to_move_the_stage(world):
    assert "Move to scoping" in world.client(Role.PCM).get(_url("detail", world.review)).content.decode()
    assert "Move to scoping" not in world.client(Role.LEAD).get(_url("detail", world.review)).content.decode()


# Key dates


def test_key_dates_come_from_the_review_type_rules_and_the_delivery_start(world):
    review = world.review
    start = review.delivery_start
    assert review.date_of("delivery_start") == start
    assert review.date_of("case_review_start") == start - datetime.timedelta(days=14)
    assert review.date_of("feedback") == start + datetime.timedelta(days=8)
    feedback = review.date_of("feedback")
    assert review.date_of("report_due").day == feedback.day or review.date_of("report_due").month == (
        feedback.month % 12 + 1
    )


def _dates_post(review, **changes):
    data = {"delivery_start": review.delivery_start.isoformat()}
    for d in review.key_dates.exclude(code="delivery_start"):
        data[f"date_{d.code}"] = d.date.isoformat()
    data.update({k: v.isoformat() for k, v in changes.items()})
    return data


def test_an_overridden_date_is_kept_when_other_dates_change(world):
    review, client = world.review, world.client(Role.PCM)
    feedback = review.date_of("feedback") + datetime.timedelta(days=1)
    response = client.post(_url("dates", review), _dates_post(review, date_feedback=feedback))
    assert response.status_code == 302
    assert review.key_dates.get(code="feedback").overridden
    report = review.date_of("report_due") + datetime.timedelta(days=3)
    client.post(_url("dates", review), _dates_post(review, date_report_due=report))
    assert review.date_of("feedback") == feedback and review.key_dates.get(code="feedback").overridden
    assert review.date_of("report_due") == report
    page = client.get(_url("detail", review)).content.decode()
    assert "Changed by hand" in page
    assert AuditEvent.objects.filter(review_ref=review.pk, verb="review.dates_changed").count() == 2


def test_changing_the_delivery_start_works_every_date_out_again(world):
    review, client = world.review, world.client(Role.PCM)
    client.post(
        _url("dates", review),
        _dates_post(review, date_feedback=review.date_of("feedback") + datetime.timedelta(days=1)),
    )
    new_start = review.delivery_start + datetime.timedelta(days=7)
    client.post(_url("dates", review), _dates_post(review, delivery_start=new_start))
    review.refresh_from_db()
    assert review.delivery_start == new_start
    assert review.date_of("feedback") == new_start + datetime.timedelta(days=8)
    assert not review.key_dates.filter(overridden=True).exists()


def test_a_delivery_start_in_the_past_is_refused_and_nothing_changes(world):
    review, client = world.review, world.client(Role.PCM)
    before = list(review.key_dates.values_list("code", "date", "overridden"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(_url("dates", review), _dates_post(review, delivery_start=yesterday))
    assert response.status_code == 200
    assert error_messages(response) == ["The delivery start date must be in the future"]
    assert 'href="#id_delivery_start"' in response.content.decode()
    review.refresh_from_db()
    assert review.delivery_start != yesterday
    assert list(review.key_dates.values_list("code", "date", "overridden")) == before


def test_a_missing_or_unreal_date_is_named(world):
    review, client = world.review, world.client(Role.PCM)
    data = _dates_post(review)
    data["date_feedback"] = ""
    data["date_report_due"] = "2027-02-30"
    response = client.post(_url("dates", review), data)
    messages = error_messages(response)
    assert "Enter the date for virtual feedback meeting" in messages
    assert "Enter a real date, like 9 March 2027" in messages


# What is next and what is overdue


def test_the_review_page_shows_what_is_next_and_what_is_overdue(reference_data):
    pcm = make_user("pcm@example.org", is_lga_staff=True)
    # Delivery in 60 days: the scope was due 70 days before delivery, so it is 10 days overdue.
    review = make_review(pcm=pcm, days_ahead=60)
    page = _page_text(sign_in(pcm).get(_url("detail", review)))
    scope_due = review.date_of("scope_agreed")
    assert f"Overdue: agree the scope and key lines of enquiry with the sponsor (due {scope_due:%-d %B})" in page
    assert "Next: Agree the scope and key lines of enquiry with the sponsor" in page
    later = make_review(pcm=pcm, days_ahead=200, host_code="leeds")
    page = _page_text(sign_in(pcm).get(_url("detail", later)))
    assert "Overdue" not in page
    assert "Next: Agree the scope and key lines of enquiry with the sponsor" in page and "(130 days left)" in page


def test_tasks_are_measured_against_the_day_given(reference_data):
    pcm = make_user("pcm@example.org", is_lga_staff=True)
    review = make_review(pcm=pcm, days_ahead=200)
    assert review.overdue_tasks() == []
    far = review.delivery_start + datetime.timedelta(days=400)
    overdue = [t["label"] for t in review.overdue_tasks(today=far)]
    assert "Give the feedback presentation" in overdue and "Send the written report" in overdue
    review.stage = Stage.EVALUATION
    review.save()
    assert "Give the feedback presentation" not in [t["label"] for t in review.overdue_tasks(today=far)]


def test_pcm_home_lists_reviews_by_stage_with_overdue_ones_first(reference_data):
    pcm = make_user("pcm@example.org", is_lga_staff=True)
    calm = make_review(pcm=pcm, days_ahead=200, host_code="leeds", title="Calm review")
    make_review(pcm=pcm, days_ahead=30, host_code="kent", title="Late review")
    moving = make_review(pcm=pcm, days_ahead=250, host_code="york", title="Moving review")
    actions.advance_stage(moving, by=pcm, to=Stage.SCOPING)
    page = _page_text(sign_in(pcm).get(reverse("reviews:home")))
    assert "1 review has overdue work." in page
    assert page.index("Late review") < page.index("Calm review")
    assert page.index('<h2 class="govuk-heading-m">Requested</h2>') < page.index("Late review")
    assert page.index('<h2 class="govuk-heading-m">Scoping</h2>') < page.index("Moving review")
    assert "Overdue</strong> Agree the scope" in page
    assert calm.title in page


def test_someone_without_reviews_is_told_who_will_add_them(reference_data):
    page = _page_text(sign_in(make_user("new@example.org")).get(reverse("reviews:home")))
    assert "You are not part of any review yet" in page


# Starting a review


def test_lga_staff_start_a_review_and_become_its_pcm(reference_data):
    from peerreview.councils.models import Organisation
    from peerreview.policy.models import ReviewType

    pcm = make_user("pcm@example.org", is_lga_staff=True)
    start = timezone.localdate() + datetime.timedelta(days=90)
    response = sign_in(pcm).post(
        reverse("reviews:create"),
        {
            "host": Organisation.objects.get(code="york").pk,
            "review_type": ReviewType.objects.get(code="send", is_current=True).pk,
            "delivery_start": start.isoformat(),
            "has_case_record_review": "on",
        },
    )
    review = Review.objects.get()
    assert response["Location"] == _url("detail", review)
    assert review.memberships.get().role == Role.PCM and review.stage == Stage.REQUESTED
    assert AuditEvent.objects.filter(review_ref=review.pk, verb="review.created").exists()


def test_a_review_starting_in_the_past_is_refused_with_a_message_and_not_saved(reference_data):
    from peerreview.councils.models import Organisation
    from peerreview.policy.models import ReviewType

    pcm = make_user("pcm@example.org", is_lga_staff=True)
    response = sign_in(pcm).post(
        reverse("reviews:create"),
        {
            "host": Organisation.objects.get(code="york").pk,
            "review_type": ReviewType.objects.get(code="send", is_current=True).pk,
            "delivery_start": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert error_messages(response) == ["The delivery start date must be in the future"]
    assert 'href="#id_delivery_start"' in response.content.decode()
    assert not Review.objects.exists()


def test_an_empty_start_form_names_every_missing_answer(reference_data):
    response = sign_in(make_user("pcm@example.org", is_lga_staff=True)).post(
        reverse("reviews:create"),
        {"title": ""},  # a browser always sends at least the CSRF token
    )
    assert error_messages(response) == [
        "Choose the host council",
        "Choose the type of review",
        "Enter the delivery start date",
    ]
