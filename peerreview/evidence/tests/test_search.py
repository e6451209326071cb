"""Search runs on SQLite (FTS5) here and on PostgreSQL (tsvector) under scripts/with_postgres.sh."""

import datetime

from django.db import connection
from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.evidence import actions, search
from peerreview.evidence.models import Note


def _notes(world):
    ev = world.extra["evidence"]
    peer, lead = world.members[Role.PEER], world.members[Role.LEAD]
    a = actions.add_note(
        world.review,
        by=peer,
        text="Supervision happens monthly and is reflective",
        source_type="interview",
        leaning="strength",
        lines=[ev["lines"][2]],
        session=ev["session"],
    )
    b = actions.add_note(
        world.review,
        by=lead,
        text="Supervision records are missing on three cases",
        source_type="case_review",
        leaning="concern",
        lines=[ev["lines"][0]],
        source_ref="BOR-C02",
        day=ev["session"].day + datetime.timedelta(days=1),
    )
    c = actions.add_note(
        world.review,
        by=peer,
        text="Agency staff turnover is high",
        source_type="data",
        lines=[ev["lines"][2]],
        source_ref="Workforce data",
    )
    return a, b, c


def test_search_finds_words_and_stems_within_the_review_only(world):
    a, b, _c = _notes(world)
    other = world.extra["other_evidence"]
    actions.add_note(
        world.other_review,
        by=world.other_members[Role.PEER],
        text="Supervision elsewhere",
        source_type="interview",
        lines=[other["lines"][0]],
        session=other["session"],
    )
    found = search.search(world.review, "supervision")
    assert {n.pk for n in found.notes} == {a.pk, b.pk} and found.note_count == 2
    # Stemming: "records" and "record" match on both databases.
    assert [n.pk for n in search.search(world.review, "record").notes] == [b.pk]
    assert [n.pk for n in search.search(world.review, "supervision missing").notes] == [b.pk]
    assert search.search(world.review, "nothing-like-this").note_count == 0


def test_search_filters_combine(world):
    a, b, c = _notes(world)
    ev = world.extra["evidence"]
    F = search.Filters
    assert {n.pk for n in search.search(world.review, "", F(line=ev["lines"][2].pk)).notes} == {a.pk, c.pk}
    assert [n.pk for n in search.search(world.review, "supervision", F(leaning="concern")).notes] == [b.pk]
    assert [n.pk for n in search.search(world.review, "", F(source_type="data")).notes] == [c.pk]
    assert [n.pk for n in search.search(world.review, "supervision", F(peer=world.members[Role.PEER].pk)).notes] == [
        a.pk
    ]
    assert [n.pk for n in search.search(world.review, "", F(day=b.day)).notes] == [b.pk]


def test_search_ignores_query_syntax_and_finds_findings(world):
    _notes(world)
    assert search.search(world.review, 'AND OR "NEAR(').note_count >= 0
    assert search.search(world.review, "supervision*)").note_count == 2
    found = search.search(world.review, "thresholds")
    assert [f.title for f in found.findings] == ["Thresholds are well understood"]


def test_index_follows_edits_and_deletes(world):
    a, _b, c = _notes(world)
    actions.update_note(
        a,
        by=world.members[Role.PEER],
        text="Caseloads are manageable",
        source_type="interview",
        leaning="strength",
        lines=list(a.lines.all()),
    )
    assert [n.pk for n in search.search(world.review, "caseloads").notes] == [a.pk]
    assert a.pk not in {n.pk for n in search.search(world.review, "supervision").notes}
    Note.objects.filter(pk=c.pk).delete()
    assert search.search(world.review, "agency").note_count == 0


def test_search_page_with_filters(world):
    _notes(world)
    c = world.client(Role.OBSERVER)
    url = reverse("evidence:notes", kwargs={"review_id": world.review.pk})
    page = c.get(url, {"q": "supervision", "leaning": "concern"}).content.decode()
    assert "Supervision records are missing" in page and "monthly" not in page
    r = c.get(url, {"q": "x", "day": "not a date"})
    assert r.status_code == 200 and "Enter a real date" in r.content.decode()


def test_postgres_search_uses_the_gin_index_or_sqlite_uses_fts5(world):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT count(*) FROM evidence_note_fts")
            assert cur.fetchone()[0] >= 2
        else:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'evidence_note_text_fts'")
            assert "gin" in cur.fetchone()[0]
