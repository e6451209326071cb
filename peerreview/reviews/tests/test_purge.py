from django.urls import reverse
from django.utils import timezone

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, sign_in
from peerreview.reviews.models import Stage


def test_pcm_purges_a_closed_review_and_its_files_are_gone(world, django_capture_on_commit_callbacks):
    review = world.review
    path = world.document.path
    assert path.exists()
    url = reverse("reviews:purge", kwargs={"review_id": review.pk})
    client = world.client(Role.PCM)
    response = client.post(url, {"reason": "Retention period ended", "confirm": "on"})
    assert "Only a closed review can be purged. Move it to closed first" in error_messages(response)
    assert review.documents.exists()

    review.stage = Stage.CLOSED
    review.save()
    response = client.post(url, {"reason": ""})
    assert error_messages(response) == [
        "Enter the reason for deleting the material",
        "Confirm that you understand the material is deleted for good",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Retention period ended", "confirm": "on"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_purged and not review.documents.exists() and not path.exists()
    assert AuditEvent.objects.filter(verb="review.purged", review_ref=review.pk).exists()
    # Everyone but the PCM has lost access; the PCM still sees the overview and the history, not the documents.
    assert (
        sign_in(world.members[Role.PEER]).get(reverse("reviews:detail", kwargs={"review_id": review.pk})).status_code
        == 404
    )
    assert client.get(reverse("reviews:detail", kwargs={"review_id": review.pk})).status_code == 200
    assert client.get(reverse("documents:list", kwargs={"review_id": review.pk})).status_code == 404


def test_purge_deletes_the_evidence_and_timetable_of_that_review_only(world):
    from peerreview.evidence.models import EvidenceSession, Finding, Note, NoteDraft
    from peerreview.reviews import actions
    from peerreview.timetable.models import CalendarEntry, Participant, Room, Session, SolveRun, Unavailability

    models = (Note, NoteDraft, Finding, EvidenceSession, Participant, Room, Session, Unavailability, SolveRun)
    NoteDraft.objects.create(
        review=world.review, user=world.members[Role.PEER], form_key="document", text="Half", updated=timezone.now()
    )
    NoteDraft.objects.create(
        review=world.other_review,
        user=world.other_members[Role.PEER],
        form_key="document",
        text="x",
        updated=timezone.now(),
    )

    def counts(review):
        out = {m.__name__: m.objects.filter(review=review).count() for m in models}
        out["CalendarEntry"] = CalendarEntry.objects.filter(session__review=review).count()
        return out

    before, other = counts(world.review), counts(world.other_review)
    assert all(before[k] for k in ("Note", "NoteDraft", "Finding", "Participant", "Session", "SolveRun"))
    world.review.stage = Stage.CLOSED
    world.review.save()
    result = actions.purge_review(world.review, by=world.members[Role.PCM], reason="Retention period ended")
    assert set(counts(world.review).values()) == {0}
    assert counts(world.other_review) == other
    assert result["timetable"] == before["Session"] and result["evidence"] >= before["Note"]
