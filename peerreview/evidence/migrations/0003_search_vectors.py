"""Faster evidence pages at 100,000 notes.

- SQLite: the notes' FTS5 table gains a `meta` column of filter tokens (review, source type, leaning, author, day,
  lines), so a search with filters is one FTS5 query that stops at the page (see search.py).
- PostgreSQL: findings get a stored, generated tsvector column with a GIN index, like the notes (0002).
- Both: running totals of notes per review and per matrix cell, kept by triggers on the notes and their tags.
"""

import django.db.models.deletion
from django.db import migrations, models

# The FTS5 row of a note: the same text and tokens as search.note_rows() (search._meta: lower case, letters and
# digits only; a missing author is a0).
SQLITE_NOTE_ROWS = """
INSERT INTO evidence_note_fts (rowid, body, meta)
SELECT n.id,
       n.text || ' ' || n.staff_groups || ' ' || n.source_ref,
       'r' || n.review_id || ' s' || replace(n.source_type, '_', '') || ' l' || replace(n.leaning, '_', '')
       || ' a' || coalesce(n.author_id, 0) || ' d' || replace(n.day, '-', '')
       || coalesce((SELECT ' ' || group_concat('n' || t.line_id, ' ') FROM evidence_noteline t WHERE t.note_id = n.id), '')
FROM evidence_note n
"""
TALLY_FILL = [
    "INSERT INTO evidence_notetally (review_id, day, session_key, notes) "
    "SELECT review_id, day, COALESCE(session_id, 0), count(*) FROM evidence_note GROUP BY 1, 2, 3",
    "INSERT INTO evidence_matrixcell (review_id, line_id, source_type, notes) "
    "SELECT review_id, line_id, source_type, count(*) FROM evidence_noteline GROUP BY review_id, line_id, source_type",
]
_CELL = "review_id = {r}.review_id AND line_id = {r}.line_id AND source_type = {r}.source_type"
_TALLY_KEY = "review_id = {r}.review_id AND day = {r}.day AND session_key = COALESCE({r}.session_id, 0)"
_TALLY_ADD = (
    "INSERT OR IGNORE INTO evidence_notetally (review_id, day, session_key, notes) "
    "VALUES ({r}.review_id, {r}.day, COALESCE({r}.session_id, 0), 0); "
    f"UPDATE evidence_notetally SET notes = notes + 1 WHERE {_TALLY_KEY};"
)
_TALLY_SUBTRACT = f"UPDATE evidence_notetally SET notes = notes - 1 WHERE {_TALLY_KEY};"
SQLITE = [
    "DROP TABLE evidence_note_fts",
    "CREATE VIRTUAL TABLE evidence_note_fts USING fts5(body, meta, tokenize = 'porter unicode61')",
    SQLITE_NOTE_ROWS,
    *TALLY_FILL,
    "CREATE TRIGGER evidence_note_tally_insert AFTER INSERT ON evidence_note BEGIN "
    f"{_TALLY_ADD.format(r='NEW')} END",
    "CREATE TRIGGER evidence_note_tally_delete AFTER DELETE ON evidence_note BEGIN "
    f"{_TALLY_SUBTRACT.format(r='OLD')} END",
    "CREATE TRIGGER evidence_note_tally_update AFTER UPDATE OF review_id, day, session_id ON evidence_note BEGIN "
    f"{_TALLY_SUBTRACT.format(r='OLD')} {_TALLY_ADD.format(r='NEW')} END",
    "CREATE TRIGGER evidence_matrix_insert AFTER INSERT ON evidence_noteline BEGIN "
    "INSERT OR IGNORE INTO evidence_matrixcell (review_id, line_id, source_type, notes) "
    "VALUES (NEW.review_id, NEW.line_id, NEW.source_type, 0); "
    f"UPDATE evidence_matrixcell SET notes = notes + 1 WHERE {_CELL.format(r='NEW')}; END",
    "CREATE TRIGGER evidence_matrix_delete AFTER DELETE ON evidence_noteline BEGIN "
    f"UPDATE evidence_matrixcell SET notes = notes - 1 WHERE {_CELL.format(r='OLD')}; END",
    "CREATE TRIGGER evidence_matrix_update AFTER UPDATE OF review_id, line_id, source_type ON evidence_noteline BEGIN "
    f"UPDATE evidence_matrixcell SET notes = notes - 1 WHERE {_CELL.format(r='OLD')}; "
    "INSERT OR IGNORE INTO evidence_matrixcell (review_id, line_id, source_type, notes) "
    "VALUES (NEW.review_id, NEW.line_id, NEW.source_type, 0); "
    f"UPDATE evidence_matrixcell SET notes = notes + 1 WHERE {_CELL.format(r='NEW')}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS evidence_note_tally_insert",
    "DROP TRIGGER IF EXISTS evidence_note_tally_delete",
    "DROP TRIGGER IF EXISTS evidence_note_tally_update",
    "DROP TRIGGER IF EXISTS evidence_matrix_insert",
    "DROP TRIGGER IF EXISTS evidence_matrix_delete",
    "DROP TRIGGER IF EXISTS evidence_matrix_update",
    "DROP TABLE evidence_note_fts",
    "CREATE VIRTUAL TABLE evidence_note_fts USING fts5(body, tokenize = 'porter unicode61')",
    "INSERT INTO evidence_note_fts (rowid, body) SELECT id, text || ' ' || staff_groups || ' ' || source_ref "
    "FROM evidence_note",
]
# Statement-level triggers with transition tables: a bulk insert of 5,000 notes is one upsert per review, not
# 5,000 updates of the same row.
POSTGRES = [
    "ALTER TABLE evidence_finding ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(detail, ''))) "
    "STORED",
    "CREATE INDEX evidence_finding_text_fts ON evidence_finding USING gin (search_vector)",
    *TALLY_FILL,
    """
CREATE FUNCTION evidence_note_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE evidence_notetally t SET notes = t.notes - d.n
    FROM (SELECT review_id, day, COALESCE(session_id, 0) AS session_key, count(*) AS n FROM old_rows
          GROUP BY 1, 2, 3) d
    WHERE t.review_id = d.review_id AND t.day = d.day AND t.session_key = d.session_key;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO evidence_notetally (review_id, day, session_key, notes)
    SELECT review_id, day, COALESCE(session_id, 0), count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (review_id, day, session_key) DO UPDATE SET notes = evidence_notetally.notes + EXCLUDED.notes;
  END IF;
  RETURN NULL;
END $$""",
    """
CREATE FUNCTION evidence_matrix_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE evidence_matrixcell c SET notes = c.notes - d.n
    FROM (SELECT review_id, line_id, source_type, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) d
    WHERE c.review_id = d.review_id AND c.line_id = d.line_id AND c.source_type = d.source_type;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO evidence_matrixcell (review_id, line_id, source_type, notes)
    SELECT review_id, line_id, source_type, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (review_id, line_id, source_type) DO UPDATE SET notes = evidence_matrixcell.notes + EXCLUDED.notes;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER evidence_note_tally_insert AFTER INSERT ON evidence_note REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_note_tally()",
    "CREATE TRIGGER evidence_note_tally_delete AFTER DELETE ON evidence_note REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_note_tally()",
    "CREATE TRIGGER evidence_note_tally_update AFTER UPDATE ON evidence_note "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_note_tally()",
    "CREATE TRIGGER evidence_matrix_insert AFTER INSERT ON evidence_noteline REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_matrix_tally()",
    "CREATE TRIGGER evidence_matrix_delete AFTER DELETE ON evidence_noteline REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION evidence_matrix_tally()",
    "CREATE TRIGGER evidence_matrix_update AFTER UPDATE ON evidence_noteline "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_matrix_tally()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS evidence_note_tally_insert ON evidence_note",
    "DROP TRIGGER IF EXISTS evidence_note_tally_delete ON evidence_note",
    "DROP TRIGGER IF EXISTS evidence_note_tally_update ON evidence_note",
    "DROP TRIGGER IF EXISTS evidence_matrix_insert ON evidence_noteline",
    "DROP TRIGGER IF EXISTS evidence_matrix_delete ON evidence_noteline",
    "DROP TRIGGER IF EXISTS evidence_matrix_update ON evidence_noteline",
    "DROP FUNCTION IF EXISTS evidence_note_tally()",
    "DROP FUNCTION IF EXISTS evidence_matrix_tally()",
    "DROP INDEX IF EXISTS evidence_finding_text_fts",
    "ALTER TABLE evidence_finding DROP COLUMN search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_search"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="NoteTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("session_key", models.IntegerField()),
                ("notes", models.IntegerField(default=0)),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reviews.review"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("review", "day", "session_key"), name="one_note_tally_per_day_session"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MatrixCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "source_type",
                    models.CharField(
                        choices=[
                            ("interview", "Interview"),
                            ("focus_group", "Focus group"),
                            ("case_review", "Case review"),
                            ("document", "Document"),
                            ("data", "Data"),
                            ("observation", "Observation"),
                            ("survey", "Survey"),
                        ],
                        max_length=20,
                    ),
                ),
                ("notes", models.IntegerField(default=0)),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reviews.reviewline"
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reviews.review"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("review", "line", "source_type"), name="one_matrix_cell_per_line_source"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="note",
            index=models.Index(fields=["review", "-id"], name="evidence_note_review_newest"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
