"""Test helpers shared by every app: personas, a page-quality test client and example URL arguments.

The page-quality client checks every HTML page it fetches the way GOV.UK Notify's does: one h1, a title
that starts with the h1, an error summary whose links point at fields, unique ids, and HTML that parses.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from html import unescape

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from peerreview.accounts.models import User
from peerreview.core.roles import Role

PASSWORD = "a-long-test-password-123"


class PageQualityError(AssertionError):
    pass


def check_page(html: str, *, path: str = "") -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        tree = parser.parse(html)
    except Exception as exc:
        raise PageQualityError(f"{path}: HTML does not parse: {exc}") from exc
    h1s = tree.findall(".//h1")
    if len(h1s) != 1:
        raise PageQualityError(f"{path}: expected one h1, found {len(h1s)}")
    h1 = " ".join("".join(h1s[0].itertext()).split())
    title_el = tree.find(".//title")
    title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
    if not title.removeprefix("Error: ").startswith(h1):
        raise PageQualityError(f"{path}: title {title!r} does not start with the h1 {h1!r}")
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise PageQualityError(f"{path}: duplicate ids {sorted(dupes)}")
    summary = [el for el in tree.iter("div") if "govuk-error-summary" in (el.get("class") or "").split()]
    if summary:
        if not title.startswith("Error: "):
            raise PageQualityError(f"{path}: a page with errors must have a title starting 'Error: '")
        for a in summary[0].iter("a"):
            target = a.get("href", "").removeprefix("#")
            if target not in ids:
                raise PageQualityError(f"{path}: error summary links to #{target}, which is not on the page")


_HANDLERS: dict = {}


class QualityClient(Client):
    """A test client that checks every HTML page it receives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Loading the middleware (WhiteNoise scans the static files) costs more than a request, and the
        # permission tests make hundreds of clients: share one handler per middleware list.
        from django.conf import settings

        key = (self.handler.enforce_csrf_checks, tuple(settings.MIDDLEWARE))
        self.handler = _HANDLERS.setdefault(key, self.handler)

    def request(self, **request):
        response = super().request(**request)
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and response.status_code in (200, 400, 404, 410)
            and not getattr(response, "streaming", False)
        ):
            body = response.content.decode()
            if "<html" in body and "hx-request" not in {k.lower() for k in request}:
                check_page(body, path=request.get("PATH_INFO", ""))
        return response


def sign_in(user: User) -> QualityClient:
    c = QualityClient()
    c.force_login(user)
    return c


@dataclass
class World:
    """A review with one person in every role, a second review with its own team, and people outside both."""

    review: object
    other_review: object
    members: dict = field(default_factory=dict)  # role -> User
    other_members: dict = field(default_factory=dict)
    outsider: User | None = None
    lga_outsider: User | None = None
    admin: User | None = None
    document: object = None
    extra: dict = field(default_factory=dict)

    def client(self, role: str) -> QualityClient:
        return sign_in(self.members[role])


def make_user(email: str, **extra) -> User:
    extra.setdefault("full_name", email.split("@")[0].replace(".", " ").title())
    return User.objects.create_user(email, PASSWORD, **extra)


def make_review(*, pcm: User, code="remote_diagnostic", host_code="kent", days_ahead=60, **kwargs):
    from peerreview.councils.models import Organisation
    from peerreview.policy.models import ReviewType
    from peerreview.reviews import actions

    return actions.create_review(
        by=pcm,
        host=Organisation.objects.get(code=host_code),
        review_type=ReviewType.objects.get(code=code, is_current=True),
        delivery_start=timezone.localdate() + datetime.timedelta(days=days_ahead),
        **kwargs,
    )


def _staff_review(prefix: str, host_code: str):
    from peerreview.reviews import actions

    pcm = make_user(f"{prefix}.pcm@example.org", is_lga_staff=True)
    review = make_review(pcm=pcm, host_code=host_code)
    actions.accept_confidentiality(review.memberships.get(user=pcm), by=pcm)
    members = {Role.PCM: pcm}
    for role in Role:
        if role == Role.PCM:
            continue
        user = make_user(f"{prefix}.{role.value}@example.org")
        m = actions.add_member(review, by=pcm, email=user.email, full_name=user.full_name, role=role)
        if m.is_team:
            actions.accept_confidentiality(m, by=user)
    return review, members | {m.role: m.user for m in review.memberships.select_related("user") if m.role != Role.PCM}


def load_reference_data() -> None:
    """Load the councils and review types unless they are already there (loading is idempotent anyway)."""
    from peerreview.councils.models import Organisation
    from peerreview.policy.models import ReviewType

    quiet = io.StringIO()
    if Organisation.objects.count() < 150:
        call_command("load_organisations", stdout=quiet)
    if not ReviewType.objects.exists():
        call_command("load_policy", stdout=quiet)


@pytest.fixture
def reference_data(db):
    # Usually loaded once per test database by conftest.py's django_db_setup; transactional tests empty it.
    load_reference_data()


@pytest.fixture
def world(bare_world) -> World:
    """The test world with every app's objects added (evidence, sessions, a peer pool...)."""
    _run_world_hooks(bare_world)
    return bare_world


@pytest.fixture
def bare_world(reference_data) -> World:
    """The test world before any app adds its objects: a review that is only created and staffed."""
    from peerreview.documents.actions import store_document

    review, members = _staff_review("a", "kent")
    other, other_members = _staff_review("b", "leeds")
    doc = store_document(
        review,
        by=members[Role.ORGANISER],
        kind="csv",
        checklist_code="performance_data",
        title="Performance data",
        upload=SimpleUploadedFile("data.csv", b"a,b\n1,2\n"),
    )
    w = World(
        review=review,
        other_review=other,
        members=members,
        other_members=other_members,
        outsider=make_user("outsider@example.org"),
        lga_outsider=make_user("lga.outsider@example.org", is_lga_staff=True),
        admin=make_user("admin@example.org", is_platform_admin=True),
        document=doc,
    )
    return w


# Apps add objects to the world (a finding, a session...) and example URL arguments for their URLs here,
# so the permissions matrix can reach every URL.
WORLD_HOOKS: list = []
URL_EXAMPLES: dict = {
    "reviews:revoke": lambda w: {"membership_id": w.review.memberships.get(role=Role.PEER).pk},
    "documents:download": lambda w: {"document_id": w.document.pk},
    "policy:review_type": lambda w: {"code": "remote_diagnostic"},
    "accounts:accept_invitation": lambda w: {"token": "not-a-real-token"},
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
}


def _load_app_testing_modules() -> None:
    """Each app may have a testing.py that appends to WORLD_HOOKS and URL_EXAMPLES."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("peerreview.") and config.name != "peerreview.core":
            try:
                importlib.import_module(f"{config.name}.testing")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.testing":
                    raise


def _run_world_hooks(w: World) -> None:
    _load_app_testing_modules()
    for hook in WORLD_HOOKS:
        hook(w)


def url_kwargs(name: str, pattern_params: set[str], w: World, review=None) -> dict:
    _load_app_testing_modules()
    kwargs = URL_EXAMPLES[name](w) if name in URL_EXAMPLES else {}
    if "review_id" in pattern_params:
        kwargs["review_id"] = (review or w.review).pk
    return kwargs


def error_messages(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return (
        [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]
        if block
        else []
    )
