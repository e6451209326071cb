from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages


def test_a_line_with_findings_cannot_be_dropped_from_the_scope(world):
    review = world.review
    in_use = world.extra["evidence"]["finding"].line
    keep = [line.code for line in review.lines.all() if line.pk != in_use.pk]
    response = world.client(Role.PCM).post(
        reverse("reviews:scope_lines", kwargs={"review_id": review.pk}), {"lines": keep}
    )
    assert error_messages(response) == [
        f"Keep “{in_use.question}”: evidence or findings already use it. Move them to another line first"
    ]
    assert review.lines.filter(pk=in_use.pk).exists()
