"""A write forgets only the cached pages that show what it changed; a request that changed
nothing forgets nothing, whatever its method."""

import pytest
from django.test import Client

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
