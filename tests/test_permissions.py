"""The permissions table is the single source of truth: every URL is in it, and every role gets what it says."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerreview.core.permissions import PERMISSIONS
from peerreview.core.roles import Role
from peerreview.core.testing import url_kwargs


# The matrix only looks at status codes; the page-quality checks run in test_page_sweep.py.
def sign_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


QualityClient = Client

ALLOWED = {200, 302, 405}  # 405: a POST-only action reached by GET, after the permission check passed


def all_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), p


PATTERNS = [(name, p) for name, p in all_patterns()]


def test_every_url_has_a_name_and_a_permission_rule():
    unnamed = [str(p.pattern) for name, p in PATTERNS if name is None]
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    missing = sorted(name for name, _ in PATTERNS if name not in PERMISSIONS)
    assert not missing, f"Add these URLs to peerreview/core/permissions.py: {missing}"


def test_permission_table_has_no_stale_rows():
    names = {name for name, _ in PATTERNS}
    assert not set(PERMISSIONS) - names


def test_public_rules_match_views_that_need_no_sign_in():
    for name, p in PATTERNS:
        public = PERMISSIONS[name].kind == "public"
        assert public == (getattr(p.callback, "login_required", True) is False), name


def _params(p) -> set[str]:
    return set(p.pattern.converters) if hasattr(p.pattern, "converters") else set()


def _expect(rule, role: str | None) -> bool:
    return rule.kind == "review" and role in rule.roles


REVIEW_URLS = [(n, p) for n, p in PATTERNS if PERMISSIONS[n].kind == "review"]


@pytest.mark.parametrize("name,pattern", REVIEW_URLS, ids=[n for n, _ in REVIEW_URLS])
def test_review_url_matrix(world, name, pattern):
    rule = PERMISSIONS[name]
    url = reverse(name, kwargs=url_kwargs(name, _params(pattern), world))
    other_url = reverse(name, kwargs=url_kwargs(name, _params(pattern), world, review=world.other_review))
    for role in Role:
        client = sign_in(world.members[role])
        status = client.get(url).status_code
        if _expect(rule, role):
            assert status in ALLOWED, f"{role} should reach {url}, got {status}"
        else:
            assert status == 404, f"{role} should get 404 at {url}, got {status}"
        # The same role in another review never sees this one, and this review's objects are not reachable
        # through the other review's address.
        assert sign_in(world.other_members[role]).get(url).status_code == 404, f"other review's {role} reached {url}"
        assert client.get(other_url).status_code == 404, f"{role} reached another review at {other_url}"
    for outsider in (world.outsider, world.lga_outsider, world.admin):
        assert sign_in(outsider).get(url).status_code == 404
    anonymous = QualityClient().get(url)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]


SITE_URLS = [(n, p) for n, p in PATTERNS if PERMISSIONS[n].kind != "review"]


@pytest.mark.parametrize("name,pattern", SITE_URLS, ids=[n for n, _ in SITE_URLS])
def test_site_url_matrix(world, name, pattern):
    rule = PERMISSIONS[name]
    url = reverse(name, kwargs=url_kwargs(name, _params(pattern), world))
    people = {
        "member": world.members[Role.PEER],
        "lga": world.lga_outsider,
        "admin": world.admin,
        "outsider": world.outsider,
    }
    for who, user in people.items():
        status = sign_in(user).get(url).status_code
        allowed = (
            rule.kind in ("public", "signed_in")
            or (rule.kind == "lga_staff" and user.is_lga_staff)
            or (rule.kind == "platform_admin" and user.is_platform_admin)
        )
        if allowed:
            assert status in ALLOWED | {410}, f"{who} should reach {url}, got {status}"
        else:
            assert status == 404, f"{who} should get 404 at {url}, got {status}"
    anonymous = QualityClient().get(url).status_code
    if rule.kind == "public":
        assert anonymous in ALLOWED | {410}
    else:
        assert anonymous == 302


def test_revoked_member_loses_access_on_the_next_request(world):
    from peerreview.reviews import actions

    peer = world.members[Role.PEER]
    client = sign_in(peer)
    url = reverse("reviews:detail", kwargs={"review_id": world.review.pk})
    assert client.get(url).status_code == 200
    membership = world.review.memberships.get(user=peer)
    actions.revoke_member(membership, by=world.members[Role.PCM], reason="Left the team")
    assert client.get(url).status_code == 404


def test_membership_outside_its_window_gives_no_access(world):
    import datetime

    from django.utils import timezone

    peer = world.members[Role.PEER]
    m = world.review.memberships.get(user=peer)
    m.valid_until = timezone.now() - datetime.timedelta(minutes=1)
    m.save()
    assert sign_in(peer).get(reverse("reviews:detail", kwargs={"review_id": world.review.pk})).status_code == 404


def test_team_member_must_accept_confidentiality_before_documents(world):
    from peerreview.accounts.models import User
    from peerreview.reviews import actions

    newcomer = User.objects.create_user("new.peer@example.org", "x" * 20, full_name="New Peer")
    actions.add_member(
        world.review, by=world.members[Role.PCM], email=newcomer.email, full_name="New Peer", role=Role.PEER
    )
    client = sign_in(newcomer)
    docs = reverse("documents:list", kwargs={"review_id": world.review.pk})
    response = client.get(docs)
    assert response.status_code == 302 and response["Location"].endswith("/confidentiality/")
    client.post(reverse("reviews:confidentiality", kwargs={"review_id": world.review.pk}))
    assert client.get(docs).status_code == 200
