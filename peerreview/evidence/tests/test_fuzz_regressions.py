"""Server errors that tests/test_fuzz.py found in the evidence pages, kept fixed."""

import re

from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, sign_in
from peerreview.evidence.models import Report


def test_an_over_long_report_section_is_an_error_message_not_a_server_error(world):
    client = sign_in(world.members[Role.LEAD])
    url = reverse("evidence:report_edit", kwargs={"review_id": world.review.pk})
    too_long = "The front door works well. " * 800  # 21,600 characters
    first, second = re.findall(r'<textarea[^>]* name="(section_[a-z0-9_]+)"', client.get(url).content.decode())[:2]
    response = client.post(url, {first: "Kept wording", second: too_long})
    assert response.status_code == 200
    [message] = error_messages(response)  # names the section, e.g. "Scope and key lines of enquiry must be …"
    assert message.endswith(" must be 20,000 characters or fewer")
    html = response.content.decode()
    assert "Kept wording" in html and "govuk-textarea--error" in html  # nothing typed is lost
    assert not Report.objects.filter(review=world.review, sections__icontains="Kept wording").exists()


def test_report_sections_have_the_design_system_classes(world):
    response = sign_in(world.members[Role.LEAD]).get(
        reverse("evidence:report_edit", kwargs={"review_id": world.review.pk})
    )
    assert 'class="govuk-textarea"' in response.content.decode()
