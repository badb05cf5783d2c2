"""A moderator's thread page, with its tools, is never page-cached: visitors never get the tools."""

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


def test_a_moderators_thread_page_is_never_cached_nor_served_to_visitors(moderator):
    question = make_question(title="A thread a moderator reads first")
    make_answer(question=question, author=UserFactory())
    for _ in range(2):
        seen = moderator.get(question.get_absolute_url())
        assert "X-Page-Cache" not in seen and 'class="mod-tools"' in seen.content.decode()
    first, second = Client().get(question.get_absolute_url()), Client().get(question.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for page in (first, second):
        html = page.content.decode()
        assert "mod-tools" not in html and "/moderation/" not in html and "canned" not in html
