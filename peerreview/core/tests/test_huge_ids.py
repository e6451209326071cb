"""Ids beyond any database column's range are refused politely (found by tests/test_fuzz.py)."""

from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, sign_in
from peerreview.evidence.models import Note

HUGE = str(2**70)


def test_a_huge_line_id_in_a_note_is_an_invalid_choice_not_a_server_error(world):
    client = sign_in(world.members[Role.PEER])
    url = reverse("evidence:note_new", kwargs={"review_id": world.review.pk})
    before = Note.objects.count()
    response = client.post(
        url, {"text": "Managers know the thresholds.", "source_type": "interview", "lines": [HUGE, "2147483648"]}
    )
    assert response.status_code == 200
    assert "Choose lines of enquiry from this review" in error_messages(response)
    assert "Managers know the thresholds." in response.content.decode()  # nothing the peer typed is lost
    assert Note.objects.count() == before


def test_huge_ids_in_addresses_answer_404(world):
    client = sign_in(world.members[Role.PCM])
    for name, kwargs in [
        ("reviews:detail", {"review_id": 2**70}),
        ("evidence:note_edit", {"review_id": world.review.pk, "note_id": 2**70}),
        ("reviews:revoke", {"review_id": world.review.pk, "membership_id": 2**64}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
