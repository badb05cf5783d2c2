"""What a vote and an answer cost in SQL, through the site, statement by statement, so one that
creeps in is seen. Writes run while visitors read (make bench: reads under writes), and every
statement is CPU and a round trip the readers don't get."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.usefixtures("committed_db")  # real commits: the pages' generations move on commit

# session, user, rate-limit counter, the post (view), BEGIN, suspension check, the post locked
# (an answer with its question), the member's earlier vote, the vote, the score, COMMIT, the
# generations of the pages that show it (one statement, however many scopes).
VOTE_QUERIES = 12
# session, user, rate-limit counter, the question (view), BEGIN, the question locked, suspension
# check, watched words, expert profile, the answer, first-post checks (2) and review row, the
# question's count, activity and search vector (one UPDATE), for a visitor's question whether
# its asker left an address for emails (forum.questions.asker_mail; a member's question skips it),
# its followers with their choices (one SELECT), their notices (one INSERT however many), COMMIT,
# the generations, the page of the thread the answer is on (the redirect). Before the UPDATE, the
# answerer follows the thread (one INSERT … ON CONFLICT DO NOTHING). Here no follower wants email;
# one that does adds one job row, however many.
ANSWER_QUERIES = 21


def _statements(client, url, data, **extra) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data, **extra)
    assert response.status_code in (200, 302), response.content[:300]
    return [q["sql"] for q in ctx.captured_queries]


def test_it_casts_a_vote_on_an_answer_or_a_question_in_a_fixed_number_of_queries(member):
    question = make_question(title="A thread whose answer and question get votes")
    answer = make_answer(question=question, author=UserFactory(), body="An answer that gets a vote, really.")
    for url in (f"/answers/{answer.pk}/vote/", f"/questions/{question.pk}/vote/"):
        sql = _statements(member, url, {"value": 1}, HTTP_ACCEPT="application/json")
        assert len(sql) == VOTE_QUERIES, "\n".join(sql)
        assert sum("forum:gen:" in s for s in sql) == 1


def test_it_posts_an_answer_in_a_fixed_number_of_queries_and_keeps_the_search_vector_exact(member):
    from forum.questions.services import question_search_refresh

    question = make_question(title="A thread that gets an answer through the site")
    make_answer(question=question, author=UserFactory(), body="An earlier answer about gentle lubricants.")
    body = "A later answer that mentions sensate focus exercises."
    sql = _statements(member, f"/questions/{question.pk}/answer/", {"body": body})
    assert len(sql) == ANSWER_QUERIES, "\n".join(sql)
    updates = [s for s in sql if s.startswith('UPDATE "questions_question"')]
    assert len(updates) == 1 and '"search_vector"' in updates[0] and '"answer_count"' in updates[0]

    stored = Question.objects.values_list("search_vector", flat=True).get(pk=question.pk)
    question_search_refresh(question_id=question.pk)  # the full recomputation: nothing changes
    assert Question.objects.values_list("search_vector", flat=True).get(pk=question.pk) == stored
    assert "sensat" in stored and "lubric" in stored
