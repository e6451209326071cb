"""Security basics: response headers on every kind of page, and append-only audit and access logs."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from peerreview.core.audit import record
from peerreview.core.models import AccessEvent, AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import QualityClient

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def _check_headers(response):
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"], csp["script-src"]  # no nonce, no inline script, no eval
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_security_headers_on_public_signed_in_error_and_review_pages(world):
    _check_headers(QualityClient().get(reverse("accounts:sign_in")))
    _check_headers(QualityClient().get("/no-such-page/"))
    pcm = world.client(Role.PCM)
    _check_headers(pcm.get(reverse("reviews:home")))
    _check_headers(pcm.get(reverse("reviews:detail", kwargs={"review_id": world.review.pk})))
    response = pcm.post(reverse("reviews:scope_lines", kwargs={"review_id": world.review.pk}), {"lines": ["x"]})
    _check_headers(response)


def test_pages_have_no_inline_script_or_style(world):
    import re

    for url in (reverse("accounts:sign_in"), reverse("reviews:home")):
        page = world.client(Role.PCM).get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page and "<style" not in page
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers (onpaste, onclick...)


@pytest.mark.django_db(transaction=True)
def test_the_logs_stay_append_only_in_a_transactional_test():
    row = record("test.event", by=None, summary="original")
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=row.pk).update(summary="changed")


def test_the_logs_are_append_only_again_after_a_transactional_test_has_flushed_them():
    # Runs after the test above in the same process: its clean-up must not leave the logs open.
    row = record("test.event", by=None, summary="original")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()


def _audit_row():
    return record("test.event", by=None, summary="original")


@pytest.mark.parametrize("model,make", [(AuditEvent, lambda w: _audit_row()), (AccessEvent, None)])
def test_the_logs_refuse_update_and_delete_through_the_orm(world, model, make):
    if make is None:
        world.client(Role.PEER).get(
            reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
        )
        row = AccessEvent.objects.get()
    else:
        row = make(world)
    count = model.objects.count()
    for attempt in (
        lambda: model.objects.filter(pk=row.pk).update(object_ref="changed"),
        lambda: row.save(),
        lambda: model.objects.filter(pk=row.pk).delete(),
        lambda: row.delete(),
        lambda: model.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert model.objects.count() == count
    assert model.objects.get(pk=row.pk).object_ref == row.object_ref
