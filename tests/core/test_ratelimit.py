"""Refusals say the real wait: Retry-After and the 429 page give the seconds left in the exceeded window."""

import re
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_ratelimit.core import get_usage

from forum.core.middleware import wait_in_words
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import RateLimited, ratelimit

pytestmark = pytest.mark.django_db

SEARCH_GROUP = "forum.questions.views.search"  # what django-ratelimit derives from the view


@ratelimit(key=ratelimit_key, rate="2/3s", block=True)
def three_second_view(request):
    return HttpResponse("ok")


def visitor_request(address: str):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_it_refuses_with_the_seconds_left_and_lets_the_request_through_once_they_have_passed():
    request = visitor_request("203.0.113.31")
    for _ in range(10):  # two fit in a window; a window ending midway only delays the refusal
        try:
            three_second_view(request)
        except RateLimited as error:
            refused = error
            break
    else:
        pytest.fail("never refused")
    usage = get_usage(request, fn=three_second_view.__wrapped__, key=ratelimit_key, rate="2/3s")
    assert 1 <= refused.retry_after <= 3
    assert refused.retry_after in (usage["time_left"] + 1, usage["time_left"])  # the clock may tick between
    assert request.limited is True
    time.sleep(refused.retry_after)
    assert three_second_view(visitor_request("203.0.113.31")).status_code == 200


def _search_usage(address: str) -> dict:
    return get_usage(visitor_request(address), group=SEARCH_GROUP, key=ratelimit_key, rate="60/m")


def roomy_address(block: int) -> str:
    """A visitor address whose search window (each key's minute starts at its own offset) has 20 s or more left."""
    return next(a for a in (f"203.0.{block}.{n}" for n in range(1, 255)) if _search_usage(a)["time_left"] >= 20)


def test_it_sends_the_remaining_seconds_of_the_search_window_in_retry_after_and_on_the_page():
    address = roomy_address(113)
    client = Client(REMOTE_ADDR=address)
    statuses = [client.get("/search/", {"q": "pain"}).status_code for _ in range(60)]
    assert statuses.count(200) == 60 and _search_usage(address)["count"] == 60
    response = client.get("/search/", {"q": "pain"})
    usage = _search_usage(address)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert retry_after in (usage["time_left"] + 1, usage["time_left"])  # the clock may tick once between
    html = response.content.decode()
    assert f"Please try again in {wait_in_words(retry_after)}." in html
    assert "Community guidelines" in html  # the site's layout


def test_it_counts_the_same_keys_as_django_ratelimit_so_no_limit_was_reset_by_the_change():
    address = roomy_address(114)
    client = Client(REMOTE_ADDR=address)
    client.get("/search/", {"q": "x"})
    client.get("/search/", {"q": "y"})
    assert _search_usage(address)["count"] == 2


def test_it_words_the_wait_in_seconds_then_minutes():
    assert wait_in_words(1) == "1 second"
    assert wait_in_words(59) == "59 seconds"
    assert wait_in_words(119) == "119 seconds"
    assert wait_in_words(120) == "2 minutes"
    assert wait_in_words(3001) == "51 minutes"


def test_it_says_how_long_to_wait_for_an_hourly_limit(member):
    from tests.factories import make_question

    question = make_question()
    for _ in range(241):  # 120 an hour: a window ending midway only moves the refusal into the next
        response = member.post(f"/questions/{question.pk}/vote/", {"value": 1})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 3600
    assert re.search(rf"Please try again in {re.escape(wait_in_words(seconds))}\.", response.content.decode())
