"""Keep each question's search vector inside its row, not in the TOAST table.

Search walks the newest questions testing each vector, and ranks a thousand of them
(forum.questions.search). A vector stored out of line costs a TOAST index lookup and a few
more pages per row: 4x the cost of the walk, and most of the ranking's. At 100,000 questions
60% of the vectors were out of line: a thread with a few answers passes the 2 kB row limit.

STORAGE MAIN keeps a value in the row unless the row can't fit a page; a long row's body and
body_html are compressed or moved out first, and only pages that show them, a few rows at a
time, read those. Setting it changes
only rows written from now on, so the vectors of existing rows are rewritten: concatenating
the empty vector makes a new value, stored by the new rule, with the same lexemes.
"""

from django.db import migrations

TABLE = "questions_question"

# Rows under 2 kB were never TOASTed. The other columns take ~350 bytes, and no out-of-line
# vector in the benchmark data had a sum under 1,620: the rest of the table is left alone.
REWRITE_OUT_OF_LINE_VECTORS = f"""
UPDATE {TABLE} SET search_vector = search_vector || ''::tsvector
WHERE search_vector IS NOT NULL
  AND pg_column_size(search_vector) + octet_length(body) + octet_length(body_html) + octet_length(title) > 1500
"""


class Migration(migrations.Migration):
    dependencies = [("questions", "0005_search_vector_and_trigram")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
        # Backwards, the rows keep their inline vectors: still correct, just not re-TOASTed.
        migrations.RunSQL(REWRITE_OUT_OF_LINE_VECTORS, migrations.RunSQL.noop),
    ]
