"""Full-text search over a review's evidence notes and findings, on SQLite (FTS5) or PostgreSQL.

One interface, `search(review, query, filters, page=...)`, newest notes first, a page at a time.

SQLite: two FTS5 tables (rowid = the note's or finding's id), kept up to date by signals on save and delete and
by the note actions after tagging; `reindex()` refreshes them after bulk loads. The notes' table has a second
column, `meta`, of filter tokens (review, source type, leaning, author, day and lines of enquiry), so a search
and all its filters are one FTS5 query: the index intersects its postings and stops at the page, instead of
joining every match of a common word (in every review) with the notes table.

PostgreSQL: notes and findings each have a stored, generated tsvector column with a GIN index (migrations 0002
and 0003); the filters are ordinary indexed columns.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection

from .models import Finding, Note, NoteLine

PAGE_SIZE = 20
COUNT_CAP = 1000
MAX_PAGE = 500
FINDINGS_SHOWN = 50
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
    note_count: int = 0  # exact up to COUNT_CAP, otherwise COUNT_CAP + 1
    findings: list = field(default_factory=list)
    page: int = 1
    page_size: int = PAGE_SIZE
    has_next: bool = False

    @property
    def more_than_cap(self) -> bool:
        return self.note_count > COUNT_CAP

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.notes else 0

    @property
    def last(self) -> int:
        return self.first + len(self.notes) - 1 if self.notes else 0

    @property
    def num_pages(self) -> int | None:
        """The number of pages, or None when there are more matches than the capped count."""
        if self.more_than_cap:
            return None
        return max(1, -(-self.note_count // self.page_size))


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text or "")


def _fts_query(text: str) -> str:
    # Every word must appear (prefix match), and nothing the user types is FTS5 syntax.
    return " ".join(f'"{w}"*' for w in _words(text))


def _token(prefix: str, value) -> str:
    # One bare token per filter value: letters and digits only, so the tokenizer never splits it.
    return prefix + re.sub(r"[^0-9a-z]", "", str(value).lower())


def _meta(review_id, source_type, leaning, author_id, day, line_ids) -> str:
    tokens = [
        _token("r", review_id),
        _token("s", source_type),
        _token("l", leaning),
        _token("a", author_id or 0),
        _token("d", day),
    ]
    return " ".join(tokens + [_token("n", line_id) for line_id in line_ids])


def _note_body(note: Note) -> str:
    return " ".join(filter(None, [note.text, note.staff_groups, note.source_ref]))


def _finding_body(finding: Finding) -> str:
    return f"{finding.title} {finding.detail}"


def index_note(note: Note) -> None:
    if _sqlite():
        line_ids = NoteLine.objects.filter(note_id=note.pk).values_list("line_id", flat=True)
        meta = _meta(note.review_id, note.source_type, note.leaning, note.author_id, note.day, line_ids)
        with connection.cursor() as c:
            c.execute("DELETE FROM evidence_note_fts WHERE rowid = %s", [note.pk])
            c.execute(
                "INSERT INTO evidence_note_fts (rowid, body, meta) VALUES (%s, %s, %s)",
                [note.pk, _note_body(note), meta],
            )


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


def note_rows(notes) -> list[tuple[int, str, str]]:
    """(rowid, body, meta) for the notes' FTS5 rows; `notes` is a Note queryset. Used by reindex and migrations."""
    lines: dict[int, list[int]] = {}
    for note_id, line_id in NoteLine.objects.filter(note__in=notes).values_list("note_id", "line_id"):
        lines.setdefault(note_id, []).append(line_id)
    rows = notes.values_list(
        "pk", "text", "staff_groups", "source_ref", "review_id", "source_type", "leaning", "author_id", "day"
    )
    return [
        (pk, " ".join(filter(None, [text, groups, ref])), _meta(review_id, st, le, author, day, lines.get(pk, [])))
        for pk, text, groups, ref, review_id, st, le, author, day in rows.iterator(chunk_size=5000)
    ]


def reindex(review) -> None:
    """Rebuild the SQLite index for one review (after bulk_create, which skips signals)."""
    if not _sqlite():
        return
    notes = note_rows(Note.objects.filter(review=review))
    findings = Finding.objects.filter(review=review).values_list("pk", "title", "detail")
    with connection.cursor() as c:
        c.executemany("DELETE FROM evidence_note_fts WHERE rowid = %s", [(n[0],) for n in notes])
        c.executemany("INSERT INTO evidence_note_fts (rowid, body, meta) VALUES (%s, %s, %s)", notes)
        c.executemany("DELETE FROM evidence_finding_fts WHERE rowid = %s", [(f[0],) for f in findings])
        c.executemany(
            "INSERT INTO evidence_finding_fts (rowid, body) VALUES (%s, %s)",
            [(pk, f"{title} {detail}") for pk, title, detail in findings],
        )


# Notes


def _sqlite_match(review, query: str, filters: Filters) -> str:
    meta = [_token("r", review.pk)]
    if filters.line:
        meta.append(_token("n", filters.line))
    if filters.source_type:
        meta.append(_token("s", filters.source_type))
    if filters.peer:
        meta.append(_token("a", filters.peer))
    if filters.day:
        meta.append(_token("d", filters.day))
    if filters.leaning:
        meta.append(_token("l", filters.leaning))
    match = " AND ".join(f"meta : {t}" for t in meta)
    words = _fts_query(query)
    return f"{match} AND body : ({words})" if words else match


def _page_of(matches: list[int], newest, offset: int, limit: int) -> tuple[list[int], int]:
    """Up to COUNT_CAP + 1 matching ids in any order give the capped count; when that is all of them, the page is
    cut from them here. Otherwise matches are common, and `newest()` (ordered, stopping at the page) is quick."""
    if len(matches) <= COUNT_CAP:
        matches.sort(reverse=True)
        return matches[offset : offset + limit], len(matches)
    return newest(), len(matches)


def _sqlite_page(review, query, filters, offset, limit) -> tuple[list[int], int]:
    """The note ids of one page, newest first, and the capped count, straight from the FTS5 index."""
    match = _sqlite_match(review, query, filters)
    table = "evidence_note_fts"

    def newest():
        with connection.cursor() as c:
            c.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [match, limit, offset],
            )
            return [r[0] for r in c.fetchall()]

    with connection.cursor() as c:
        c.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s", [match, COUNT_CAP + 1])
        matches = [r[0] for r in c.fetchall()]
    return _page_of(matches, newest, offset, limit)


def _filtered(review, filters: Filters):
    notes = Note.objects.filter(review=review)
    if filters.line:
        notes = notes.filter(tags__line_id=filters.line)
    if filters.source_type:
        notes = notes.filter(source_type=filters.source_type)
    if filters.peer:
        notes = notes.filter(author_id=filters.peer)
    if filters.day:
        notes = notes.filter(day=filters.day)
    if filters.leaning:
        notes = notes.filter(leaning=filters.leaning)
    return notes


def _postgres_match(qs, query: str):
    if not _words(query):
        return qs
    # The generated, GIN-indexed column; SearchQuery builds the tsquery.
    table = qs.model._meta.db_table
    sql, params = SearchQuery(query, config=CONFIG, search_type="websearch").as_sql(
        qs.query.get_compiler(connection=connection), connection
    )
    return qs.extra(where=[f"{table}.search_vector @@ {sql}"], params=params)


def _orm_page(review, query, filters, offset, limit) -> tuple[list[int], int]:
    notes = _filtered(review, filters)
    if query and not _sqlite():
        notes = _postgres_match(notes, query)
    # Unordered, so the database stops at the cap instead of sorting every match first; and a rare word is found
    # through the GIN index, where "newest first" alone would walk the review's notes until it had a page.
    matches = list(notes.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
    return _page_of(
        matches,
        lambda: list(notes.order_by("-id").values_list("id", flat=True)[offset : offset + limit]),
        offset,
        limit,
    )


def _load(ids: list[int], review) -> list[Note]:
    """The notes of one page with what a result card shows: session title, author name, line codes."""
    if not ids:
        return []
    # By primary key only: with `review=` as well, SQLite walks the review's index through every one of its notes.
    # The ids come from queries within the review; the review is checked again below all the same.
    notes = {
        n.pk: n
        for n in Note.objects.filter(pk__in=ids)
        .select_related("session", "author")
        .only(
            "id",
            "review_id",
            "session_id",
            "source_ref",
            "source_type",
            "leaning",
            "text",
            "staff_groups",
            "day",
            "author_id",
            "created",
            "session__id",
            "session__title",
            "author__id",
            "author__full_name",
        )
    }
    codes: dict[int, list[str]] = {}
    tags = NoteLine.objects.filter(note_id__in=ids).order_by("line__order", "line_id")
    for note_id, code in tags.values_list("note_id", "line__code"):
        codes.setdefault(note_id, []).append(code)
    page = [notes[i] for i in ids if i in notes and notes[i].review_id == review.pk]
    for n in page:
        n.line_codes = ", ".join(codes.get(n.pk, []))
    return page


# Findings


def _findings(review, query: str, filters: Filters) -> list[Finding]:
    if not _words(query):
        return []
    fq = Finding.objects.filter(review=review)
    if filters.line:
        fq = fq.filter(line_id=filters.line)
    if _sqlite():
        fq = fq.extra(
            where=[
                "evidence_finding.id IN (SELECT rowid FROM evidence_finding_fts WHERE evidence_finding_fts MATCH %s)"
            ],
            params=[_fts_query(query)],
        )
    else:
        fq = _postgres_match(fq, query)
    return list(fq.only("id", "review_id", "line_id", "kind", "title", "status").order_by("-id")[:FINDINGS_SHOWN])


def search(review, query: str, filters: Filters | None = None, *, limit: int = PAGE_SIZE, page: int = 1) -> Results:
    filters = filters or Filters()
    query = (query or "").strip()
    page = min(max(1, page), MAX_PAGE)
    offset = (page - 1) * limit
    # One row more than the page tells whether there is a next page without counting.
    fetch = _sqlite_page if _sqlite() and _words(query) else _orm_page
    ids, count = fetch(review, query, filters, offset, limit + 1)
    if not ids and 0 < count <= COUNT_CAP and page > 1:  # past the end (an old link): show the last page
        page = -(-count // limit)
        offset = (page - 1) * limit
        ids, count = fetch(review, query, filters, offset, limit + 1)
    return Results(
        notes=_load(ids[:limit], review),
        note_count=count,
        findings=_findings(review, query, filters) if page == 1 else [],
        page=page,
        page_size=limit,
        has_next=len(ids) > limit,
    )
