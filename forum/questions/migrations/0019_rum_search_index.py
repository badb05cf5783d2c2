"""The RUM index over the search vector: matches in rank order (issue 17).

A GIN index (`question_search`, migration 0005) finds every question that matches, and
ts_rank then reads and scores each of them: for a word in a few thousand questions that is a
few thousand vectors read to show ten. A RUM index keeps the lexemes' positions in the index
itself, so `ORDER BY search_vector <=> query LIMIT n` is one Index Scan that returns the
matches already in rank order and stops after n.

RUM is an extension (Debian: postgresql-<major>-rum) and not a trusted one: only a superuser
creates it. scripts/localdb.py installs the package and creates the extension in its clusters
(template1 and the forum's database); a superuser running this migration creates it here if
the server has it. Anywhere else (no package, or an owner role that is no superuser on a
database without the extension) this migration does nothing, and search ranks on plain
PostgreSQL (GIN + ts_rank, slower for common words): forum.questions.search_backend tells
which, and `manage.py search_backend` prints it. Installing the extension later and
migrating back to 0018 and forward again builds the index.

Partial, on published questions only, like the GIN index: nothing else is ever searched.
Its predicate also says `id > 0` (search.RUM_MARK), which only the ranked branch states.
"""

from django.db import migrations

INDEX = "question_search_rum"

# `id > 0` is search.RUM_MARK: only the query that orders by rank (`<=>`) states it, so every
# other search keeps to the GIN index (a RUM bitmap for an AND with a common word took 55 ms,
# the GIN index ~5).
CREATE_INDEX_SQL = f"""
CREATE INDEX {INDEX} ON questions_question
USING rum (search_vector rum_tsvector_ops) WHERE status = 'published' AND id > 0
"""

RUM_STATE_SQL = """
SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum'),
       EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum'),
       current_setting('is_superuser') = 'on'
"""


def create_rum_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(RUM_STATE_SQL)
        installed, available, superuser = cursor.fetchone()
    if not installed:
        if not (available and superuser):
            return  # the plain path: GIN + ts_rank
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    schema_editor.execute(CREATE_INDEX_SQL)


def drop_rum_index(apps, schema_editor):
    # The extension stays: this migration may not have created it (scripts/localdb.py does), and
    # dropping it takes a superuser.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("questions", "0018_search_synonyms")]

    operations = [migrations.RunPython(create_rum_index, drop_rum_index)]
