"""The forum's vocabulary for spelling correction (issue 17): SearchWord, kept by triggers.

- `questions_question.words text[]`: the question's distinct words (forum_simple: unaccented,
  lower-case, unstemmed; letters only, 3 to 30 of them) from its title, body and published
  answers; empty unless the question is published. Not in the Django model: no page loads it.
- `forum_question_words(status, title, body, id)`: that list (STABLE; reads the answers).
- A BEFORE INSERT OR UPDATE trigger recomputes NEW.words when the status, title, body or search
  vector changed (question_search_refresh, answer announcements, seed_bulk all write the
  vector) and applies the difference to questions_searchword in one upsert, words in sorted
  order (row locks taken in one order: two writers never deadlock, counts stay exact), then
  deletes the words that reached 0. An AFTER DELETE trigger takes a deleted row's words off.
- `SET LOCAL forum.vocabulary_deferred = on` (seed_bulk only): the trigger sets the rows' words
  and leaves the vocabulary alone; forum.devtools.bulk.derived adds them once, set-based.
- The fill: one UPDATE of every published question's words, aggregated in SQL.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

WORDS_SQL = r"""
ALTER TABLE questions_question ADD COLUMN words text[] NOT NULL DEFAULT '{}';

CREATE FUNCTION forum_question_words(status text, title text, body text, qid bigint) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT w ORDER BY w), '{}')
    FROM unnest(tsvector_to_array(to_tsvector('forum_simple',
        coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || left(coalesce(
            (SELECT string_agg(a.body, ' ') FROM answers_answer a
             WHERE a.question_id = qid AND a.status = 'published'), ''), 1000000)))) AS w
    WHERE status = 'published' AND length(w) BETWEEN 3 AND 30 AND w ~ '^[[:alpha:]]+$'
$$;

CREATE FUNCTION forum_vocabulary_apply(old_words text[], new_words text[]) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF old_words = new_words THEN
        RETURN;
    END IF;
    INSERT INTO questions_searchword AS v (word, documents)
    SELECT w, sum(d)::int FROM (
        SELECT unnest(new_words) AS w, 1 AS d UNION ALL SELECT unnest(old_words), -1
    ) AS change GROUP BY w HAVING sum(d) <> 0 ORDER BY w
    ON CONFLICT (word) DO UPDATE SET documents = v.documents + EXCLUDED.documents;
    DELETE FROM questions_searchword WHERE word = ANY (old_words) AND documents <= 0;
END
$$;

CREATE FUNCTION forum_question_words_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM forum_vocabulary_apply(OLD.words, '{}');
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.title IS NOT DISTINCT FROM OLD.title
       AND NEW.body IS NOT DISTINCT FROM OLD.body AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector THEN
        RETURN NEW;
    END IF;
    NEW.words := forum_question_words(NEW.status, NEW.title, NEW.body, NEW.id);
    IF current_setting('forum.vocabulary_deferred', true) = 'on' THEN
        RETURN NEW;  -- seed_bulk: the new rows' words are added once, set-based, at the end
    END IF;
    PERFORM forum_vocabulary_apply(CASE WHEN TG_OP = 'UPDATE' THEN OLD.words ELSE '{}' END, NEW.words);
    RETURN NEW;
END
$$;

WITH filled AS (
    UPDATE questions_question SET words = forum_question_words(status, title, body, id)
    WHERE status = 'published' RETURNING words
)
INSERT INTO questions_searchword (word, documents)
SELECT w, count(*) FROM filled, unnest(filled.words) AS w GROUP BY w;

-- Every new question updates many of these rows: room on each page for HOT updates, and vacuumed
-- often (the table is small; dead rows would slow the trigram index's bitmap scans).
ALTER TABLE questions_searchword SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02,
                                      autovacuum_analyze_scale_factor = 0.05);

CREATE TRIGGER question_words BEFORE INSERT OR UPDATE ON questions_question
    FOR EACH ROW EXECUTE FUNCTION forum_question_words_trigger();
CREATE TRIGGER question_words_gone AFTER DELETE ON questions_question
    FOR EACH ROW EXECUTE FUNCTION forum_question_words_trigger();
"""

DROP_WORDS_SQL = """
DROP TRIGGER IF EXISTS question_words_gone ON questions_question;
DROP TRIGGER IF EXISTS question_words ON questions_question;
DROP FUNCTION IF EXISTS forum_question_words_trigger();
DROP FUNCTION IF EXISTS forum_vocabulary_apply(text[], text[]);
DROP FUNCTION IF EXISTS forum_question_words(text, text, text, bigint);
ALTER TABLE questions_question DROP COLUMN IF EXISTS words;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0010_crisis_lane_marks"),
        ("questions", "0015_question_language_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False)),
                ("documents", models.IntegerField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(models.F("word"), name="gin_trgm_ops"),
                        name="search_word_trgm",
                    )
                ],
            },
        ),
        migrations.RunSQL(WORDS_SQL, DROP_WORDS_SQL),
    ]
