"""A write forgets only the cached pages that show what it changed; a request that changed
nothing forgets nothing, whatever its method."""

import pytest
from django.test import Client

from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from forum.core.pagecache import local_pages

    settings.FORUM_PAGE_CACHE_SECONDS = 60
    settings.FORUM_CACHE_COUNTS = True
    local_pages.clear()
    yield
    local_pages.clear()


def _warm(*urls: str) -> None:
    for url in urls:
        Client().get(url)
        assert Client().get(url)["X-Page-Cache"] == "hit", url


def _cache_states(*urls: str) -> list[str]:
    return [Client().get(url)["X-Page-Cache"] for url in urls]


def test_junk_posts_leave_a_cached_thread_a_hit(member_user):
    thread = make_question(title="A thread that junk posts must not push out of the cache").get_absolute_url()
    _warm(thread, "/questions/")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(thread, {"anything": "x"}).status_code in (403, 405)  # no CSRF token
    assert Client().post("/no/such/page/", {"x": "y"}).status_code == 404
    assert Client().post("/accounts/login/", {"login": member_user.email, "password": "wrong"}).status_code == 200
    assert Client().post("/questions/ask/", {"title": "?"}).status_code == 200  # a failed form
    assert Client().post("/markdownx/markdownify/", {"content": "*x*"}).status_code == 200  # a preview
    assert _cache_states(thread, "/questions/") == ["hit", "hit"]


def test_an_answer_vote_forgets_its_thread_only_and_a_question_vote_the_lists_too(member):
    voted = make_question(title="A thread whose answer gets a vote")
    answer = make_answer(question=voted, author=UserFactory(), body="An answer worth an up vote, really.")
    unrelated = make_question(title="A thread nobody touches while others vote")
    urls = (voted.get_absolute_url(), unrelated.get_absolute_url(), "/questions/", "/")
    _warm(*urls)

    assert member.post(f"/answers/{answer.pk}/vote/", {"value": 1}).status_code == 302
    assert _cache_states(*urls) == ["miss", "hit", "hit", "hit"]  # lists don't show answer scores

    assert member.post(f"/questions/{voted.pk}/vote/", {"value": 1}).status_code == 302
    assert _cache_states(*urls) == ["miss", "hit", "miss", "miss"]  # list rows show the question's score


def test_a_new_answer_forgets_its_thread_and_the_lists_not_other_threads(member):
    question = make_question(title="A question about to get its first answer")
    other = make_question(title="A question in another thread entirely")
    urls = (question.get_absolute_url(), other.get_absolute_url(), "/questions/")
    _warm(*urls)
    member.post(f"/questions/{question.pk}/answer/", {"body": "A first answer, posted through the site."})
    assert _cache_states(*urls) == ["miss", "hit", "miss"]


def test_a_clarification_forgets_its_thread_only(member):
    question = make_question(title="A question that gets a clarification")
    other = make_question(title="A question nobody clarifies meanwhile")
    urls = (question.get_absolute_url(), other.get_absolute_url(), "/questions/", "/questions/?sort=active", "/")
    _warm(*urls)
    assert member.post(f"/questions/{question.pk}/comment/", {"body": "Could you say how long?"}).status_code == 302
    assert _cache_states(*urls) == ["miss", "hit", "hit", "hit", "hit"]  # no list shows clarifications
    assert "Could you say how long?" in Client().get(question.get_absolute_url()).content.decode()


def test_a_hidden_question_is_gone_from_every_page_on_the_next_request(moderator):
    marker = "Quibblestone"
    question = make_question(title=f"Why does {marker} happen after intimacy?", body=f"It is about {marker}, sadly.")
    topic = question.tags.first().get_absolute_url()
    pages = (question.get_absolute_url(), "/questions/", "/", topic, "/feeds/latest/", f"/search/?q={marker}")
    for url in pages:
        assert marker in Client().get(url).content.decode(), url
    assert moderator.post(f"/moderation/question/{question.pk}/hide/", {"reason": "Unsafe"}).status_code == 302
    for url in pages[1:-1]:
        assert marker not in Client().get(url).content.decode(), url
    assert f"/questions/{question.pk}/" not in Client().get(pages[-1]).content.decode()  # search echoes the words
    assert Client().get(question.get_absolute_url()).status_code == 404


def test_a_write_that_rolls_back_forgets_nothing(member_user):
    from django.db import transaction

    from forum.questions.answer_services import vote_cast

    question = make_question(title="A thread where a vote is rolled back")
    _warm(question.get_absolute_url(), "/questions/")
    with pytest.raises(RuntimeError), transaction.atomic():
        vote_cast(user=member_user, value=1, question=question)
        raise RuntimeError("the request failed after the vote")
    assert _cache_states(question.get_absolute_url(), "/questions/") == ["hit", "hit"]


def _older_question_and_a_full_first_page():
    """A question, then a page's worth of newer ones in the same topic: the first question is on no
    list's first page that orders by date (home, the questions, its topic)."""
    from forum.questions.selectors import PAGE_SIZE

    old = make_question(title="An older question that no first page shows any more")
    for n in range(PAGE_SIZE):
        make_question(title=f"A newer question, number {n}, on the first pages", tags=list(old.tags.all()))
    return old


def test_it_keeps_lists_that_dont_show_a_voted_or_answered_question_cached(member):
    old = _older_question_and_a_full_first_page()
    topic = old.tags.first().get_absolute_url()
    by_date = ("/", "/questions/", topic)
    by_score, by_activity, unanswered = (
        "/questions/?sort=votes",
        "/questions/?sort=active",
        "/questions/?sort=unanswered",
    )
    _warm(*by_date, by_score, by_activity, unanswered)

    assert member.post(f"/questions/{old.pk}/vote/", {"value": 1}).status_code == 302
    assert _cache_states(*by_date, by_score, by_activity) == ["hit", "hit", "hit", "miss", "hit"]
    assert "<strong>1</strong> vote<" in Client().get(by_score).content.decode()  # first by score now

    member.post(f"/questions/{old.pk}/answer/", {"body": "An answer to the older question, through the site."})
    # By score it is first now: its row there shows the new answer count.
    assert _cache_states(*by_date, by_score, by_activity, unanswered) == ["hit", "hit", "hit", "miss", "miss", "miss"]
    assert Client().get(by_activity).content.decode().index(old.title) > 0  # first by activity now


def test_it_re_renders_a_list_when_a_question_it_shows_changes(member):
    shown = make_question(title="The newest question, shown on the home page")
    _warm("/", "/questions/")
    assert member.post(f"/questions/{shown.pk}/vote/", {"value": 1}).status_code == 302
    assert _cache_states("/", "/questions/") == ["miss", "miss"]
    assert "<strong>1</strong> vote<" in Client().get("/").content.decode()
    member.post(f"/questions/{shown.pk}/answer/", {"body": "An answer to the newest question on the home page."})
    assert "<strong>1</strong> answer" in Client().get("/").content.decode()


def test_it_checks_a_cached_lists_rows_once_after_a_vote_elsewhere_then_serves_it_in_one_query(
    member, django_assert_num_queries
):
    from forum.core.pagecache import local_pages

    old = _older_question_and_a_full_first_page()
    _warm("/questions/")
    with django_assert_num_queries(1):  # the page's generations
        assert Client().get("/questions/")["X-Page-Cache"] == "hit"
    assert member.post(f"/questions/{old.pk}/vote/", {"value": 1}).status_code == 302
    with django_assert_num_queries(2):  # the generations, then its rows: unchanged
        assert Client().get("/questions/")["X-Page-Cache"] == "hit"
    with django_assert_num_queries(1):
        assert Client().get("/questions/")["X-Page-Cache"] == "hit"
    local_pages.clear()  # another worker: the page from the shared cache, its rows checked once
    with django_assert_num_queries(3):
        assert Client().get("/questions/")["X-Page-Cache"] == "hit"


def test_a_change_to_a_listed_row_shows_even_if_its_writer_said_only_that_rows_changed():
    from forum.core import effects
    from forum.core.pagecache import ROWS

    shown = make_question(title="A listed question whose title is fixed by hand")
    _warm("/questions/")
    Question.objects.filter(pk=shown.pk).update(title="A listed question with its title fixed")
    assert _cache_states("/questions/") == ["hit"]  # nothing said: as before, the page stays
    effects.pages_changed(ROWS)
    page = Client().get("/questions/")
    assert page["X-Page-Cache"] == "miss" and "with its title fixed" in page.content.decode()


def test_the_unanswered_count_follows_answers_to_questions_no_cached_page_shows(member):
    old = _older_question_and_a_full_first_page()
    assert "Page 1 of 2" in Client().get("/questions/?sort=unanswered").content.decode()
    member.post(f"/questions/{old.pk}/answer/", {"body": "The answer that leaves one page of unanswered."})
    assert "Page 1 of 2" not in Client().get("/questions/?sort=unanswered").content.decode()


def test_checking_a_pages_rows_again_never_extends_its_age(member, settings, monkeypatch):
    import time

    from django.core.cache import cache

    old = _older_question_and_a_full_first_page()
    _warm("/questions/")
    cache.clear()  # only this worker's memory is left: its clock decides
    assert member.post(f"/questions/{old.pk}/vote/", {"value": 1}).status_code == 302
    assert _cache_states("/questions/") == ["hit"]  # rows checked again
    later = time.monotonic() + settings.FORUM_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert _cache_states("/questions/") == ["miss"]
