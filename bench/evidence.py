"""Benchmark the evidence pages and document generation on a large review.

    python bench/evidence.py [--notes 5000 100000] [--findings 300] [--repeat 15]
    scripts/with_postgres.sh python bench/evidence.py     # the same on PostgreSQL

Builds a throwaway test database, fills one review with N evidence notes and 300 findings, then times
the review page, the findings board, the evidence matrix, the team meeting and a search (median of repeated
requests through the Django test client) and the presentation and report generation. Prints a table, and a
second one of the Django process's CPU time per request (steadier than wall-clock time on a shared machine).

The requests run as a server runs them: without the test runner's template instrumentation, which copies the
context for every template rendered (each form widget and each include) and made pages look 30-40% slower than
they are. `--instrumented` measures the old way, for comparison with figures before 22 November (afternoon).
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerreview.settings")
os.environ.setdefault("PEERREVIEW_DEV", "1")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdefgh")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from peerreview.reviews.demo import LINES  # noqa: E402  (the demo review's lines of enquiry)

WORDS = [
    "supervision",
    "caseloads",
    "thresholds",
    "neglect",
    "referral",
    "partners",
    "police",
    "health",
    "schools",
    "managers",
    "leaders",
    "audit",
    "plans",
    "conference",
    "chairs",
    "advocacy",
    "agency",
    "recruitment",
    "training",
    "early",
    "help",
    "front",
    "door",
    "hub",
    "strategy",
    "visits",
    "children",
    "families",
    "drift",
    "escalation",
    "quality",
    "assurance",
    "feedback",
    "voice",
    "participation",
    "data",
    "performance",
]
NO_VACUUM = False
SOURCES = ["interview", "focus_group", "case_review", "document", "data", "observation", "survey"]


def build(n_notes: int, n_findings: int):
    from peerreview.core.testing import make_review, make_user
    from peerreview.evidence import search
    from peerreview.evidence.models import EvidenceSession, Finding, FindingLink, Note, NoteLine
    from peerreview.reviews import actions

    rng = random.Random(n_notes)
    tag = f"{n_notes}"
    pcm = make_user(f"pcm{tag}@bench.example", is_lga_staff=True)
    review = make_review(pcm=pcm, days_ahead=1, title=f"Bench {tag}")
    actions.accept_confidentiality(review.memberships.get(user=pcm), by=pcm)
    actions.choose_lines(review, by=pcm, question_codes=LINES)
    peers = [pcm]
    for i in range(6):
        u = make_user(f"peer{i}.{tag}@bench.example")
        m = actions.add_member(review, by=pcm, email=u.email, full_name=u.full_name, role="peer")
        actions.accept_confidentiality(m, by=u)
        peers.append(u)
    lines = list(review.lines.all())
    days = [review.delivery_start + datetime.timedelta(days=d) for d in range(5)]
    sessions = EvidenceSession.objects.bulk_create(
        [EvidenceSession(review=review, title=f"Session {i}", kind="interview", day=days[i % 5]) for i in range(150)]
    )
    batch = 5000
    for start in range(0, n_notes, batch):
        notes = []
        for _ in range(min(batch, n_notes - start)):
            s = rng.choice(sessions)
            notes.append(
                Note(
                    review=review,
                    session=s,
                    source_type=rng.choice(SOURCES),
                    leaning=rng.choice(["strength", "concern", "neutral"]),
                    text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + ".",
                    day=s.day,
                    author=rng.choice(peers),
                )
            )
        Note.objects.bulk_create(notes)
        NoteLine.objects.bulk_create(
            [
                NoteLine(note=n, line=line, review=review, source_type=n.source_type, leaning=n.leaning, day=n.day)
                for n in notes
                for line in rng.sample(lines, 1 + (n.pk % 2))
            ]
        )
    note_ids = list(Note.objects.filter(review=review).values_list("pk", flat=True))
    findings = Finding.objects.bulk_create(
        [
            Finding(
                review=review,
                line=lines[i % len(lines)],
                kind=["strength", "area", "recommendation"][i % 3],
                title=f"Finding {i} about {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                detail=" ".join(rng.choice(WORDS) for _ in range(20)),
                status="agreed" if i % 4 else "theory",
            )
            for i in range(n_findings)
        ]
    )
    links = [
        FindingLink(finding=f, note_id=nid, supports=j != 0)
        for f in findings
        for j, nid in enumerate(rng.sample(note_ids, 6))
    ]
    FindingLink.objects.bulk_create(links)
    search.reindex(review)
    if connection.vendor == "postgresql":
        # A live database is vacuumed by autovacuum after a bulk load (PostgreSQL 13+ also on inserts), which
        # sets the visibility map that index-only scans need; --no-vacuum measures straight after the load.
        with connection.cursor() as c:
            c.execute("ANALYZE" if NO_VACUUM else "VACUUM ANALYZE")
    return review, pcm


CPU: dict[tuple[int, str], float] = {}  # (notes, page) -> median CPU ms of this process per request


def median_ms(client, url, repeat, *, key=None):
    """The median wall-clock time of a request; the median CPU time of this process goes into CPU[key] (the
    database's own work on PostgreSQL is not in it). On a shared machine the CPU time varies far less."""
    client.get(url)  # warm up
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    if key:
        CPU[key] = statistics.median(cpu)
    return statistics.median(times)


def run(n_notes: int, n_findings: int, repeat: int) -> dict:
    from peerreview.evidence import actions

    t = time.perf_counter()
    review, pcm = build(n_notes, n_findings)
    built = time.perf_counter() - t
    client = Client()
    client.force_login(pcm)
    kw = {"review_id": review.pk}
    row = {"notes": n_notes, "findings": n_findings, "build_s": built}
    row["review"] = median_ms(client, reverse("reviews:detail", kwargs=kw), repeat, key=(n_notes, "review"))
    row["board"] = median_ms(client, reverse("evidence:board", kwargs=kw), repeat, key=(n_notes, "board"))
    row["matrix"] = median_ms(client, reverse("evidence:matrix", kwargs=kw), repeat, key=(n_notes, "matrix"))
    row["meeting"] = median_ms(client, reverse("evidence:meeting", kwargs=kw), repeat, key=(n_notes, "meeting"))
    row["search"] = median_ms(
        client, reverse("evidence:notes", kwargs=kw) + "?q=supervision+neglect", repeat, key=(n_notes, "search")
    )
    row["search_filtered"] = median_ms(
        client,
        reverse("evidence:notes", kwargs=kw) + "?q=partners&leaning=concern&source_type=interview",
        repeat,
        key=(n_notes, "search_filtered"),
    )
    actions.report_for(review)
    for kind in ("pptx", "docx", "pdf"):
        t = time.perf_counter()
        actions.generate_output(review, by=pcm, kind=kind)
        row[kind] = time.perf_counter() - t
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, nargs="+", default=[5000, 100000])
    parser.add_argument("--findings", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="5,000 notes only, 5 repeats")
    parser.add_argument("--no-vacuum", action="store_true", help="PostgreSQL: ANALYZE only, no VACUUM, after the load")
    parser.add_argument(
        "--instrumented", action="store_true", help="render with the test runner's template instrumentation (slower)"
    )
    args = parser.parse_args()
    global NO_VACUUM
    NO_VACUUM = args.no_vacuum
    if args.quick:
        args.notes, args.repeat = [5000], 5
    from django.conf import settings

    if args.instrumented:
        setup_test_environment()
    else:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        quiet = io.StringIO()
        call_command("load_organisations", stdout=quiet)
        call_command("load_policy", stdout=quiet)
        rows = [run(n, args.findings, args.repeat) for n in args.notes]
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    print(f"Database: {connection.vendor}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    head = "| Notes | Findings | Review ms | Board ms | Matrix ms | Meeting ms | Search ms | Filtered search ms | PPTX s | DOCX s | PDF s |"
    print(head)
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['notes']:,} | {r['findings']} | {r['review']:.0f} | {r['board']:.0f} | {r['matrix']:.0f} | {r['meeting']:.0f} | "
            f"{r['search']:.0f} | {r['search_filtered']:.0f} | {r['pptx']:.2f} | {r['docx']:.2f} | {r['pdf']:.2f} |"
        )
    pages = ("review", "board", "matrix", "meeting", "search", "search_filtered")
    print("\nCPU ms of the Django process per request (median):")
    print("| Notes | " + " | ".join(pages) + " |")
    print("|---:|" + "---:|" * len(pages))
    for r in rows:
        print(f"| {r['notes']:,} | " + " | ".join(f"{CPU[(r['notes'], p)]:.0f}" for p in pages) + " |")


if __name__ == "__main__":
    main()
