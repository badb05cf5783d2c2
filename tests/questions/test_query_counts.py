"""Query budgets: a page costs the same number of queries whatever its size.

If one of these fails because you added a query, ask whether the page really needs it; if it
does, join it into the page's selector rather than querying per row, then update the budget.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.answers.models import Answer, Vote
from tests.factories import UserFactory, make_answer, make_expert, make_question
from tests.people import images
from tests.people.experts import give_photo

pytestmark = pytest.mark.django_db

THREAD_BUDGET_VISITOR = 4  # question (+author), its tags, answers (+authors), first clarifications (+counts)
# + session, user (with the header's unread count), their votes on the thread and whether they follow it (one query)
THREAD_BUDGET_MEMBER = 7
# + permissions (user's and groups'), the authenticator, the answer count (hidden answers are
# listed too) and the canned reasons of the tools' reason fields (once, whatever the answers)
THREAD_BUDGET_MODERATOR = THREAD_BUDGET_MEMBER + 5
LIST_BUDGET = 3  # count, page of questions (+authors), their tags


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx


def grow_thread(question, n):
    users = UserFactory.create_batch(n)
    for user in users:
        make_answer(question=question, author=user)
    return users


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_it_renders_a_thread_in_a_fixed_number_of_queries(reader):
    small = make_question(title="A thread that has just one answer")
    big = make_question(title="A thread that has fifty answers in it")
    grow_thread(small, 1)
    voters = grow_thread(big, 50)
    for n in range(3):  # experts with photos: the photo's hash comes with the answer's author
        expert = make_expert(UserFactory(username=f"expert-with-photo-{n}"))
        give_photo(expert, images.png(200 + n, 200))
        make_answer(question=big, author=expert)
    client = Client()
    if reader == "member":
        member = voters[0]
        for answer in Answer.objects.filter(question=big).exclude(author=member)[:10]:
            Vote.objects.create(user=member, answer=answer, value=1)
        client.force_login(member)
    small_count, _ = count_queries(client, small.get_absolute_url())
    big_count, ctx = count_queries(client, big.get_absolute_url())
    assert ctx.captured_queries and "/experts/photos/" in client.get(big.get_absolute_url()).content.decode()
    assert small_count == big_count, [q["sql"] for q in ctx.captured_queries]
    budget = THREAD_BUDGET_MEMBER if reader == "member" else THREAD_BUDGET_VISITOR
    assert big_count <= budget, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_a_moderators_thread_with_tools_costs_a_fixed_number_of_queries(moderator):
    from forum.moderation.models import CannedReason

    CannedReason.objects.create(label="Unsafe", text="Unsafe advice.", use="hide")
    small = make_question(title="A thread that has just one answer")
    big = make_question(title="A thread that has fifty answers in it")
    grow_thread(small, 1)
    grow_thread(big, 50)
    small_count, _ = count_queries(moderator, small.get_absolute_url())
    big_count, ctx = count_queries(moderator, big.get_absolute_url())
    assert small_count == big_count, [q["sql"] for q in ctx.captured_queries]
    assert big_count <= THREAD_BUDGET_MODERATOR, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert (
        moderator.get(big.get_absolute_url()).content.decode().count('class="mod-tools"') == 21
    )  # the question and a page of answers


def test_it_renders_the_list_in_a_fixed_number_of_queries():
    client = Client()
    make_question(title="The only question in the list right now")
    one, _ = count_queries(client, "/questions/")
    for i in range(49):
        make_question(title=f"Another question in the list, number {i}", author=UserFactory(), anonymous=i % 2 == 0)
    fifty, ctx = count_queries(client, "/questions/")
    assert one == fifty, [q["sql"] for q in ctx.captured_queries]
    assert fifty <= LIST_BUDGET, "\n".join(q["sql"] for q in ctx.captured_queries)
    home_one, _ = count_queries(client, "/")
    assert home_one <= LIST_BUDGET


def test_it_renders_a_topic_page_in_a_fixed_number_of_queries():
    client = Client()
    question = make_question(title="A question in the first topic")
    tag = question.tags.first()
    url = f"/tags/{tag.slug}/"
    one, _ = count_queries(client, url)
    for i in range(30):
        make_question(title=f"Another question in the same topic {i}", tags=[tag])
    many, ctx = count_queries(client, url)
    assert one == many <= LIST_BUDGET + 1, "\n".join(q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_it_costs_the_same_queries_with_no_and_with_fifty_clarifications(reader):
    from forum.questions.comment_services import comment_post
    from tests.factories import make_expert

    quiet = make_question(title="A thread nobody asked to clarify")
    busy = make_question(title="A thread with fifty clarifications")
    for question in (quiet, busy):
        for user in UserFactory.create_batch(3):
            make_answer(question=question, author=user)
    people = [*UserFactory.create_batch(4), make_expert()]
    answers = list(Answer.objects.filter(question=busy))
    for i in range(50):
        answer = None if i % 4 == 0 else answers[i % len(answers)]
        comment_post(
            question=busy, answer=answer, author=people[i % 5], by_asker=False, body=f"Could you say more? {i}"
        )
    client = Client()
    if reader == "member":
        client.force_login(UserFactory())
    none, _ = count_queries(client, quiet.get_absolute_url())
    fifty, ctx = count_queries(client, busy.get_absolute_url())
    assert none == fifty, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert fifty <= (THREAD_BUDGET_MEMBER if reader == "member" else THREAD_BUDGET_VISITOR)
    page = client.get(busy.get_absolute_url()).content.decode()
    assert page.count('class="comment"') == 3 * 4  # the first three under the question and each answer
    assert "Show all 13 clarifications" in page


# A member: + session, user (loaded with the header's unread count).
@pytest.mark.parametrize(("reader", "budget"), [("visitor", 3), ("member", 5)])
def test_the_home_page_costs_the_same_queries_with_or_without_expert_answers(reader, budget):
    from tests.factories import make_expert

    client = Client()
    if reader == "member":
        client.force_login(UserFactory())
    make_question(title="A first question on the home page")
    before, _ = count_queries(client, "/")
    expert = make_expert()
    for i in range(20):
        question = make_question(title=f"A question on the home page, number {i}", author=UserFactory())
        if i % 3 == 0:
            make_answer(question=question, author=expert, body="An expert's careful answer to this one.")
    after, ctx = count_queries(client, "/")
    assert before == after <= budget, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_it_lists_a_posts_clarifications_in_a_fixed_number_of_queries():
    from forum.questions.comment_services import comment_post

    question = make_question(title="A thread whose clarifications are listed")
    answer = make_answer(question=question, author=UserFactory())
    client = Client()
    url = f"/answers/{answer.pk}/clarifications/"
    people = UserFactory.create_batch(5)
    comment_post(question=question, answer=answer, author=people[0], by_asker=False, body="The first note")
    one, _ = count_queries(client, url)
    for i in range(40):
        comment_post(question=question, answer=answer, author=people[i % 5], by_asker=False, body=f"Note {i}")
    many, ctx = count_queries(client, url)
    assert one == many <= 5, "\n".join(q["sql"] for q in ctx.captured_queries)
