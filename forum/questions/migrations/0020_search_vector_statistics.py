"""A larger statistics sample for the search vector (issue 17).

Search decides per word whether to rank every match or walk the best threads by how common the
word is (search.search_plan), from `pg_stats.most_common_elem_freqs` (lexemes.py). With the
default target (100) ANALYZE samples 30,000 rows: at a million questions a word's share is off
by ~6 % either way, and two ANALYZE runs over the same rows give different shares, so the same
search could take the other path after autovacuum. A target of 1,000 samples 300,000 rows: three
times closer, and a table of up to 300,000 rows is read whole, so the shares are exact and the
same every time (the relevance test's 100,000 questions give one result, not a draw).
ANALYZE of the questions table takes ~11 s instead of ~4 at 100,000 rows and ~41 s at
1,000,000; autovacuum runs it in the background after a tenth of the rows changed.
"""

from django.db import migrations

STATISTICS = 1000


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0019_rum_search_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE questions_question ALTER COLUMN search_vector SET STATISTICS {STATISTICS}",
            "ALTER TABLE questions_question ALTER COLUMN search_vector SET STATISTICS -1",
        ),
    ]
