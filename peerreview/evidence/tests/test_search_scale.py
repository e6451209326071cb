"""What keeps the evidence pages fast at 100,000 notes: paged search, the search index's filter tokens, the stored
finding vectors, and the running totals the database keeps. Runs on SQLite and, under scripts/with_postgres.sh, on
PostgreSQL."""

import datetime
import re

from django import forms
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from peerreview.core.forms import GovukForm
from peerreview.core.roles import Role
from peerreview.evidence import actions, build, search
from peerreview.evidence.forms import QuickSelect
from peerreview.evidence.models import MatrixCell, Note, NoteLine, NoteTally
from peerreview.reviews.actions import purge_review
from peerreview.reviews.models import Stage


def _tally(review) -> int:
    return sum(NoteTally.objects.filter(review=review).values_list("notes", flat=True))


def _tally_by_day_and_session(review) -> dict:
    rows = NoteTally.objects.filter(review=review, notes__gt=0).values_list("day", "session_key", "notes")
    return {(day, key): n for day, key, n in rows}


def _true_by_day_and_session(review) -> dict:
    rows = Note.objects.filter(review=review).values_list("day", "session_id").annotate(n=Count("*"))
    return {(day, key or 0): n for day, key, n in rows}


def _add(world, text, *, line=0, source_type="interview", leaning="neutral", by=Role.PEER, day=None):
    ev = world.extra["evidence"]
    return actions.add_note(
        world.review,
        by=world.members[by],
        text=text,
        source_type=source_type,
        leaning=leaning,
        lines=[ev["lines"][line]] if isinstance(line, int) else [ev["lines"][i] for i in line],
        session=ev["session"],
        day=day,
    )


def _true_matrix(review) -> dict:
    rows = NoteLine.objects.filter(review=review).values_list("line_id", "source_type").annotate(n=Count("*"))
    return {(line, st): n for line, st, n in rows}


def _cells(review) -> dict:
    cells = MatrixCell.objects.filter(review=review, notes__gt=0).values_list("line_id", "source_type", "notes")
    return {(line, st): n for line, st, n in cells}


def test_note_total_follows_adds_deletes_bulk_loads_and_purge(world):
    review, other = world.review, world.other_review
    assert _tally(review) == Note.objects.filter(review=review).count() == 1
    note = _add(world, "Caseloads are high in the assessment teams")
    assert _tally(review) == 2
    actions.delete_note(note, by=world.members[Role.PEER])
    assert _tally(review) == 1
    day = world.extra["evidence"]["day"]
    Note.objects.bulk_create(
        [Note(review=review, source_type="data", text=f"Row {i}", day=day, source_ref="Data") for i in range(7)]
    )
    assert _tally(review) == 8 and _tally(other) == 1
    moved = Note.objects.filter(review=review, source_ref="Data").first()
    Note.objects.filter(pk=moved.pk).update(day=day + datetime.timedelta(days=1), session=None)  # not via actions
    assert _tally_by_day_and_session(review) == _true_by_day_and_session(review)
    client = world.client(Role.OBSERVER)
    page = client.get(reverse("evidence:board", kwargs={"review_id": review.pk}))
    assert "from 8 evidence notes" in page.content.decode()
    # The team meeting's days, its count for the day and the session's count come from the same totals.
    page = client.get(reverse("evidence:meeting", kwargs={"review_id": review.pk}), {"day": day.isoformat()})
    html = page.content.decode()
    assert "What we heard today (7 notes)" in html and "Front door team managers (1)" in html
    assert f"?day={(day + datetime.timedelta(days=1)).isoformat()}" in html

    review.stage = Stage.CLOSED
    review.save()
    counts = purge_review(review, by=world.members[Role.PCM], reason="Retention period ended")
    assert counts["evidence"] == 8
    assert _tally(review) == 0 and not Note.objects.filter(review=review).exists()
    assert not MatrixCell.objects.filter(review=review, notes__gt=0).exists()
    assert search.search(review, "caseloads").note_count == 0 and search.search(review, "").note_count == 0
    assert _tally(other) == 1  # the other review is untouched


def test_matrix_cells_follow_tags_through_edits_and_deletes(world):
    review = world.review
    ev = world.extra["evidence"]
    a = _add(world, "Supervision is regular", line=[0, 2], source_type="interview")
    b = _add(world, "Audits find drift", line=1, source_type="case_review")
    assert _cells(review) == _true_matrix(review)
    actions.update_note(
        a,
        by=world.members[Role.PEER],
        text="Supervision is regular and reflective",
        source_type="survey",
        leaning="strength",
        lines=[ev["lines"][1]],
    )
    assert _cells(review) == _true_matrix(review)
    assert _cells(review)[(ev["lines"][1].pk, "survey")] == 1
    actions.delete_note(b, by=world.members[Role.PEER])
    assert _cells(review) == _true_matrix(review)
    # The matrix page reads the cells: the survey column of the front door line now shows the retagged note.
    matrix = build.evidence_matrix(review)
    assert matrix[ev["lines"][1].code]["Survey"] == 1 and "Interview" not in matrix[ev["lines"][0].code]


def test_search_index_follows_retagging_for_the_line_filter(world):
    ev = world.extra["evidence"]
    note = _add(world, "Escalation to managers is quick", line=0)
    F = search.Filters
    assert [n.pk for n in search.search(world.review, "escalation", F(line=ev["lines"][0].pk)).notes] == [note.pk]
    actions.update_note(
        note,
        by=world.members[Role.PEER],
        text=note.text,
        source_type="interview",
        leaning="concern",
        lines=[ev["lines"][2]],
    )
    assert search.search(world.review, "escalation", F(line=ev["lines"][0].pk)).notes == []
    assert [n.pk for n in search.search(world.review, "escalation", F(line=ev["lines"][2].pk)).notes] == [note.pk]
    assert [n.pk for n in search.search(world.review, "escalation", F(leaning="concern")).notes] == [note.pk]
    assert search.search(world.review, "escalation", F(leaning="neutral")).notes == []
    # Another review's filter values never match this review's notes.
    assert search.search(world.other_review, "escalation").note_count == 0


def test_finding_search_follows_edits(world):
    finding = world.extra["evidence"]["finding"]
    assert [f.pk for f in search.search(world.review, "thresholds").findings] == [finding.pk]
    actions.update_finding(
        finding,
        by=world.members[Role.LEAD],
        version=finding.version,
        kind="strength",
        title="Partners trust the front door",
        detail="Police and health colleagues described quick decisions",
        line=finding.line,
    )
    assert search.search(world.review, "thresholds").findings == []
    assert [f.pk for f in search.search(world.review, "colleagues").findings] == [finding.pk]
    assert search.search(world.other_review, "colleagues").findings == []
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT attgenerated FROM pg_attribute WHERE attrelid = 'evidence_finding'::regclass "
                "AND attname = 'search_vector'"
            )
            assert c.fetchone()[0] == "s"  # a stored generated column: PostgreSQL keeps it current
            c.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'evidence_finding_text_fts'")
            assert "gin" in c.fetchone()[0]
        else:
            c.execute("SELECT count(*) FROM evidence_finding_fts WHERE evidence_finding_fts MATCH 'colleagues'")
            assert c.fetchone()[0] == 1


def test_search_pages_newest_first(world):
    base = datetime.date(2026, 11, 2)
    notes = [_add(world, f"Caseload pressure, note {i}", day=base) for i in range(45)]
    newest = [n.pk for n in reversed(notes)]
    pages = [search.search(world.review, "caseload", page=p) for p in (1, 2, 3)]
    assert [[n.pk for n in r.notes] for r in pages] == [newest[:20], newest[20:40], newest[40:]]
    assert [r.has_next for r in pages] == [True, True, False] and pages[0].num_pages == 3
    assert (pages[1].first, pages[1].last, pages[1].note_count) == (21, 40, 45)
    # Past the end (an old link): the last page. The same pages without a search word, and with a filter.
    assert [n.pk for n in search.search(world.review, "caseload", page=99).notes] == newest[40:]
    assert [n.pk for n in search.search(world.review, "", search.Filters(day=base), page=2).notes] == newest[20:40]


def test_pages_past_the_capped_count(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    notes = [_add(world, f"Drift in plans, case {i}", leaning="concern") for i in range(12)]
    newest = [n.pk for n in reversed(notes)]
    for query, filters in (("drift", None), ("", search.Filters(leaning="concern"))):
        first = search.search(world.review, query, filters, limit=5)
        assert first.more_than_cap and first.num_pages is None and first.note_count == 6
        assert [n.pk for n in first.notes] == newest[:5] and first.has_next
        third = search.search(world.review, query, filters, limit=5, page=3)
        assert [n.pk for n in third.notes] == newest[10:] and not third.has_next


def test_search_page_pagination_links(world):
    for i in range(23):
        _add(world, f"Thresholds discussed in strategy meeting {i}", leaning="strength")
    client = world.client(Role.PEER)
    url = reverse("evidence:notes", kwargs={"review_id": world.review.pk})
    html = client.get(url, {"q": "strategy", "leaning": "strength"}).content.decode()
    assert 'class="govuk-pagination"' in html and "Showing notes 1 to 20 of 23, newest first" in html
    assert html.count('class="govuk-summary-card"') == 20
    next_href = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert next_href == "?q=strategy&leaning=strength&page=2"
    html = client.get(url + next_href).content.decode()
    assert "Showing notes 21 to 23 of 23" in html and html.count('class="govuk-summary-card"') == 3
    assert 'rel="next"' not in html and 'href="?q=strategy&amp;leaning=strength&amp;page=1" rel="prev"' in html
    assert 'aria-current="page">2</a>' in html
    # A page number that is not a number is the first page; a short result has no pagination at all.
    assert "Showing notes 1 to 20" in client.get(url, {"q": "strategy", "page": "x"}).content.decode()
    assert 'class="govuk-pagination"' not in client.get(url, {"q": "thresholds applied"}).content.decode()
    assert "Thresholds are well understood" in client.get(url, {"q": "well understood"}).content.decode()


def test_quick_select_renders_what_django_renders():
    choices = [("", "Any"), ("a", "Fish & <chips>"), ("b", "B")]

    class Plain(GovukForm):
        x = forms.ChoiceField(choices=choices, required=False)

    class Quick(GovukForm):
        x = forms.ChoiceField(choices=choices, required=False, widget=QuickSelect)

    def tags(html):
        # Attribute order aside, the same elements, attributes and text.
        return [
            (name, sorted(re.findall(r'(\w[\w-]*)(?:="([^"]*)")?', attrs)), text.strip())
            for name, attrs, text in re.findall(r"<(\w+)([^>]*)>([^<]*)", html)
        ]

    for data in (None, {"x": "a"}, {"x": "not a choice"}):
        plain, quick = Plain(data), Quick(data)
        if data:
            plain.is_valid(), quick.is_valid()
        assert tags(str(quick["x"])) == tags(str(plain["x"]))
    assert "Fish &amp; &lt;chips&gt;" in str(Quick()["x"])


def test_migration_fills_the_index_like_the_signals(world):
    """The migration's SQL builds each note's filter tokens the way search.py does (SQLite), or PostgreSQL has the
    triggers that keep the totals."""
    _add(world, "Partners attend strategy meetings", line=[0, 1], leaning="strength", by=Role.LEAD)
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            from importlib import import_module

            migration = import_module("peerreview.evidence.migrations.0003_search_vectors")
            select = migration.SQLITE_NOTE_ROWS.split("SELECT", 1)[1]
            c.execute("SELECT" + select + " WHERE n.review_id = %s", [world.review.pk])
            by_sql = {pk: (body.split(), sorted(meta.split())) for pk, body, meta in c.fetchall()}
            by_python = {
                pk: (body.split(), sorted(meta.split()))
                for pk, body, meta in search.note_rows(Note.objects.filter(review=world.review))
            }
            assert by_sql == by_python and len(by_sql) == 2
        else:
            c.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'evidence_%%' ORDER BY tgname")
            assert len([r[0] for r in c.fetchall()]) == 6
