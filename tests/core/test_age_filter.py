"""The `age` filter: how long ago, in its largest unit."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from forum.core.templatetags.forum_time import age, day

NOW = timezone.now()


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (datetime.timedelta(seconds=20), "less than a minute"),
        (datetime.timedelta(minutes=1, seconds=5), "1 minute"),
        (datetime.timedelta(minutes=59), "59 minutes"),
        (datetime.timedelta(hours=3, minutes=50), "3 hours"),
        (datetime.timedelta(days=1), "1 day"),
        (datetime.timedelta(days=13), "1 week"),
        (datetime.timedelta(days=45), "1 month"),
        (datetime.timedelta(days=800), "2 years"),
    ],
)
def test_it_says_how_long_ago_in_the_largest_unit(delta, text):
    assert age(NOW - delta, now=NOW) == text


def test_it_renders_in_a_template_and_accepts_nothing():
    rendered = Template("{% load forum_time %}asked {{ when|age }} ago|{{ missing|age }}|").render(
        Context({"when": timezone.now() - datetime.timedelta(hours=2, minutes=1)})
    )
    assert rendered == "asked 2 hours ago||"


@pytest.mark.parametrize("month", range(1, 13))
def test_day_is_what_the_date_filter_gives(month):
    from django.template.defaultfilters import date

    when = timezone.make_aware(datetime.datetime(2026, month, 5, 23, 30))
    assert day(when) == date(when, "j M Y")
    assert day(None) == ""
