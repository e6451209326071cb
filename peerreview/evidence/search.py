"""Full-text search over a review's evidence notes and findings, on SQLite (FTS5) or PostgreSQL.

One interface, `search(review, query, filters)`. On SQLite two FTS5 tables (rowid = the note's or finding's
id) are kept up to date by signals on save and delete; `reindex()` refreshes them after bulk loads. On
PostgreSQL the notes have a stored, generated tsvector column with a GIN index (migration 0002); findings
(a few hundred) use SearchVector on the fly.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Finding, Note

PAGE_SIZE = 50
COUNT_CAP = 1000
CONFIG = "english"


@dataclass
class Filters:
    line: int | None = None
    source_type: str = ""
    peer: int | None = None
    day: object = None
    leaning: str = ""


@dataclass
class Results:
    notes: list = field(default_factory=list)
    note_count: int = 0
    findings: list = field(default_factory=list)


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _fts_query(text: str) -> str:
    # Every word must appear (prefix match), and nothing the user types is FTS5 syntax.
    return " ".join(f'"{w}"*' for w in re.findall(r"\w+", text))


def _note_body(note: Note) -> str:
    return " ".join(filter(None, [note.text, note.staff_groups, note.source_ref]))


def _finding_body(finding: Finding) -> str:
    return f"{finding.title} {finding.detail}"


def index_note(note: Note) -> None:
    if _sqlite():
        with connection.cursor() as c:
            c.execute("DELETE FROM evidence_note_fts WHERE rowid = %s", [note.pk])
            c.execute("INSERT INTO evidence_note_fts (rowid, body) VALUES (%s, %s)", [note.pk, _note_body(note)])


def index_finding(finding: Finding) -> None:
    if _sqlite():
        with connection.cursor() as c:
            c.execute("DELETE FROM evidence_finding_fts WHERE rowid = %s", [finding.pk])
            c.execute(
                "INSERT INTO evidence_finding_fts (rowid, body) VALUES (%s, %s)", [finding.pk, _finding_body(finding)]
            )


def unindex(kind: str, pk: int) -> None:
    if _sqlite():
        with connection.cursor() as c:
            c.execute(f"DELETE FROM evidence_{kind}_fts WHERE rowid = %s", [pk])


def reindex(review) -> None:
    """Rebuild the SQLite index for one review (after bulk_create, which skips signals)."""
    if not _sqlite():
        return
    notes = Note.objects.filter(review=review).values_list("pk", "text", "staff_groups", "source_ref")
    findings = Finding.objects.filter(review=review).values_list("pk", "title", "detail")
    with connection.cursor() as c:
        c.executemany("DELETE FROM evidence_note_fts WHERE rowid = %s", [(n[0],) for n in notes])
        c.executemany(
            "INSERT INTO evidence_note_fts (rowid, body) VALUES (%s, %s)",
            [(pk, " ".join(filter(None, rest))) for pk, *rest in notes],
        )
        c.executemany("DELETE FROM evidence_finding_fts WHERE rowid = %s", [(f[0],) for f in findings])
        c.executemany(
            "INSERT INTO evidence_finding_fts (rowid, body) VALUES (%s, %s)",
            [(pk, f"{title} {detail}") for pk, title, detail in findings],
        )


def _matching(qs, kind: str, query: str, fields: tuple[str, ...]):
    if _sqlite():
        match = _fts_query(query)
        if not match:
            return qs
        return qs.filter(
            id__in=RawSQL(f"SELECT rowid FROM evidence_{kind}_fts WHERE evidence_{kind}_fts MATCH %s", [match])
        )
    if kind == "note":
        # The generated, GIN-indexed column from migration 0002; SearchQuery builds the tsquery.
        sql, params = SearchQuery(query, config=CONFIG, search_type="websearch").as_sql(_compiler(qs), connection)
        return qs.extra(where=[f"evidence_note.search_vector @@ {sql}"], params=params)
    vector = SearchVector(*fields, config=CONFIG)
    return qs.annotate(search=vector).filter(search=SearchQuery(query, config=CONFIG, search_type="websearch"))


def _compiler(qs):
    return qs.query.get_compiler(connection=connection)


def search(review, query: str, filters: Filters | None = None, *, limit: int = PAGE_SIZE) -> Results:
    filters = filters or Filters()
    query = (query or "").strip()
    notes = Note.objects.filter(review=review)
    if filters.line:
        notes = notes.filter(lines__id=filters.line)
    if filters.source_type:
        notes = notes.filter(source_type=filters.source_type)
    if filters.peer:
        notes = notes.filter(author_id=filters.peer)
    if filters.day:
        notes = notes.filter(day=filters.day)
    if filters.leaning:
        notes = notes.filter(leaning=filters.leaning)
    if query:
        notes = _matching(notes, "note", query, ("text",))
    findings = []
    if query:
        fq = Finding.objects.filter(review=review)
        if filters.line:
            fq = fq.filter(Q(line_id=filters.line))
        findings = list(_matching(fq, "finding", query, ("title", "detail")).select_related("line")[:limit])
    # Counting every match of a common word in 100,000 notes is slow and nobody needs the exact figure.
    # Unordered, so the database stops at the cap instead of sorting every match first.
    count = notes.order_by()[: COUNT_CAP + 1].count()
    page = list(notes.select_related("session", "author").prefetch_related("lines").order_by("-created", "-id")[:limit])
    return Results(notes=page, note_count=count, findings=findings)
