"""A new forum knows the commonest crisis phrases from its first day (moderation migration 0016),
so a visitor who writes that they want to kill themselves reaches the crisis lane without anyone
having set the forum up first."""

import pytest

from forum.desk.crisis_selectors import crisis_lane
from forum.moderation.models import WatchedWord
from forum.moderation.policy import mentions_crisis
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_it_starts_with_crisis_phrases_that_moderators_can_change():
    phrases = set(WatchedWord.objects.filter(action=WatchedWord.Action.CRISIS).values_list("phrase", flat=True))
    assert {"kill myself", "end my life", "self-harm", "suicidal"} <= phrases
    assert mentions_crisis("Sometimes I want to KILL MYSELF after we fight")
    assert not mentions_crisis("Is it normal to cry after sex?")


def test_it_puts_a_visitors_question_about_killing_themselves_in_the_crisis_lane_out_of_the_box():
    question = make_question(title="I want to end my life and I do not know who to tell", status="pending")
    question.refresh_from_db()
    assert question.crisis_at is not None
    assert [post.pk for post in crisis_lane()] == [question.pk]
