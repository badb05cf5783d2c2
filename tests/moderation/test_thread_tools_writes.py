"""What the thread tools' writes change: moving topics, and which visitors' pages each action forgets."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from forum.core import pagecache
from forum.core.errors import AlreadyHandled
from forum.desk import services, thread_services
from forum.moderation.models import ModerationAction
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def invalidated(monkeypatch, django_capture_on_commit_callbacks):
    """The page-cache scopes forgotten by the writes in the block, once they commit."""
    seen: list[str] = []
    monkeypatch.setattr(pagecache, "invalidate", lambda scopes: seen.extend(sorted(scopes)))

    class Recorder:
        def __enter__(self):
            seen.clear()
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return seen

        def __exit__(self, *exc):
            return self.capture.__exit__(*exc)

    return Recorder()


def topics(*slugs):
    return list(Tag.objects.filter(slug__in=slugs))


@pytest.fixture
def plain_tags():
    tags = list(Tag.objects.filter(is_sensitive=False).order_by("pk")[:3])
    assert len(tags) == 3
    return tags


# --- moving topics -----------------------------------------------------------------------------


def test_it_moves_a_question_to_other_topics_and_logs_from_and_to(moderator_user, plain_tags, invalidated):
    first, second, third = plain_tags
    question = make_question(title="A question in the wrong topic for now", tags=[first])
    vector = Question.objects.values_list("search_vector", flat=True).get(pk=question.pk)
    counts = {tag.pk: tag.question_count for tag in Tag.objects.all()}
    with invalidated as scopes:
        thread_services.question_retag(moderator=moderator_user, question=question, tags=[second, third],
                                       reason="Better fit")  # fmt: skip
    assert set(question.tags.all()) == {second, third}
    assert sorted(scopes) == sorted([pagecache.thread(question.pk), pagecache.LISTS])
    after = {tag.pk: tag.question_count for tag in Tag.objects.all()}
    assert after[first.pk] == counts[first.pk] - 1
    assert after[second.pk] == counts[second.pk] + 1 and after[third.pk] == counts[third.pk] + 1
    action = ModerationAction.objects.get()
    assert action.kind == "retag" and action.get_kind_display() == "Moved to other topics"
    assert action.reason == f"From {first.name} to {', '.join(sorted([second.name, third.name]))}. Better fit"
    assert action.details == {"from_topics": [first.name], "to_topics": sorted([second.name, third.name])}
    assert Question.objects.values_list("search_vector", flat=True).get(pk=question.pk) == vector


def test_moving_a_held_question_forgets_only_its_thread(moderator_user, plain_tags, invalidated):
    question = make_question(title="A question waiting for review here", tags=[plain_tags[0]], status="pending")
    counts = {tag.pk: tag.question_count for tag in Tag.objects.all()}
    with invalidated as scopes:
        thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain_tags[1]])
    assert scopes == [pagecache.thread(question.pk)]
    assert counts == {tag.pk: tag.question_count for tag in Tag.objects.all()}


@pytest.mark.parametrize("how_many", [0, 6])
def test_it_keeps_the_askers_rule_of_one_to_five_topics(how_many, moderator_user):
    question = make_question(title="A question in the wrong topic for now")
    with pytest.raises(ValidationError):
        thread_services.question_retag(moderator=moderator_user, question=question,
                                       tags=list(Tag.objects.all()[:how_many]))  # fmt: skip
    assert not ModerationAction.objects.exists()


def test_it_says_when_nothing_changes(moderator_user, plain_tags):
    question = make_question(title="A question in the right topic already", tags=[plain_tags[0]])
    with pytest.raises(AlreadyHandled):
        thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain_tags[0]])


def test_leaving_a_sensitive_topic_needs_a_reason(moderator_user, plain_tags):
    sensitive = Tag.objects.filter(is_sensitive=True).first()
    question = make_question(title="A question that shows crisis resources", tags=[sensitive])
    with pytest.raises(ValidationError):
        thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain_tags[0]])
    thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain_tags[0]],
                                   reason="It is about communication, not abuse")  # fmt: skip
    assert list(question.tags.all()) == [plain_tags[0]]


def test_the_topics_page_moves_a_question_without_javascript(moderator, plain_tags):
    question = make_question(title="A question in the wrong topic for now", tags=[plain_tags[0]])
    page = moderator.get(f"/moderation/question/{question.pk}/topics/").content.decode()
    assert f'value="{plain_tags[0].pk}"' in page and "checked" in page
    response = moderator.post(f"/moderation/question/{question.pk}/topics/", {"tags": [plain_tags[1].pk]})
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert list(question.tags.all()) == [plain_tags[1]]
    shown = Client().get(question.get_absolute_url()).content.decode()
    assert plain_tags[1].get_absolute_url() in shown


def test_the_topics_page_keeps_errors_beside_the_field(moderator):
    question = make_question(title="A question in the wrong topic for now")
    response = moderator.post(f"/moderation/question/{question.pk}/topics/", {"tags": [], "reason": "kept text"})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_tags_error"' in html and 'value="kept text"' in html


# --- each thread action forgets exactly the pages it changed ----------------------------------------


def test_thread_actions_forget_their_thread_and_only_what_else_shows_it(moderator_user, invalidated):
    question = make_question(title="A thread the moderators act on")
    original = make_question(title="The original question, asked before")
    answer = make_answer(question=question, author=UserFactory())
    here = pagecache.thread(question.pk)
    cases = [
        (services.question_lock, {"question": question, "reason": "Heated"}, {here}),
        (services.question_unlock, {"question": question}, {here}),
        (services.question_close_duplicate, {"question": question, "duplicate_of": original}, {here}),
        (services.question_reopen, {"question": question}, {here}),
        (services.post_hide, {"post": answer, "reason": "Unsafe"}, {here}),
        (services.post_hide, {"post": question, "reason": "Personal details"}, {here, pagecache.LISTS}),
        (services.post_restore, {"post": question}, {here, pagecache.LISTS}),
    ]
    for action, kwargs, expected in cases:
        with invalidated as scopes:
            action(moderator=moderator_user, **kwargs)
        assert expected <= set(scopes), action.__name__
        assert pagecache.EVERYTHING not in scopes and not any(s.startswith("thread:") and s != here for s in scopes), (
            action.__name__
        )
