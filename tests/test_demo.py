"""`manage.py load_demo` builds one realistic review, can run again safely, and gives one sign-in per role."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.documents.models import Document
from peerreview.reviews import demo
from peerreview.reviews.models import Membership, Review, Stage

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_runs_twice_and_every_sign_in_it_prints_sees_the_review():
    first = _load()
    assert "Demo review ready." in first
    counts = (Review.objects.count(), Membership.objects.count(), Document.objects.count(), AuditEvent.objects.count())
    second = _load()
    assert "Demo review already loaded." in second
    assert (Review.objects.count(), Membership.objects.count(), Document.objects.count()) == counts[:3]
    review = Review.objects.get(title=demo.DEMO_TITLE)
    assert review.stage == Stage.DELIVERY
    assert review.scope_agreed_at is not None and review.lines.count() == len(demo.LINES)
    assert set(review.memberships.values_list("role", flat=True)) == set(Role.values)
    for email, _role in demo.sign_ins():
        assert email in first
    # Every sign-in printed works and sees the demo review (the page sweep checks the pages themselves).
    for email, role in demo.sign_ins():
        client = Client()
        response = client.post(reverse("accounts:sign_in"), {"email": email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, f"{email} ({role}) cannot sign in"
        home = client.get(reverse("reviews:home")).content.decode()
        detail = client.get(reverse("reviews:detail", kwargs={"review_id": review.pk}))
        if email == "admin@demo.example":
            assert detail.status_code == 404  # platform admins see no review content
            assert client.get(reverse("accounts:users")).status_code == 200
        else:
            assert detail.status_code == 200, f"{email} ({role}) cannot see the demo review"
            assert demo.DEMO_TITLE in home.replace("&#x27;", "'")
            docs = client.get(reverse("documents:list", kwargs={"review_id": review.pk}))
            assert docs.status_code == 200, f"{email} ({role}) cannot see the documents"
