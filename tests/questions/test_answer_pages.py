"""Long threads come in pages of answers; an answer's permalink finds the page it is on."""

import re

import pytest
from django.test import Client

from forum.answers.models import Answer
from forum.questions.answer_services import answer_accept
from forum.questions.selectors import ANSWERS_PER_PAGE
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db


def answer_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="answer-(\d+)"', html)]


@pytest.fixture
def long_thread():
    asker = UserFactory()
    question = make_question(author=asker, title="A question that drew a great many answers")
    answers = [
        make_answer(question=question, author=UserFactory(), body=f"Answer number {n} to the thread.")
        for n in range(ANSWERS_PER_PAGE + 5)
    ]
    question.refresh_from_db()
    return question, answers, asker


def test_a_long_thread_shows_its_answers_in_pages(long_thread):
    question, answers, _ = long_thread
    first = Client().get(question.get_absolute_url()).content.decode()
    second = Client().get(question.get_absolute_url() + "?page=2").content.decode()
    assert len(answer_ids(first)) == ANSWERS_PER_PAGE and len(answer_ids(second)) == 5
    assert set(answer_ids(first)) | set(answer_ids(second)) == {a.pk for a in answers}
    assert f"{ANSWERS_PER_PAGE + 5} answers" in first and "page 1 of 2" in first
    assert 'href="?page=2#answers-heading"' in first and 'href="?page=1#answers-heading"' in second
    assert f'<link rel="canonical" href="http://testserver{question.get_absolute_url()}?page=2">' in second


def test_experts_and_the_accepted_answer_stay_on_the_first_page(long_thread):
    question, answers, _ = long_thread
    expert_answer = make_answer(question=question, author=make_expert(), body="An expert's late answer.")
    answer_accept(question=question, answer=answers[-1])
    question.refresh_from_db()
    ids = answer_ids(Client().get(question.get_absolute_url()).content.decode())
    assert ids[:2] == [expert_answer.pk, answers[-1].pk]


def test_an_answers_permalink_leads_to_its_page(long_thread):
    question, _, _ = long_thread
    on_page_two = answer_ids(Client().get(question.get_absolute_url() + "?page=2").content.decode())[0]
    response = Client().get(f"/answers/{on_page_two}/")
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}?page=2#answer-{on_page_two}"
    on_page_one = answer_ids(Client().get(question.get_absolute_url()).content.decode())[0]
    assert Client().get(f"/answers/{on_page_one}/")["Location"] == f"{question.get_absolute_url()}#answer-{on_page_one}"


def test_a_hidden_answer_or_an_unpublished_threads_answer_has_no_permalink(moderator):
    question = make_question(author=UserFactory(), title="A thread whose answer the moderators hid")
    answer = make_answer(question=question, author=UserFactory(), body="An answer that breaks the guidelines.")
    moderator.post(f"/moderation/answer/{answer.pk}/hide/", {"reason": "Unsafe"})
    assert Answer.objects.get(pk=answer.pk).status == Answer.Status.HIDDEN
    assert Client().get(f"/answers/{answer.pk}/").status_code == 404
    hidden_thread = make_question(author=UserFactory(), title="A thread the moderators hid whole")
    other = make_answer(question=hidden_thread, author=UserFactory(), body="An answer on a thread that gets hidden.")
    moderator.post(f"/moderation/question/{hidden_thread.pk}/hide/", {"reason": "Unsafe"})
    assert Client().get(f"/answers/{other.pk}/").status_code == 404


def test_a_thread_page_costs_the_same_queries_with_5_or_35_answers(long_thread):
    question, _, _ = long_thread
    small = make_question(author=UserFactory(), title="A question with only a few answers")
    for n in range(5):
        make_answer(question=small, author=UserFactory(), body=f"Short thread answer {n}.")
    counts = []
    for thread in (small, question):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert Client().get(thread.get_absolute_url() + "?page=2").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8
