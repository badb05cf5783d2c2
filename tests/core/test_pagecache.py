"""Visitors' pages are cached whole, and no change made through the site is ever hidden by the cache."""

import hashlib

import pytest
from django.test import Client

from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

# Real commits: writes invalidate cached pages when they commit (forum.core.effects), so these
# tests run outside the usual per-test transaction (tests/conftest.py: committed_db).
pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from forum.core.pagecache import local_pages

    settings.FORUM_PAGE_CACHE_SECONDS = 60
    settings.FORUM_CACHE_COUNTS = True
    local_pages.clear()
    yield
    local_pages.clear()


def test_it_serves_a_visitors_second_view_from_the_cache():
    question = make_question(title="A question that many visitors read")
    first = Client().get(question.get_absolute_url())
    second = Client().get(question.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert "Content-Security-Policy" in second  # headers still come from the middleware


def test_a_hidden_answer_is_gone_on_the_very_next_visitor_request(moderator):
    question = make_question(title="A thread where an answer gets hidden")
    answer = make_answer(question=question, author=UserFactory(), body="An answer the moderators will hide.")
    visitor = Client()
    assert "An answer the moderators will hide." in visitor.get(question.get_absolute_url()).content.decode()
    assert visitor.get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    moderator.post(f"/moderation/answer/{answer.pk}/hide/", {"reason": "Unsafe"})
    after = visitor.get(question.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "An answer the moderators will hide." not in after.content.decode()


def test_a_new_answer_and_a_vote_show_at_once_in_lists_and_threads(member):
    question = make_question(title="A question waiting for its first answer")
    visitor = Client()
    visitor.get("/questions/")
    visitor.get(question.get_absolute_url())
    member.post(f"/questions/{question.pk}/answer/", {"body": "The first answer, posted through the site."})
    assert "The first answer, posted through the site." in visitor.get(question.get_absolute_url()).content.decode()
    assert "<strong>1</strong> answer" in visitor.get("/questions/").content.decode()


def test_it_never_caches_for_members_or_for_a_visitor_with_a_session(member):
    question = make_question(title="A question asked by a visitor with a key")
    assert "X-Page-Cache" not in member.get(question.get_absolute_url())
    asker = Client()
    asker.get(f"/questions/key/{question.key}/")  # the session now holds the question
    page = asker.get(question.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "Delete your question" in page.content.decode()  # the asker's tools, never cached for others
    assert "Delete your question" not in Client().get(question.get_absolute_url()).content.decode()


def test_the_daily_expert_job_invalidates_cached_pages():
    from django.core.management import call_command

    from accounts.models import ExpertProfile
    from tests.factories import make_expert

    expert = make_expert()
    question = make_question(title="A thread with an expert answer on it")
    make_answer(question=question, author=expert)
    visitor = Client()
    assert "Verified expert" in visitor.get(question.get_absolute_url()).content.decode()
    import datetime

    from django.utils import timezone

    ExpertProfile.objects.filter(user=expert).update(verified_until=timezone.localdate() - datetime.timedelta(days=1))
    call_command("expire_experts")
    assert "Verified expert" not in visitor.get(question.get_absolute_url()).content.decode()


def test_a_markdown_preview_leaves_cached_pages_valid_but_a_real_post_does_not(member):
    from forum.core.pagecache import generations, thread

    question = make_question(title="A question read while someone drafts an answer")
    before = generations((thread(question.pk),))
    assert member.post("/markdownx/markdownify/", {"content": "*a draft*"}).status_code == 200
    assert generations((thread(question.pk),)) == before
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    member.post(f"/questions/{question.pk}/answer/", {"body": "An answer that changes the thread."})
    assert generations((thread(question.pk),)) != before


def test_a_hit_is_answered_before_sessions_and_auth_with_the_first_responses_headers(django_assert_num_queries):
    question = make_question(title="A question whose page is served from memory")
    first = Client().get(question.get_absolute_url())
    with django_assert_num_queries(1):  # the page's generations; the page itself comes from memory
        second = Client().get(question.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "Content-Type"):
        assert second[header] == first[header]
    assert "Cookie" in second["Vary"]
    assert not second.cookies


def test_another_worker_gets_the_page_from_the_shared_cache():
    from forum.core.pagecache import local_pages

    question = make_question(title="A question another worker rendered first")
    first = Client().get(question.get_absolute_url())
    local_pages.clear()  # as if this request reached a different worker process
    second = Client().get(question.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content


def test_pages_expire_after_the_configured_seconds(settings, monkeypatch):
    import hashlib
    import time

    from django.core.cache import cache

    from forum.core.pagecache import generations, stored_page_key, thread

    question = make_question(title="A question whose cached page grows old")
    url = question.get_absolute_url()
    Client().get(url)
    # Drop the shared copy (its backend keeps its own clock): only this worker's memory is left.
    address = hashlib.sha256(f"en http://testserver{url}".encode()).hexdigest()
    assert cache.delete(stored_page_key(address, generations((thread(question.pk),))))
    assert Client().get(url)["X-Page-Cache"] == "hit"
    later = time.monotonic() + settings.FORUM_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert Client().get(url)["X-Page-Cache"] == "miss"


def test_a_workers_memory_for_pages_is_bounded(settings):
    from forum.core.pagecache import local_pages

    settings.FORUM_PAGE_CACHE_LOCAL_BYTES = 40_000
    for n in range(12):
        Client().get(make_question(title=f"Question number {n} read by a visitor").get_absolute_url())
    assert 0 < local_pages._bytes <= 40_000
    assert len(local_pages._pages) < 12


def test_not_cached_search_ask_or_a_page_with_an_error():
    make_question(title="A question to find by searching")
    assert "X-Page-Cache" not in Client().get("/search/?q=question")
    assert "X-Page-Cache" not in Client().get("/questions/ask/")
    assert "X-Page-Cache" not in Client().get("/questions/999999/nothing-here/")
    assert "X-Page-Cache" not in Client().get("/questions/999999/nothing-here/")


def test_list_counts_are_remembered_until_the_content_generation_changes(django_assert_num_queries):
    from forum.core.pagecache import bump_content_generation
    from forum.questions.selectors import question_list

    for n in range(3):
        make_question(author=UserFactory(), title=f"Question {n} in a list someone pages through")
    unsaid = make_question(author=UserFactory(), title="Published behind the services' back", status="pending")
    assert question_list().paginator.count == 3
    Question.objects.filter(pk=unsaid.pk).update(status="published")  # says nothing: the count stays
    with django_assert_num_queries(3):  # the remembered count (one cache read), the page, its tags
        page = question_list()
        assert page.paginator.count == 3
        assert len(page.object_list) == 3
    bump_content_generation()  # what a write that changes every page says
    assert question_list().paginator.count == 4
    assert question_list(sort="unanswered").paginator.count == 4  # each filter has its own count


def test_a_question_asked_through_the_site_counts_at_once(member):
    from forum.core.tokens import new_form_token
    from forum.questions.models import Tag
    from forum.questions.selectors import PAGE_SIZE

    for n in range(PAGE_SIZE):
        make_question(author=UserFactory(), title=f"Question number {n} on the first page")
    assert "Page 1 of" not in Client().get("/questions/").content.decode()  # exactly one page
    tag = Tag.objects.order_by("pk").first()
    data = {
        "title": "What should I say when my partner asks about my past?",
        "body": "Some details about the situation, long enough to pass validation.",
        "tags": [tag.pk],
        "form_token": new_form_token(),
    }
    assert member.post("/questions/ask/", data).status_code == 302
    assert "Page 1 of 2" in Client().get("/questions/").content.decode()


def test_a_cached_page_is_gzipped_once_for_clients_that_accept_it():
    import gzip

    question = make_question(title="A question whose page travels compressed")
    url = question.get_absolute_url()
    plain_miss = Client().get(url)
    zipped_hit = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain_hit = Client().get(url)
    assert zipped_hit["X-Page-Cache"] == "hit" and zipped_hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped_hit.content) == plain_miss.content == plain_hit.content
    assert int(zipped_hit["Content-Length"]) == len(zipped_hit.content) < len(plain_hit.content) / 2
    assert "Content-Encoding" not in plain_hit and "Content-Encoding" not in plain_miss
    assert "Accept-Encoding" in zipped_hit["Vary"] and "Cookie" in zipped_hit["Vary"]
    zipped_miss = Client().get(url + "?page=1", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped_miss["X-Page-Cache"] == "miss" and gzip.decompress(zipped_miss.content).startswith(b"<!DOCTYPE")


def test_a_members_page_is_never_compressed_by_the_page_cache(member):
    question = make_question(title="A question a member reads with a CSRF token on the page")
    page = member.get(question.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in page and "X-Page-Cache" not in page


def test_a_page_another_worker_is_rendering_is_waited_for_not_rendered_again():
    import threading

    from django.core.cache import cache
    from django.db import connection

    from forum.core.pagecache import _counters, local_pages, stored_page_key

    question = make_question(title="A thread two workers are asked for at the same moment")
    url = question.get_absolute_url()
    rendered = Client().get(url)
    address = next(k for k in local_pages._pages)
    stored = stored_page_key(address, local_pages._pages[address][1][0])
    entry = cache.get(stored)
    cache.delete(stored)
    local_pages.clear()  # the page is in no cache: as just after a write, in a worker that didn't render it
    lease = f"forum:render:{stored}"
    assert _counters().add(lease, 1, timeout=60)  # another worker took the lease and is rendering

    def the_other_worker_stores_the_page():
        try:
            cache.set(stored, entry, 60)
            _counters().delete(lease)
        finally:
            connection.close()

    threading.Timer(0.05, the_other_worker_stores_the_page).start()
    waited = Client().get(url)
    assert waited["X-Page-Cache"] == "hit" and waited.content == rendered.content


def test_a_worker_renders_the_page_itself_when_the_one_rendering_it_gives_up():
    import threading

    from django.db import connection

    from forum.core.pagecache import _counters, generations, stored_page_key, thread

    question = make_question(title="A thread whose renderer fails halfway")
    url = question.get_absolute_url()
    address = hashlib.sha256(f"en http://testserver{url}".encode()).hexdigest()
    lease = f"forum:render:{stored_page_key(address, generations((thread(question.pk),)))}"
    assert _counters().add(lease, 1, timeout=60)

    def the_other_worker_fails():
        try:
            _counters().delete(lease)  # what its `finally` does, with no page stored
        finally:
            connection.close()

    threading.Timer(0.05, the_other_worker_fails).start()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert not _counters().has_key(lease)  # given back by this worker too, after storing the page
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_workers_asked_for_a_stale_page_at_once_render_it_once(member):
    import threading

    from django.db import connection

    from forum.core.pagecache import local_pages

    question = make_question(title="A popular thread that just got an answer")
    url = question.get_absolute_url()
    Client().get(url)
    member.post(f"/questions/{question.pk}/answer/", {"body": "An answer that makes every copy stale."})
    local_pages.clear()
    start = threading.Barrier(4)
    states = []

    def visitor():
        try:
            start.wait(timeout=10)
            states.append(Client().get(url)["X-Page-Cache"])
        finally:
            connection.close()

    threads = [threading.Thread(target=visitor) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(states) == ["hit", "hit", "hit", "miss"]


def test_a_worker_that_looked_just_before_another_stored_the_page_does_not_render_it_again(monkeypatch):
    """The race the test above met under load: this worker finds no page, the other worker stores it
    and gives its lease back, then this worker takes the (free) lease. It must look once more."""
    from forum.core import pagecache

    question = make_question(title="A thread stored between one look and the lease")
    url = question.get_absolute_url()
    rendered = Client().get(url)  # the other worker: rendered, stored in the shared cache, lease given back
    pagecache.local_pages.clear()
    real_shared, looks = pagecache._shared, []

    def looked_too_early(key, stored_key):
        looks.append(stored_key)
        return None if len(looks) == 1 else real_shared(key, stored_key)  # the first look: not there yet

    monkeypatch.setattr(pagecache, "_shared", looked_too_early)
    again = Client().get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == rendered.content
    assert len(looks) == 2
    assert not any(pagecache._counters().has_key(f"forum:render:{key}") for key in looks)  # lease given back
