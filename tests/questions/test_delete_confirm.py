"""Nothing irreversible at one click (issue 15): deleting a question or an answer asks first, on a
page of its own that says what will be lost; the private key never goes into a URL."""

import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.test import Client, override_settings

from forum.answers.models import Answer, Comment
from forum.moderation.models import FirstPostReview, Flag, PostRevision
from forum.questions.answer_services import answer_accept
from forum.questions.comment_services import comment_post
from forum.questions.models import Notification, Question
from forum.questions.revision_services import answer_edit
from forum.questions.services import question_apply_text
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question
from tests.questions.test_delete_leaves_no_copy import _cached_pages_holding, _rows_holding

pytestmark = pytest.mark.django_db

WORD = "Zephyrquill"  # a word no other row holds


@pytest.fixture
def asked():
    return make_question(title="Is it normal to feel nothing after sex sometimes?")


def _confirm_page(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete your question?" in html or "Delete your answer?" in html
    return html


# --- a question ---------------------------------------------------------------------------


def test_it_asks_the_key_holder_first_and_says_what_will_be_lost(visitor, asked):
    for n in range(2):
        make_answer(question=asked, author=UserFactory(), body=f"Answer {n}, a kind and careful one with words.")
    comment_post(question=asked, author=UserFactory(), by_asker=False, body="How long has it been like this?")
    question_apply_text(
        question=asked, title=asked.title, body="New details, long enough to pass validation.", tags=asked.tags.all()
    )
    response = visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key})
    html = _confirm_page(response)
    assert "its 2 answers, which no one will see again" in html and "its 1 clarification on the thread" in html
    assert "every earlier version of it (2 versions in its history)" in html
    assert "your private link: it stops working" in html and "cannot be undone" in html
    assert f'<input type="hidden" name="key" value="{asked.key}">' in html
    assert '<input type="hidden" name="confirm" value="yes">' in html
    assert re.search(rf'class="button button-primary" href="/questions/key/{asked.key}/">Keep my question', html)
    assert 'class="button button-danger">Delete it for good' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    asked.refresh_from_db()
    assert asked.status == Question.Status.PUBLISHED  # asking deleted nothing


def test_it_deletes_only_with_confirm_yes(visitor, asked):
    assert visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "no"}).status_code == 200
    asked.refresh_from_db()
    assert asked.status == Question.Status.PUBLISHED
    response = visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/"
    asked.refresh_from_db()
    assert asked.status == Question.Status.REMOVED and asked.body == ""


def test_it_never_puts_the_key_in_a_url_or_a_get_form(visitor, asked):
    html = _confirm_page(visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key}))
    for form in re.findall(r"<form[^>]*>", html):
        if asked.key in html[html.index(form) : html.index("</form>", html.index(form))]:
            assert 'method="post"' in form
    assert f"?key={asked.key}" not in html and "key=" not in " ".join(re.findall(r'href="([^"]*)"', html))
    key_page = visitor.get(f"/questions/key/{asked.key}/").content.decode()
    delete_form = re.search(r'<form method="post" action="/questions/\d+/delete/">.*?</form>', key_page, re.S)
    assert delete_form and "confirm" not in delete_form.group(0)  # the page's button only asks


def test_it_asks_a_member_who_asked_and_offers_the_thread_back(member, member_user):
    question = make_question(author=member_user)
    thread = member.get(question.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/delete/"' in thread
    html = _confirm_page(member.post(f"/questions/{question.pk}/delete/"))
    assert f'href="{question.get_absolute_url()}">Keep my question' in html
    assert 'name="key"' not in html and "private link" not in html  # a member's question has none
    assert member.post(f"/questions/{question.pk}/delete/", {"confirm": "yes"}).status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.REMOVED


def test_it_refuses_others_a_wrong_key_and_get(outsider, visitor, asked):
    other = make_question(title="Another visitor's question about something else")
    assert outsider.post(f"/questions/{asked.pk}/delete/").status_code == 403
    assert Client().post(f"/questions/{asked.pk}/delete/", {"key": other.key}).status_code == 403
    assert Client().post(f"/questions/{asked.pk}/delete/", {"key": other.key, "confirm": "yes"}).status_code == 403
    assert visitor.get(f"/questions/{asked.pk}/delete/", {"key": asked.key}).status_code == 405
    asked.refresh_from_db()
    assert asked.status == Question.Status.PUBLISHED


def test_it_does_not_echo_a_wrong_key_to_the_session_that_asked(asked):
    browser = Client()
    browser.get(f"/questions/key/{asked.key}/")  # the session remembers the question
    html = _confirm_page(browser.post(f"/questions/{asked.pk}/delete/", {"key": "made-up-key-000000000"}))
    assert "made-up-key" not in html and 'name="key"' not in html


def test_it_says_so_when_the_question_is_already_deleted(visitor, asked):
    visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    response = visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key}, follow=True)
    assert "This question was already deleted." in response.content.decode()


def test_it_counts_what_will_be_lost_in_one_query(visitor, asked, django_assert_num_queries):
    from forum.questions.selectors import question_deletion_summary

    for n in range(3):
        make_answer(question=asked, author=UserFactory(), body=f"Answer {n}, a kind and careful one with words.")
    with django_assert_num_queries(1):
        assert question_deletion_summary(asked) == {"n_answers": 3, "n_clarifications": 0, "n_versions": 0}


# --- an answer ----------------------------------------------------------------------------


@pytest.fixture
def answered(member_user):
    question = make_question(author=member_user, anonymous=False)
    author = UserFactory(username="answerer")
    answer = make_answer(question=question, author=author, body=f"Try talking first; {WORD} helps some couples.")
    client = log_in(Client(), author)
    return question, answer, author, client


def test_it_shows_the_author_a_delete_link_and_a_confirmation_page(answered, member):
    question, answer, _author, client = answered
    comment_post(question=question, answer=answer, author=UserFactory(), by_asker=False, body="Did that help you?")
    thread = client.get(question.get_absolute_url()).content.decode()
    assert f'href="/answers/{answer.pk}/delete/"' in thread
    assert f"/answers/{answer.pk}/delete/" not in member.get(question.get_absolute_url()).content.decode()
    html = _confirm_page(client.get(f"/answers/{answer.pk}/delete/"))
    assert "its 1 clarification under it" in html and "cannot be undone" in html
    assert f'href="/answers/{answer.pk}/">Keep my answer' in html
    assert f'<form method="post" action="/answers/{answer.pk}/delete/">' in html
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED


@override_settings(FORUM_PAGE_CACHE_SECONDS=300)
def test_it_deletes_the_answer_and_leaves_no_copy_of_its_words(
    answered, member_user, django_capture_on_commit_callbacks
):
    question, answer, author, client = answered
    with django_capture_on_commit_callbacks(execute=True):
        answer_edit(answer=answer, editor=author, body=f"Edited: talking first; {WORD} helps many couples.")
        comment_post(question=question, answer=answer, author=UserFactory(), by_asker=False, body=f"Is {WORD} safe?")
    assert Client().get(question.get_absolute_url()).status_code == 200  # cached for visitors
    assert _cached_pages_holding(WORD) and PostRevision.objects.filter(answer=answer).count() == 2
    Notification.objects.filter(answer=answer).delete()
    Notification.objects.create(recipient=member_user, kind="new_answer", question=question, answer=answer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/answers/{answer.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.status == Answer.Status.REMOVED and answer.body == "" and answer.body_html == ""
    assert question.answer_count == 0
    assert not PostRevision.objects.filter(answer=answer).exists()
    assert not Notification.objects.filter(answer=answer).exists()
    assert Comment.objects.get(answer=answer).status == Comment.Status.REMOVED
    assert _rows_holding(WORD) == {}
    assert not Question.objects.filter(pk=question.pk, search_vector=SearchQuery(WORD.lower())).exists()
    assert WORD not in Client().get(question.get_absolute_url()).content.decode()
    assert _cached_pages_holding(WORD) == 0


def test_it_clears_the_accepted_mark_and_the_expert_flag(member_user):
    question = make_question(author=member_user)
    expert = make_expert(UserFactory(username="expert-dee"))
    answer = make_answer(question=question, author=expert)
    answer_accept(question=question, answer=answer)
    question.refresh_from_db()
    assert question.has_accepted_answer and question.has_expert_answer
    assert log_in(Client(), expert).post(f"/answers/{answer.pk}/delete/").status_code == 302
    question.refresh_from_db()
    answer.refresh_from_db()
    assert not question.has_accepted_answer and not question.has_expert_answer and question.answer_count == 0
    assert not answer.is_accepted


def test_it_closes_open_reports_and_the_first_post_review(answered, member_user):
    _question, answer, _author, client = answered
    Flag.objects.create(answer=answer, reason="spam", reporter=member_user)
    assert FirstPostReview.objects.filter(answer=answer, reviewed_at__isnull=True).exists()
    client.post(f"/answers/{answer.pk}/delete/")
    assert not Flag.objects.filter(answer=answer, status=Flag.Status.OPEN).exists()
    assert not FirstPostReview.objects.filter(answer=answer, reviewed_at__isnull=True).exists()


def test_it_is_a_404_for_anyone_else_and_a_405_for_other_methods(answered, member, moderator, visitor):
    _question, answer, _author, client = answered
    for other in (member, moderator):
        assert other.get(f"/answers/{answer.pk}/delete/").status_code == 404
        assert other.post(f"/answers/{answer.pk}/delete/").status_code == 404
    assert visitor.get(f"/answers/{answer.pk}/delete/").status_code == 302  # to sign in
    assert visitor.post(f"/answers/{answer.pk}/delete/")["Location"].startswith("/accounts/login/")
    assert client.put(f"/answers/{answer.pk}/delete/").status_code == 405
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED and answer.body


def test_it_is_a_404_once_deleted_or_when_the_question_is_gone(answered):
    _question, answer, author, client = answered
    assert client.post(f"/answers/{answer.pk}/delete/").status_code == 302
    assert client.get(f"/answers/{answer.pk}/delete/").status_code == 404
    other = make_answer(question=make_question(), author=author)
    Question.objects.filter(pk=other.question_id).update(status=Question.Status.REMOVED)
    assert client.get(f"/answers/{other.pk}/delete/").status_code == 404


def test_it_never_names_a_member_who_asked_anonymously(member, member_user):
    question = make_question(author=member_user, anonymous=True)
    html = _confirm_page(member.post(f"/questions/{question.pk}/delete/"))
    assert member_user.username not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("many", [False, True])
def test_it_shows_the_answer_page_for_the_same_queries_however_much_hangs_on_it(
    answered, many, django_assert_num_queries
):
    question, answer, _author, client = answered
    for n in range(30 if many else 1):
        comment_post(question=question, answer=answer, author=UserFactory(), by_asker=False, body=f"Question {n}?")
    client.get(f"/answers/{answer.pk}/delete/")  # warm the session's caches
    with django_assert_num_queries(4):  # session, member, the answer with its question, what is lost
        assert client.get(f"/answers/{answer.pk}/delete/").status_code == 200
