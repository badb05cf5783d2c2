"""Indexes for ranking every match (issue 17; search.py says how they are used).

- `forum_search_config(language)`: a question's text search configuration from its language
  (forum_<stemmer>, or forum_simple), as SQL. The mapping is this migration's own, frozen, and
  the same as forum.core.languages.STEMMED (a test checks).
- `question_title_search`: a GIN index over the title alone, read in the question's own
  language: "titles that match", found without touching the bodies.
- `question_quality`: published questions in the order of what makes a thread worth reading
  (an expert's answer, then an accepted one, then the score, then the newest): a very common
  word's best threads are walked in this order and the walk stops once enough are found.

Raw SQL: Django's model state can't name an expression index over a function of our own; the
model does not need to know them (nothing in the ORM reads them by name).
"""

from django.db import migrations

STEMMED = {
    "en": "english", "es": "spanish", "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german",
    "el": "greek", "fi": "finnish", "fr": "french", "hi": "hindi", "hu": "hungarian", "id": "indonesian",
    "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sv": "swedish", "tr": "turkish",
}  # fmt: skip

_WHENS = " ".join(f"WHEN '{code}' THEN 'forum_{name}'" for code, name in STEMMED.items())
CONFIG_SQL = f"""
CREATE FUNCTION forum_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (CASE language {_WHENS} ELSE 'forum_simple' END)::regconfig
$$;
"""

TITLE_INDEX_SQL = """
CREATE INDEX question_title_search ON questions_question
USING gin (to_tsvector(forum_search_config(language), title)) WHERE status = 'published';
"""

QUALITY_INDEX_SQL = """
CREATE INDEX question_quality ON questions_question
((has_expert_answer::int * 2 + has_accepted_answer::int) DESC, score DESC, id DESC) WHERE status = 'published';
"""


class Migration(migrations.Migration):
    dependencies = [("questions", "0016_search_vocabulary")]

    operations = [
        migrations.RunSQL(CONFIG_SQL, "DROP FUNCTION IF EXISTS forum_search_config(text)"),
        migrations.RunSQL(TITLE_INDEX_SQL, "DROP INDEX IF EXISTS question_title_search"),
        migrations.RunSQL(QUALITY_INDEX_SQL, "DROP INDEX IF EXISTS question_quality"),
    ]
