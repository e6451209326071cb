"""Form and endpoint fuzzing (security.md §6.5, scoreboard item 6).

Every URL in the permissions table is sent hypothesis-generated requests by a role the table allows: the
real field names of the forms that post there (read from the pages that show those forms, and from the
form classes the view uses) with hostile values (over-long strings, RTL and combining marks, null bytes,
wrong types, huge and negative numbers, bad dates and times, missing, duplicated and extra fields, ids of
another review's objects, empty files and wrong file types), sometimes with HTMX headers, sometimes as a
JSON or garbage body. Invariants, for every request: no 5xx, no traceback in the body, and no change to
another review's rows.

In the suite each URL gets a few derandomised examples (CI is repeatable). The big run is a command:

    python bench/fuzz.py --examples 100        # about 11,000 requests, prints a table

which runs this file with PEERREVIEW_FUZZ_EXAMPLES and collects the figures through PEERREVIEW_FUZZ_REPORT.
Each example runs in a savepoint that is rolled back, so every request meets the same world.
"""

import datetime
import inspect
import json
import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
from django import forms as djforms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerreview.core.permissions import PERMISSIONS
from peerreview.core.roles import Role
from peerreview.core.testing import url_kwargs

EXAMPLES = int(os.environ.get("PEERREVIEW_FUZZ_EXAMPLES", "3"))
REPORT_DIR = os.environ.get("PEERREVIEW_FUZZ_REPORT")
TRACE = re.compile(rb"Traceback|\bException\b|Django Version:|File \"/")
# Downloads and slow drawings: not crawled for forms (they hold none), and fuzzed a tenth as often.
NOT_CRAWLED = re.compile(r"xlsx|ics|chart|download|json|export|problem|progress|sign_out")
DOWNLOADS = re.compile(r"xlsx|ics|chart|download|json|export|problem|progress")


# -- The URLs ------------------------------------------------------------------------------------------


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


PATTERNS = dict(_patterns())
APPS = sorted({name.split(":")[0] for name in PATTERNS})


def _params(p) -> set[str]:
    return set(getattr(p.pattern, "converters", {}))


def _users(world, name) -> list:
    """Who may use a URL: every allowed role for review URLs, one suitable person for the others."""
    rule = PERMISSIONS[name]
    if rule.kind == "review":
        return [world.members[r] for r in Role if r in rule.roles]
    return {
        "public": [None],
        "signed_in": [world.members[Role.PEER]],
        "lga_staff": [world.members[Role.PCM]],
        "platform_admin": [world.admin],
    }[rule.kind]


# -- Fields: from the pages' forms and the views' form classes ------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text | textarea | number | date | time | email | choice | multi | checkbox | file | hidden
    values: list = field(default_factory=list)  # what the page offers or holds (valid answers)


@dataclass
class Target:
    name: str
    path: str
    users: list
    fields: dict = field(default_factory=dict)  # name -> Field
    posted: bool = False  # a page or form class posts here
    kwargs: dict = field(default_factory=dict)  # the URL's arguments in the world


def _input_kind(el) -> str:
    t = (el.get("type") or "text").lower()
    return {
        "number": "number",
        "date": "date",
        "time": "time",
        "email": "email",
        "checkbox": "multi",
        "radio": "choice",
        "file": "file",
        "hidden": "hidden",
    }.get(t, "text")


def _url_name(action: str, page_path: str) -> tuple[str, str] | None:
    path = urlsplit(action).path or page_path
    try:
        return resolve(path).view_name, path
    except Resolver404:
        return None


def parse_forms(html: str, page_path: str) -> dict[str, dict[str, Field]]:
    """url name -> fields, for every POST form (or hx-post element) on a page."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    out: dict[str, dict[str, Field]] = defaultdict(dict)
    for form in tree.iter("form"):
        method = (form.get("method") or "get").lower()
        action = form.get("hx-post") or form.get("action") or ""
        if method != "post" and not form.get("hx-post"):
            continue
        resolved = _url_name(action, page_path)
        if not resolved:
            continue
        fields = out[resolved[0]]
        for el in form.iter():
            name = el.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            if el.tag == "input":
                kind = _input_kind(el)
                f = fields.setdefault(name, Field(name, kind))
                if el.get("value") is not None:
                    f.values.append(el.get("value"))
            elif el.tag == "select":
                kind = "multi" if el.get("multiple") is not None else "choice"
                f = fields.setdefault(name, Field(name, kind))
                f.values += [o.get("value", "".join(o.itertext())) for o in el.iter("option")]
            elif el.tag == "textarea":
                f = fields.setdefault(name, Field(name, "textarea"))
                f.values.append("".join(el.itertext()))
            elif el.tag == "button" and el.get("value") is not None:
                target = el.get("formaction")
                dest = out[_url_name(target, page_path)[0]] if target and _url_name(target, page_path) else fields
                dest.setdefault(name, Field(name, "choice")).values.append(el.get("value"))
    return out


def _form_field(name: str, f: djforms.Field) -> Field:
    static = not isinstance(f, djforms.ModelChoiceField) and isinstance(f, djforms.ChoiceField)
    choices = [str(v) for v, label in (f.choices if static else []) if not isinstance(label, list | tuple)]
    if isinstance(f, djforms.FileField):
        return Field(name, "file")
    if isinstance(f, djforms.MultipleChoiceField | djforms.ModelMultipleChoiceField):
        return Field(name, "multi", choices)
    if isinstance(f, djforms.ChoiceField | djforms.ModelChoiceField):
        return Field(name, "choice", choices)
    if isinstance(f, djforms.BooleanField):
        return Field(name, "checkbox", ["on"])
    if isinstance(f, djforms.IntegerField | djforms.FloatField | djforms.DecimalField):
        return Field(name, "number")
    if isinstance(f, djforms.DateField):
        return Field(name, "date")
    if isinstance(f, djforms.TimeField):
        return Field(name, "time")
    if isinstance(f, djforms.EmailField):
        return Field(name, "email")
    return Field(name, "text")


def view_form_fields(pattern) -> dict[str, Field]:
    """Fields of the form classes a view's source names (fields added in __init__ come from the pages)."""
    view = pattern.callback
    view = getattr(view, "__wrapped__", view)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return {}
    module = inspect.getmodule(view)
    out = {}
    for ident in set(re.findall(r"\b([A-Z]\w*Form)\b", source)):
        cls = getattr(module, ident, None)
        if isinstance(cls, type) and issubclass(cls, djforms.BaseForm):
            for name, f in cls.base_fields.items():
                out[name] = _form_field(name, f)
    return out


# Which pages show forms for which URL names: found once per process by visiting every page, then only
# the pages that matter are fetched again for each world (their option values carry the world's ids).
_HOSTS: dict[str, set[str]] | None = None


def _page_users(world, name):
    users = _users(world, name)
    # The PCM (or the first allowed role) sees the most forms.
    return users[:1]


def _fetch_forms(world, names, clients) -> tuple[dict[str, dict[str, Field]], dict[str, set[str]]]:
    found: dict[str, dict[str, Field]] = defaultdict(dict)
    hosts: dict[str, set[str]] = defaultdict(set)
    for name in names:
        if NOT_CRAWLED.search(name):
            continue
        path = reverse(name, kwargs=url_kwargs(name, _params(PATTERNS[name]), world))
        for user in _page_users(world, name):
            response = clients[user].get(path)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for target, fields in parse_forms(response.content.decode(), path).items():
                hosts[target].add(name)
                for fname, f in fields.items():
                    found[target].setdefault(fname, Field(fname, f.kind)).values.extend(f.values)
    return found, hosts


def build_targets(world, names, clients) -> list[Target]:
    global _HOSTS
    if _HOSTS is None:
        _, _HOSTS = _fetch_forms(world, list(PATTERNS), clients)
    pages = set().union(*(_HOSTS.get(n, set()) for n in names)) if names else set()
    found, _ = _fetch_forms(world, sorted(pages), clients)
    targets = []
    for name in names:
        pattern = PATTERNS[name]
        fields = view_form_fields(pattern)
        for fname, f in found.get(name, {}).items():
            if fname in fields and fields[fname].kind not in ("text",):
                fields[fname].values = list(dict.fromkeys(fields[fname].values + f.values))
            else:
                fields[fname] = f
        kwargs = url_kwargs(name, _params(pattern), world)
        path = reverse(name, kwargs=kwargs)
        posted = bool(fields) or name in found
        targets.append(Target(name, path, _users(world, name), fields, posted=posted, kwargs=kwargs))
    return targets


# -- Hostile values --------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u05e9\u05dc\u05d5\u05dd",
    "e" + "\u0301" * 50,
    "Z\u0351\u0364\u036b\u0313\u0343a\u036b\u0357\u0364\u0352l\u0314g\u0360o",
    "\ufeff",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "<script>alert(1)</script>",
    "'; DROP TABLE reviews_review; --",
    "{{ 7|add:1 }}",
    "%s%s%n",
    "../../../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "true",
    "null",
    "[]",
    "{}",
]
LONG = st.sampled_from([256, 1001, 5000, 100_000]).map(lambda n: "x" * n)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["-1", "0", "1e309", "NaN", "inf", "-inf", "0x10", "1.5", "１２", "9" * 40, "2147483648"]),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2024-02-30",
            "0000-01-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "31/12/2024",
            "2024-13-01",
            "-2024-01-01",
            "2024-1-1",
            "yesterday",
        ]
    ),
    st.dates().map(datetime.date.isoformat),
)
TIMES = st.one_of(
    st.sampled_from(["25:00", "23:59:60", "-1:00", "24:00", "12:00:00.9999999", "9", "10:60", "noon", "00:00"]),
    st.times().map(lambda t: t.isoformat()),
)
FILES = st.sampled_from(
    [
        ("empty.pdf", b""),
        ("fake.pdf", b"MZ\x90\x00 this is not a PDF"),
        ("evil.exe", b"%PDF-1.4\n%%EOF\n"),
        ("../../../etc/passwd", b"root:x:0:0\n"),
        ("\u202etxt.exe", b"a,b\n1,2\n"),
        ("data.csv", "\ufeffname,email\n\x00,\u202e@x\n".encode()),
        ("data.csv", b"\xff\xfe\x00garbage"),
        ("book.xlsx", b"PK\x03\x04 not really a zip"),
        ("noext", b"\x00" * 100),
        ("a" * 300 + ".pdf", b"%PDF-1.4\n%%EOF\n"),
    ]
).map(lambda f: SimpleUploadedFile(f[0], f[1]))


def plausible(f: Field) -> st.SearchStrategy:
    """An answer the form might accept, so the hostile value in another field reaches deeper code."""
    today = datetime.date.today()
    if f.values:
        return st.sampled_from(f.values)
    name = f.name.lower()
    if f.kind == "date" or name.endswith(("_on", "date", "day")):
        return st.sampled_from([(today + datetime.timedelta(days=d)).isoformat() for d in (0, 1, 30, 90)])
    if f.kind == "time" or name.endswith(("time", "_at")) or name in ("start", "end"):
        return st.sampled_from(["09:00", "10:30", "16:00"])
    if f.kind == "number" or name.endswith(("minutes", "count", "needed", "weight")):
        return st.sampled_from(["1", "2", "60"])
    if f.kind == "email" or "email" in name:
        return st.sampled_from(["new.person@example.org", "a@b.c"])
    return st.sampled_from(["Fuzz value", "Front door", "A reason"])


def hostile(f: Field, other_ids: list[str]) -> st.SearchStrategy:
    common = [TEXT, st.sampled_from(NASTY), LONG, NUMBERS, st.sampled_from(other_ids)]
    if f.kind == "date":
        common.append(DATES)
    if f.kind == "time":
        common.append(TIMES)
    return st.one_of(*common)


def value_for(f: Field, other_ids) -> st.SearchStrategy:
    if f.kind == "file":
        return st.one_of(FILES, FILES, st.sampled_from(["", "not a file"]))
    return st.one_of(plausible(f), plausible(f), hostile(f, other_ids))


@st.composite
def request_for(draw, target: Target, other_ids: list[str]):
    """One request: (user index, path, method, data or raw body, content type, extra headers)."""
    user = draw(st.integers(0, len(target.users) - 1))
    path = target.path
    ids = {k: v for k, v in target.kwargs.items() if isinstance(v, int)}
    if ids and draw(st.integers(0, 9)) == 0:  # another review's ids, or ids no column can hold, in the address
        wrong = st.one_of(st.sampled_from([0, 2**31, 2**63, 2**70]), st.sampled_from(other_ids).map(int))
        path = reverse(target.name, kwargs=target.kwargs | {k: draw(wrong) for k in ids})
    headers = {}
    if draw(st.integers(0, 3)) == 0:
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": draw(st.sampled_from(["main", "x", "\u202e"]))}
    shape = draw(st.integers(0, 19))
    if shape == 0:
        body = draw(st.one_of(st.binary(max_size=200), st.sampled_from([b"{", b"[]", b'{"a": 1}', b"\x00" * 50])))
        ctype = draw(st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x", "a/b"]))
        return user, path, "post", body, ctype, headers
    data: dict = {}
    for f in target.fields.values():
        how = draw(st.integers(0, 9))
        if how == 0:
            continue  # missing
        if how == 1:
            data[f.name] = [draw(value_for(f, other_ids)) for _ in range(draw(st.integers(2, 3)))]  # duplicated
        elif f.kind == "multi":
            data[f.name] = draw(st.lists(value_for(f, other_ids), max_size=4))
        else:
            data[f.name] = draw(value_for(f, other_ids))
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.sampled_from(["extra", "id", "review", "review_id", "pk", "by", "\x00", "__class__"]))] = draw(
            hostile(Field("extra", "text"), other_ids)
        )
    if shape == 1 and not any(f.kind == "file" for f in target.fields.values()):
        return user, path, "post", json.dumps(data, default=str).encode(), "application/json", headers
    if shape == 2:
        return user, path, "get", {k: v for k, v in data.items() if not hasattr(v, "read")}, None, headers
    return user, path, "post", data, None, headers


# -- The world's other review, which no request may touch ---------------------------------------------


def _review_models():
    for model in apps.get_models():
        if model._meta.label.startswith(("reviews.", "documents.", "timetable.", "evidence.", "peers.", "core.")):
            names = {f.name for f in model._meta.get_fields()}
            if "review" in names:
                yield model


def other_review_state(world) -> list:
    from peerreview.reviews.models import Review

    rows = [list(Review.objects.filter(pk=world.other_review.pk).values_list())]
    for model in _review_models():
        rows.append(sorted(map(str, model.objects.filter(review=world.other_review).values_list())))
    return rows


def other_review_ids(world) -> list[str]:
    ids = {str(world.other_review.pk)}
    for model in _review_models():
        ids |= {str(pk) for pk in model.objects.filter(review=world.other_review).values_list("pk", flat=True)}
    return sorted(ids, key=int)


# -- Running ---------------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


@dataclass
class Tally:
    requests: int = 0
    server_errors: int = 0
    tracebacks: int = 0
    leaks: int = 0
    statuses: dict = field(default_factory=lambda: defaultdict(int))
    failures: list = field(default_factory=list)


def fuzz_target(target: Target, clients, world, before, other_ids, examples: int) -> Tally:
    tally = Tally()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(request_for(target, other_ids))
    def run(req):
        who, path, method, data, ctype, headers = req
        client = clients[target.users[who]]
        cookies = client.cookies.copy()  # signing out ends the session; the rollback brings its row back
        problem = None
        try:
            with transaction.atomic():
                kwargs = {"content_type": ctype} if ctype else {}
                response = getattr(client, method)(path, data, **kwargs, **headers)
                tally.requests += 1
                tally.statuses[response.status_code] += 1
                body = b"" if getattr(response, "streaming", False) else response.content
                if response.status_code >= 500:
                    tally.server_errors += 1
                    exc = getattr(response, "exc_info", None)
                    problem = f"{response.status_code}: {exc[1]!r}" if exc else str(response.status_code)
                elif TRACE.search(body) and response.get("Content-Type", "").startswith(("text/", "application/j")):
                    tally.tracebacks += 1
                    problem = "traceback text in the body"
                elif not connection.needs_rollback and other_review_state(world) != before:
                    tally.leaks += 1
                    problem = "changed another review's rows"
                raise _Rollback
        except _Rollback:
            pass
        finally:
            client.cookies = cookies
        if problem and len(tally.failures) < 5:
            items = data.items() if isinstance(data, dict) else {"body": data[:80]}.items()
            shown = {k: (v[:80] + "...") if isinstance(v, str) and len(v) > 80 else v for k, v in items}
            who_ = target.users[who].email if target.users[who] else "anonymous"
            tally.failures.append(f"{method.upper()} {path} as {who_}: {problem}; data={shown!r}")

    run()
    return tally


def _clients(world, users) -> dict:
    clients = {}
    for user in users:
        if user not in clients:
            c = Client(raise_request_exception=False)
            if user is not None:
                c.force_login(user)
            clients[user] = c
    return clients


@pytest.fixture
def quick_limits(settings):
    settings.TIMETABLE_TIME_LIMIT = 0.5
    settings.TIMETABLE_REPAIR_LIMIT = 0.5
    settings.PEERS_REVIEW_SECONDS = 0.5
    settings.PEERS_SEASON_SECONDS = 0.5


@pytest.mark.parametrize("app", APPS)
def test_fuzz_app_urls(world, quick_limits, app, caplog):
    """Every URL of an app, fuzzed as the roles allowed there: no 5xx, no traceback, no cross-review change."""
    import logging

    caplog.set_level(logging.CRITICAL, logger="django.request")
    names = sorted(n for n in PATTERNS if n.split(":")[0] == app)
    everyone = [world.members[r] for r in Role] + [world.admin, None]
    clients = _clients(world, everyone)
    targets = build_targets(world, names, clients)
    before = other_review_state(world)
    other_ids = other_review_ids(world)
    report = []
    failures = []
    for target in targets:
        t0 = time.perf_counter()
        # Pages without a form get the same hostile POSTs (and GETs with hostile query strings).
        examples = max(2, EXAMPLES // 10) if DOWNLOADS.search(target.name) else EXAMPLES
        tally = fuzz_target(target, clients, world, before, other_ids, examples)
        report.append(
            {
                "url": target.name,
                "fields": len(target.fields),
                "posted": target.posted,
                "requests": tally.requests,
                "5xx": tally.server_errors,
                "tracebacks": tally.tracebacks,
                "leaks": tally.leaks,
                "statuses": dict(tally.statuses),
                "seconds": round(time.perf_counter() - t0, 2),
            }
        )
        failures += tally.failures
    if REPORT_DIR:
        Path(REPORT_DIR, f"{app}.json").write_text(json.dumps(report, indent=1))
    assert sum(r["requests"] for r in report) >= len(targets), "the fuzzer sent fewer requests than URLs"
    assert not failures, "\n".join(failures)


def _invite_target(world) -> Target:
    pcm = world.members[Role.PCM]
    path = reverse("reviews:invite", kwargs={"review_id": world.review.pk})
    return Target("reviews:invite", path, [pcm], {"email": Field("email", "email")}, kwargs={})


def test_the_fuzzer_counts_server_errors(world, monkeypatch, caplog):
    import logging

    from peerreview.reviews import views

    caplog.set_level(logging.CRITICAL, logger="django.request")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "InviteForm", broken)
    target = _invite_target(world)
    clients = _clients(world, target.users)
    tally = fuzz_target(target, clients, world, other_review_state(world), other_review_ids(world), 5)
    assert tally.requests >= 3 and tally.server_errors == tally.requests
    assert "RuntimeError('a bug')" in tally.failures[0]


def test_the_fuzzer_notices_a_change_to_another_review(world, monkeypatch):
    from peerreview.reviews import forms, views
    from peerreview.reviews.models import Review

    def leaky(*args, **kwargs):
        Review.objects.filter(pk=world.other_review.pk).update(delivery_start=datetime.date(2030, 1, 1))
        return forms.InviteForm(*args, **kwargs)

    monkeypatch.setattr(views, "InviteForm", leaky)
    target = _invite_target(world)
    clients = _clients(world, target.users)
    tally = fuzz_target(target, clients, world, other_review_state(world), other_review_ids(world), 5)
    assert tally.requests >= 3 and tally.leaks == tally.requests
    # Every example was rolled back.
    assert Review.objects.get(pk=world.other_review.pk).delivery_start != datetime.date(2030, 1, 1)
