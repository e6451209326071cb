from django.urls import reverse

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
