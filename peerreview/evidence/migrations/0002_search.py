"""The full-text search index: FTS5 tables on SQLite, a GIN index on the notes' tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE evidence_note_fts USING fts5(body, tokenize = 'porter unicode61')",
    "CREATE VIRTUAL TABLE evidence_finding_fts USING fts5(body, tokenize = 'porter unicode61')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS evidence_note_fts", "DROP TABLE IF EXISTS evidence_finding_fts"]
# A stored tsvector column, kept current by PostgreSQL itself, so a search never re-parses 100,000 notes.
POSTGRES = [
    "ALTER TABLE evidence_note ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(staff_groups, '') "
    "|| ' ' || COALESCE(source_ref, ''))) STORED",
    "CREATE INDEX evidence_note_text_fts ON evidence_note USING gin (search_vector)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS evidence_note_text_fts", "ALTER TABLE evidence_note DROP COLUMN search_vector"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
