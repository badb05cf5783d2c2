"""Questions in any language (issue 16): each question's language, search configurations per
language with accents folded, a query read in several languages, similar titles in Chinese
and Japanese.

- `unaccent` (trusted since PostgreSQL 13: the database owner, forum_owner, creates it).
- `forum_<stemmer>`: a copy of PostgreSQL's configuration with `unaccent` before the stemmer
  for words with letters outside ASCII (`forum_simple`: unaccent, then `simple`). The list is
  this migration's own, frozen: forum.core.languages.STEMMED names the same ones (a test checks).
- `forum_websearch_any(configs text[], query text)`: the OR of websearch_to_tsquery in each
  configuration, each distinct reading once: what the GIN index is searched with (a superset;
  each row is then matched with the query as its own language reads it). IMMUTABLE (as websearch_to_tsquery with a named
  configuration is), so with constant arguments the planner computes it once, at plan time.
- `forum_title_grams(title)`: each run of Han or kana characters spelled as overlapping pairs;
  the trigram index is rebuilt on it (same name).
- Existing questions are all "en": their vectors are rebuilt with forum_english (the
  words with accents change: "café" is now "cafe"). One UPDATE over the table.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models

STEMMERS = [
    *("arabic", "catalan", "danish", "dutch", "english", "finnish", "french", "german", "greek", "hindi"),
    *("hungarian", "indonesian", "italian", "norwegian", "portuguese", "romanian", "russian", "spanish"),
    *("swedish", "turkish"),
]


def _config_sql(name: str, dictionary: str) -> str:
    # Word classes with letters beyond ASCII; the ASCII ones (asciiword, …) have no accents to fold.
    return (
        f"CREATE TEXT SEARCH CONFIGURATION forum_{name} (COPY = pg_catalog.{name});\n"
        f"ALTER TEXT SEARCH CONFIGURATION forum_{name} ALTER MAPPING FOR hword, hword_part, word"
        f" WITH unaccent, {dictionary};\n"
    )


CONFIGS_SQL = "CREATE EXTENSION IF NOT EXISTS unaccent;\n" + "".join(
    _config_sql(name, f"{name}_stem") for name in STEMMERS
) + _config_sql("simple", "simple")
DROP_CONFIGS_SQL = (
    "".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_{name};\n" for name in [*STEMMERS, "simple"])
    + "DROP EXTENSION IF EXISTS unaccent;\n"
)

WEBSEARCH_ANY_SQL = """
CREATE FUNCTION forum_websearch_any(configs text[], query text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    config text;
    reading tsquery;
    seen tsquery[] := '{}';
    result tsquery := '';
BEGIN
    FOREACH config IN ARRAY configs LOOP
        reading := websearch_to_tsquery(config::regconfig, query);
        IF numnode(reading) > 0 AND NOT reading = ANY (seen) THEN
            seen := seen || reading;
            result := result || reading;
        END IF;
    END LOOP;
    RETURN result;
END
$$;
"""

# Han (with extension A, compatibility ideographs and the supplementary planes), hiragana,
# katakana (with its phonetic extensions and the half-width forms). "abcd" becomes "a ab bc cd".
_CJK = r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
TITLE_GRAMS_SQL = f"""
CREATE FUNCTION forum_title_grams(title text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_replace(title, '({_CJK})(?={_CJK})', '\\1 \\1', 'g')
$$;
"""


def _rebuild_sql(config: str) -> str:
    return f"""
UPDATE questions_question q SET search_vector =
    setweight(to_tsvector('{config}'::regconfig, coalesce(q.title, '')), 'A')
    || setweight(to_tsvector('{config}'::regconfig, coalesce(q.body, '')), 'B')
    || setweight(to_tsvector('{config}'::regconfig, coalesce(left((
        SELECT string_agg(a.body, ' ') FROM answers_answer a WHERE a.question_id = q.id AND a.status = 'published'
    ), 1000000), '')), 'C')
WHERE q.search_vector IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0013_crisis_lane_and_support_notes"),
    ]

    operations = [
        migrations.RunSQL(CONFIGS_SQL, DROP_CONFIGS_SQL),
        migrations.RunSQL(WEBSEARCH_ANY_SQL, "DROP FUNCTION IF EXISTS forum_websearch_any(text[], text)"),
        migrations.RunSQL(TITLE_GRAMS_SQL, "DROP FUNCTION IF EXISTS forum_title_grams(text)"),
        migrations.RemoveIndex(model_name="question", name="question_title_trgm"),
        migrations.AddField(
            model_name="question",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"), ("es", "Español"), ("ar", "العربية"), ("ca", "Català"), ("da", "Dansk"),
                    ("de", "Deutsch"), ("el", "Ελληνικά"), ("fa", "فارسی"), ("fi", "Suomi"), ("fr", "Français"),
                    ("he", "עברית"), ("hi", "हिन्दी"), ("hu", "Magyar"), ("id", "Bahasa Indonesia"),
                    ("it", "Italiano"), ("ja", "日本語"), ("ko", "한국어"), ("nl", "Nederlands"), ("no", "Norsk"),
                    ("pl", "Polski"), ("pt", "Português"), ("ro", "Română"), ("ru", "Русский"), ("sv", "Svenska"),
                    ("tr", "Türkçe"), ("uk", "Українська"), ("vi", "Tiếng Việt"), ("zh", "中文"),
                ],  # fmt: skip
                default="en",
                max_length=8,
                verbose_name="Written in",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=GinIndex(
                OpClass(
                    models.Func(models.F("title"), function="forum_title_grams", output_field=models.TextField()),
                    name="gin_trgm_ops",
                ),
                condition=models.Q(("status", "published")),
                name="question_title_trgm",
            ),
        ),
        migrations.RunSQL(_rebuild_sql("forum_english"), _rebuild_sql("english")),
    ]
