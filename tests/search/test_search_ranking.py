"""Ranking every match (forum/questions/search.py, docs/architecture.md "Search ranking"): what
ranks first, and the plans that keep it bounded."""

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.questions import lexemes, search, search_backend
from forum.questions.models import Question
from forum.questions.search_query import parse
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def titles(query: str, **options) -> list[str]:
    return [q.title for q in search.question_search(query=query, **options).object_list]


def fillers(rows: int, text: str) -> None:
    """`rows` published questions holding `text`, vectors built, the table analyzed: the
    statistics the ranking reads (pg_stats) and the planner weighs."""
    Question.objects.bulk_create(
        Question(title=f"Filler {i} {text}", slug="filler", body=f"Details {i} {text}", body_html="<p>Details</p>",
                 status="published", published_at=timezone.now())
        for i in range(rows)
    )  # fmt: skip
    Question.objects.filter(search_vector=None).update(
        search_vector=SearchVector("title", weight="A", config="forum_english")
        + SearchVector("body", weight="B", config="forum_english")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", ["question_search"])
        cursor.execute("ANALYZE questions_question")
    lexemes.clear()  # read the new statistics


def plan_of(query: str, **options) -> dict:
    plan = search.search_plan(query, search.search_scope())
    assert plan is not None
    sql, params = search.ranking_sql(plan, **options)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        return cursor.fetchone()[0][0]["Plan"]


def nodes(node: dict, parent: dict | None = None):
    yield node, parent
    for child in node.get("Plans", []):
        yield from nodes(child, node)


# --- what a person means ----------------------------------------------------------------


def test_a_natural_question_finds_a_thread_without_every_word():
    make_question(title="Sex hurts since menopause", body="Dryness and a burning feeling, every single time.")
    assert titles("why does sex hurt after menopause started") == ["Sex hurts since menopause"]


def test_a_thread_covering_more_of_the_words_ranks_higher():
    make_question(title="A question about menopause", body="Only the one word of the query is here, nothing else.")
    make_question(title="Something else", body="Menopause, dryness and pain: all three words are in here.")
    assert titles("menopause dryness pain") == ["Something else", "A question about menopause"]


def test_a_title_typed_again_comes_first():
    make_question(title="Is it okay to want to be alone after sex?", body="Details about wanting space after sex.")
    make_question(title="Is it okay to have sex on my period?", body="My boyfriend does not mind but I do.")
    make_question(title="Sex on the beach: is it okay?", body="Sand, sex, period of time, okay or not.")
    assert titles("Is it okay to have sex on my period")[0] == "Is it okay to have sex on my period?"


def test_a_rare_word_counts_more_than_a_common_one():
    fillers(300, "partner")  # "partner" is in nearly every question, "vulvodynia" in one
    make_question(title="My partner and I", body="A question whose body is about something else entirely.")
    make_question(title="Burning pain at the entrance", body="The doctor called it vulvodynia, what now?")
    assert titles("partner vulvodynia")[0] == "Burning pain at the entrance"


def test_among_equal_matches_an_accepted_expert_answer_ranks_first():
    plain = make_question(title="Question one about arousal")
    best = make_question(title="Question two about arousal")
    Question.objects.filter(pk=best.pk).update(has_expert_answer=True, has_accepted_answer=True)
    Question.objects.filter(pk=plain.pk).update(score=1)
    assert titles("arousal")[0] == "Question two about arousal"


def test_age_never_hides_an_older_better_match():
    old = make_question(title="Vaginismus: what helped me", body="Vaginismus, dilators, vaginismus again.")
    Question.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - timezone.timedelta(days=10 * 365))
    make_question(title="Something newer", body="A passing mention of vaginismus.")
    assert titles("vaginismus") == ["Vaginismus: what helped me", "Something newer"]


def test_a_phrase_and_a_minus_word_hold_in_every_branch(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MAX", {True: (-1, -1), False: (-1, -1)})  # every unit walked
    make_question(title="The condom broke", body="A condom question about the morning after pill.")
    make_question(title="Condom or the pill?", body="Choosing between a condom and the pill.")
    assert titles("condom -pill") == []  # both mention the pill
    assert titles('condom "morning after"') == ["The condom broke"]


def test_a_query_of_stop_words_only_finds_nothing_and_says_why(visitor):
    make_question(title="What is it about the way we are?")
    response = visitor.get("/search/", {"q": "what is it"})
    assert list(response.context["page"].object_list) == []
    assert response.context["too_common"]


def test_matches_are_marked_in_the_title_and_the_title_stays_escaped(visitor):
    make_question(title="<b>Bold</b> question about orgasm", body="Some details about an orgasm, long enough.")
    html = visitor.get("/search/", {"q": "orgasm"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; question about <mark>orgasm</mark>" in html
    assert "<b>Bold</b>" not in html


def test_the_badges_say_expert_and_accepted(visitor):
    question = make_question(title="A question about lubricant")
    Question.objects.filter(pk=question.pk).update(has_expert_answer=True, has_accepted_answer=True)
    html = visitor.get("/search/", {"q": "lubricant"}).content.decode()
    assert 'class="badge badge-expert"' in html and 'class="badge badge-accepted"' in html


# --- the plans: the index does the ordering, every branch is bounded ---------------------


def test_a_very_common_word_is_walked_in_quality_order_by_the_index(monkeypatch):
    fillers(2000, "partner")
    monkeypatch.setattr(search, "RANKED_MAX", {True: (500, 500), False: (500, 500)})  # 2,000 is "very common"
    plan = plan_of("partner", rum=False)
    parents = {id(node): parent for node, parent in nodes(plan)}
    walks = [
        node for node, _ in nodes(plan)
        if node.get("Index Name") == "question_quality" and node["Node Type"] == "Index Scan"
    ]  # fmt: skip
    assert walks, plan
    # Read in the index's order, the match tested on each row, cut by a Limit: no Sort of every match.
    limit = parents[id(walks[0])]
    tested = parents[id(limit)]
    assert limit["Node Type"] == "Limit" and "search_vector @@" in tested.get("Filter", ""), plan
    assert parents[id(tested)]["Node Type"] == "Limit", plan


def test_a_rarer_word_is_scored_from_the_gin_index_on_plain_postgresql():
    fillers(2000, "partner")
    make_question(title="A question about vulvodynia")
    plan = plan_of("vulvodynia", rum=False)
    scans = [node for node, _ in nodes(plan) if node.get("Index Name") == "question_search"]
    assert scans and scans[0]["Node Type"] == "Bitmap Index Scan", plan
    assert not any(node.get("Index Name") == "question_quality" for node, _ in nodes(plan)), plan


@pytest.fixture
def with_rum():
    """2,000 questions holding "partner", on a database with the RUM index (else skipped)."""
    search.rum_available.cache_clear()
    if not search.rum_available():
        pytest.skip("the RUM index is not installed here (plain PostgreSQL path)")
    fillers(2000, "partner")


@pytest.mark.usefixtures("with_rum")
def test_with_rum_the_index_returns_matches_in_rank_order():
    make_question(title="A question about vulvodynia")
    plan = plan_of("vulvodynia", rum=True)
    scans = [node for node, _ in nodes(plan) if node.get("Index Name") == search_backend.RUM_INDEX]
    assert scans and "<=>" in scans[0].get("Order By", ""), plan


@pytest.mark.usefixtures("with_rum")
def test_only_the_ranked_branch_reads_the_rum_index():
    make_question(title="A question about vulvodynia and partner")
    plan = plan_of("vulvodynia partner", rum=True)
    scans = [node for node, _ in nodes(plan) if node.get("Index Name") == search_backend.RUM_INDEX]
    assert scans, plan
    assert all("<=>" in node.get("Order By", "") for node in scans), plan  # no RUM bitmap, no RUM count


def test_a_groups_rare_term_is_ranked_when_its_typed_words_are_everywhere(monkeypatch):
    # The starter group: "premature ejaculation", "coming too fast", "finish within a minute", …
    old = make_question(title="Premature ejaculation, what helps?", body="Always within a minute.")
    fillers(300, "coming too fast")  # newer, and every one holds the typed words
    monkeypatch.setattr(search, "RANKED_MAX", {True: (100, 200), False: (100, 200)})  # 300 is "very common"
    monkeypatch.setattr(search, "WALK_MAX", 50)  # the walk never reaches the oldest thread
    plan = search.search_plan("coming too fast", search.search_scope())
    assert plan is not None and plan.ranked_units(rum=False) == ()
    ((unit, words, phrases),) = plan.rare_alternatives(rum=False)
    assert unit == 0 and words == "" and "'prematur' <-> 'ejacul'" in phrases
    assert "'come' <-> 'too' <-> 'fast'" not in phrases  # the typed words: in every filler
    assert titles("coming too fast")[0] == old.title


def test_deep_pages_rank_a_bigger_pool_in_the_same_number_of_queries(monkeypatch):
    monkeypatch.setattr(search, "RANK_POOL", 40)  # pages 1-2 rank 40, page 3 ranks 80
    assert [search.pool_for(n) for n in (1, 2, 3, 4, 5)] == [40, 40, 80, 80, 160]
    for i in range(45):
        make_question(title=f"Question number {i} about intimacy")
    search.question_search(query="intimacy")  # warm: what a process reads once (synonyms, the RUM index)
    counts, pages = [], []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            page = search.question_search(query="intimacy", page=number)
        counts.append(len(ctx.captured_queries))
        pages.append([q.pk for q in page.object_list])
    assert [len(p) for p in pages] == [20, 20, 5] and not set(pages[0]) & set(pages[1])
    assert counts[0] == counts[1] == counts[2], counts


# --- reading the words --------------------------------------------------------------------


def test_parse_reads_words_phrases_and_minus_words():
    query = parse('pain "pelvic floor" -menopause -"hot flushes" Pain after')
    assert query.words == ("pain", "after")
    assert query.phrases == ("pelvic floor",)
    assert query.excluded == ("menopause", "hot flushes")
    assert query.any_text() == '"pelvic floor" or pain or after'
    assert query.required_text == '"pelvic floor" -"menopause" -"hot flushes"'


def test_parse_keeps_a_query_with_or_as_written():
    query = parse("anxiety or nerves")
    assert query.explicit_or and query.any_text() == "anxiety or nerves" and query.required_text == ""


def test_parse_ignores_stray_signs_and_quotes():
    query = parse('-- - ---word "" "unclosed phrase')
    assert query.phrases == ("unclosed phrase",)
    assert "word" in query.words
