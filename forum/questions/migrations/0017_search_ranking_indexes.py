"""The quality order, for ranking every match (issue 17; search.py says how it is used).

`question_quality`: published questions in the order of what makes a thread worth reading (an
expert's answer, then an accepted one, then the score, then the newest). A very common word's
best threads are walked in this order, and the walk stops once enough of them are found: the
denser the word, the shorter the walk.

Raw SQL: an expression index Django's model state would have to spell the same way as the
queries that use it (search._QUALITY); the model does not need to know it.
"""

from django.db import migrations

QUALITY_INDEX_SQL = """
CREATE INDEX question_quality ON questions_question
((has_expert_answer::int * 2 + has_accepted_answer::int) DESC, score DESC, id DESC) WHERE status = 'published';
"""


class Migration(migrations.Migration):
    dependencies = [("questions", "0016_search_vocabulary")]

    operations = [
        migrations.RunSQL(QUALITY_INDEX_SQL, "DROP INDEX IF EXISTS question_quality"),
    ]
