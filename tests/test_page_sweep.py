"""Every page, as every persona allowed to see it, answers and passes the page-quality checks.

Uses the permissions table as the list of pages, the test world and URL_EXAMPLES for the URL arguments.
QualityClient checks each HTML page (one h1, the title starts with it, the error summary links to fields,
unique ids, HTML that parses); this sweep adds checks that nothing blocks pasting and that password and
email inputs say what they are for.
"""

import re

import pytest
from django.urls import reverse

from peerreview.core.permissions import PERMISSIONS
from peerreview.core.roles import Role
from peerreview.core.testing import QualityClient, sign_in, url_kwargs
from tests.test_permissions import PATTERNS, _params

OK = {200, 302}
POST_ONLY = 405  # actions reached by GET; they have no page of their own
GONE = {
    "accounts:accept_invitation",
    "peers:respond",
}  # the example token is not a real one, so the page says the link has expired


def _extra_checks(html: str, url: str) -> list[str]:
    problems = []
    if re.search(r"\bonpaste\b|\bondrop\b|\boncopy\b", html, re.I):
        problems.append(f"{url}: blocks pasting")
    for tag in re.findall(r"<input\b[^>]*>", html):
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("password", "email") and "autocomplete=" not in tag:
            problems.append(f"{url}: {kind.group(1)} input without autocomplete: {tag}")
    return problems


def _sweep(client, names, world, review=None) -> tuple[list[str], int]:
    problems, seen = [], 0
    for name, pattern in PATTERNS:
        if name not in names:
            continue
        url = reverse(name, kwargs=url_kwargs(name, _params(pattern), world, review=review))
        try:
            response = client.get(url)
        except AssertionError as exc:  # PageQualityError
            problems.append(str(exc))
            continue
        if response.status_code == POST_ONLY:
            continue
        expected = OK | ({410} if name in GONE else set())
        if response.status_code not in expected:
            problems.append(f"{url} ({name}): {response.status_code}")
            continue
        seen += 1
        if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
            problems += _extra_checks(response.content.decode(), url)
    return problems, seen


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_review_page_passes_the_quality_checks_for_each_role_allowed(world, role):
    names = {n for n, rule in PERMISSIONS.items() if rule.kind == "review" and role in rule.roles}
    problems, seen = _sweep(world.client(role), names, world)
    assert not problems, "\n".join(problems)
    assert seen >= 4


def test_every_site_page_passes_the_quality_checks_for_each_persona_allowed(world):
    personas = {
        "public": [None],
        "signed_in": [world.members[Role.PEER], world.outsider],
        "lga_staff": [world.lga_outsider],
        "platform_admin": [world.admin],
    }
    problems, seen = [], 0
    for kind, people in personas.items():
        names = {n for n, rule in PERMISSIONS.items() if rule.kind == kind}
        for person in people:
            client = QualityClient() if person is None else sign_in(person)
            p, s = _sweep(client, names, world)
            problems += p
            seen += s
    assert not problems, "\n".join(problems)
    assert seen >= 12


def test_the_404_page_passes_the_quality_checks_signed_in_or_not(world):
    for client, url in ((QualityClient(), "/no/such/page/"), (world.client(Role.PEER), "/reviews/999999/")):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
    # Signed out, a review's address asks you to sign in rather than saying whether it exists.
    assert QualityClient().get("/reviews/999999/").status_code == 302


def test_pages_with_errors_pass_the_quality_checks(world):
    """A few form pages with errors, to exercise the error summary check on real pages."""
    pcm = world.client(Role.PCM)
    rid = world.review.pk
    posts = [
        (reverse("reviews:invite", kwargs={"review_id": rid}), {"email": "bad"}),
        (reverse("reviews:scoping_meeting", kwargs={"review_id": rid}), {"held_on": "2020-13-45"}),
        (reverse("reviews:scope_lines", kwargs={"review_id": rid}), {"x": "1"}),
        (reverse("reviews:dates", kwargs={"review_id": rid}), {"delivery_start": ""}),
        (reverse("documents:upload", kwargs={"review_id": rid}), {"title": ""}),
        (reverse("reviews:create"), {"title": ""}),
    ]
    for url, data in posts:
        response = pcm.post(url, data)
        assert response.status_code == 200, url
        assert "govuk-error-summary" in response.content.decode(), url
    response = QualityClient().post(reverse("accounts:sign_in"), {"email": "x"})
    assert "govuk-error-summary" in response.content.decode()
