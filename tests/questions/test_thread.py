"""The thread page, the list, topics, and who sees what."""

import pytest

from forum.answers.models import Answer
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db


def test_it_shows_a_published_thread_with_answers_in_order(visitor, member_user):
    question = make_question(author=member_user)
    low = make_answer(question=question, author=UserFactory(), body="A first answer with enough words here.")
    high = make_answer(question=question, author=UserFactory(), body="A second answer with enough words here.")
    accepted = make_answer(question=question, author=UserFactory(), body="A third answer with enough words here.")
    expert = make_answer(question=question, author=make_expert(), body="An expert answer with enough words here.")
    Answer.objects.filter(pk=high.pk).update(score=5)
    Answer.objects.filter(pk=accepted.pk).update(is_accepted=True)

    response = visitor.get(question.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(f'id="answer-{a.pk}"') for a in (expert, accepted, high, low)]
    assert positions == sorted(positions)  # expert, then accepted, then score, then oldest
    assert "General education, not personal medical advice." in html
    assert "Sign in to answer" in html


def test_it_redirects_a_wrong_slug_permanently(visitor):
    question = make_question()
    for path in (f"/questions/{question.pk}/wrong-slug/", f"/questions/{question.pk}/"):
        response = visitor.get(path)
        assert response.status_code == 301
        assert response["Location"] == question.get_absolute_url()


def test_it_hides_pending_and_hidden_threads_from_the_public(visitor, outsider):
    for status in ("pending", "hidden"):
        question = make_question(status=status)
        assert visitor.get(question.get_absolute_url()).status_code == 404
        assert outsider.get(question.get_absolute_url()).status_code == 404


def test_it_shows_a_pending_thread_to_staff_and_to_the_asking_session(visitor):
    question = make_question(status="pending")
    staff = UserFactory(is_staff=True)
    from django.test import Client

    client = Client()
    client.force_login(staff)
    assert client.get(question.get_absolute_url()).status_code == 200
    visitor.get(f"/questions/key/{question.key}/")  # the session now holds the question
    response = visitor.get(question.get_absolute_url())
    assert response.status_code == 200
    assert "only the asker and the moderators" in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_it_returns_404_for_a_deleted_question(visitor):
    question = make_question(status="removed")
    assert visitor.get(question.get_absolute_url()).status_code == 404
    assert visitor.get("/questions/999999/anything/").status_code == 404


def test_it_collapses_the_body_behind_content_warnings(visitor):
    question = make_question(content_warnings=["sexual-trauma", "explicit"])
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert '<details class="content-warning">' in html
    assert "Content warning: Explicit sexual detail, Sexual trauma." in html
    assert html.index("<summary>") < html.index("Some details about the situation")


def test_it_answers_405_to_a_post_on_the_thread(visitor):
    question = make_question()
    assert visitor.post(question.get_absolute_url()).status_code == 405


def test_it_lists_published_questions_with_sorts_and_tag_filter(visitor, member_user):
    tag_a, tag_b = Tag.objects.order_by("pk")[:2]
    old = make_question(title="An older question about something here", tags=[tag_a])
    new = make_question(title="A newer question about something else", tags=[tag_b])
    voted = make_question(title="A question with many votes on it", tags=[tag_a])
    make_question(title="A pending question nobody should see", status="pending")
    Question.objects.filter(pk=voted.pk).update(score=10)
    make_answer(question=old, author=member_user)

    html = visitor.get("/questions/").content.decode()
    assert html.index(voted.title) < html.index(new.title) < html.index(old.title)  # newest first
    assert "A pending question nobody should see" not in html
    for title in (old.title, new.title, voted.title):
        assert title in html

    votes = visitor.get("/questions/?sort=votes").content.decode()
    assert votes.index(voted.title) < votes.index(new.title)
    unanswered = visitor.get("/questions/?sort=unanswered").content.decode()
    assert old.title not in unanswered and new.title in unanswered
    active = visitor.get("/questions/?sort=active").content.decode()
    assert active.index(old.title) < active.index(new.title)  # the answer made it active
    by_tag = visitor.get(f"/questions/?tag={tag_a.slug}").content.decode()
    assert old.title in by_tag and new.title not in by_tag
    assert visitor.get("/questions/?tag=no-such-topic").status_code == 404
    assert visitor.get("/questions/?sort=bogus&page=999").status_code == 200


def test_it_paginates_the_list(visitor):
    for i in range(21):
        make_question(title=f"Question number {i} about the same topic")
    first = visitor.get("/questions/").content.decode()
    second = visitor.get("/questions/?page=2").content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Question number 0 about" in second


def test_it_shows_topics_and_a_topic_page(visitor):
    tag = Tag.objects.get(slug="consent")
    make_question(title="How do we talk about consent as a couple?", tags=[tag])
    tags_page = visitor.get("/tags/").content.decode()
    assert "Consent" in tags_page and "1 question" in tags_page
    page = visitor.get("/tags/consent/")
    assert page.status_code == 200
    assert "How do we talk about consent as a couple?" in page.content.decode()
    assert visitor.get("/tags/no-such-topic/").status_code == 404


def test_it_keeps_tag_counts_to_published_questions(db):
    tag = Tag.objects.get(slug="consent")
    question = make_question(tags=[tag], status="pending")
    assert Tag.objects.get(pk=tag.pk).question_count == 0
    from forum.questions.services import question_delete, question_publish

    question_publish(question=question)
    assert Tag.objects.get(pk=tag.pk).question_count == 1
    question_delete(question=question)
    assert Tag.objects.get(pk=tag.pk).question_count == 0


def test_it_shows_recent_questions_on_the_front_page(visitor):
    make_question(title="What should I know before my first STI test?")
    html = visitor.get("/").content.decode()
    assert "What should I know before my first STI test?" in html
    assert visitor.post("/").status_code == 405


def test_it_never_gives_a_thread_a_slug_that_is_one_of_its_actions():
    from django.test import Client

    from forum.questions.models import THREAD_ACTIONS, slug_for_title
    from forum.questions.urls import urlpatterns

    routes = [str(p.pattern) for p in urlpatterns]
    actions = {r.split("/")[2] for r in routes if r.startswith("questions/<int:pk>/") and r.count("/") >= 3}
    actions.discard("<slug:slug>")
    assert actions == THREAD_ACTIONS
    assert slug_for_title("Clarifications???") == "clarifications-question"
    question = make_question(title="History, history???")
    assert question.slug == "history-history"
    question = make_question(title="Clarifications???")
    assert question.slug == "clarifications-question"
    assert Client().get(question.get_absolute_url()).status_code == 200
