"""Visitors' pages are cached whole, and no change made through the site is ever hidden by the cache."""

import pytest
from django.test import Client

from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 60


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
    from forum.core.pagecache import content_generation

    question = make_question(title="A question read while someone drafts an answer")
    before = content_generation()
    assert member.post("/markdownx/markdownify/", {"content": "*a draft*"}).status_code == 200
    assert content_generation() == before
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    member.post(f"/questions/{question.pk}/answer/", {"body": "An answer that changes the thread."})
    assert content_generation() != before
