"""The desk on the thread page: a moderator's inline tools, and every action taken from them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.answers.models import Answer
from forum.moderation.models import CannedReason, ModerationAction
from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

TOOLS = 'class="mod-tools"'


def thread_html(client, question) -> str:
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def last_action() -> ModerationAction:
    return ModerationAction.objects.order_by("-id").first()


@pytest.fixture
def thread(db):
    question = make_question(title="How do we keep talking when it gets awkward?", author=UserFactory(),
                             anonymous=False)  # fmt: skip
    answers = [make_answer(question=question, author=UserFactory()) for _ in range(2)]
    return question, answers


# --- who sees the tools -----------------------------------------------------------------------


def test_it_shows_a_moderator_tools_for_the_question_and_each_answer(moderator, thread):
    question, answers = thread
    html = thread_html(moderator, question)
    assert html.count(TOOLS) == 1 + len(answers)
    assert '<summary>Moderate<span class="visually-hidden"> this question</span></summary>' in html
    for action in ("hide", "lock", "duplicate", "topics", "edit", "delete"):
        assert f"/moderation/question/{question.pk}/{action}/" in html, action
    assert 'min="1" max="365"' in html  # the suspend forms know the allowed lengths
    for answer in answers:
        for action in ("hide", "edit", "delete"):
            assert f"/moderation/answer/{answer.pk}/{action}/" in html


@pytest.mark.parametrize("persona", ["visitor", "member", "outsider", "moderator_without_mfa_session"])
def test_it_shows_no_tools_to_anyone_else(persona, request, thread):
    question, _ = thread
    html = thread_html(request.getfixturevalue(persona), question)
    assert TOOLS not in html and "/moderation/question/" not in html


def test_it_shows_unlock_and_reopen_once_locked_and_closed(moderator, moderator_user, thread):
    from forum.desk import services

    question, _ = thread
    original = make_question(title="The question asked first, with its answers")
    services.question_lock(moderator=moderator_user, question=question, reason="Heated")
    services.question_close_duplicate(moderator=moderator_user, question=question, duplicate_of=original)
    html = thread_html(moderator, question)
    assert (
        f"/moderation/question/{question.pk}/unlock/" in html
        and f"/moderation/question/{question.pk}/lock/" not in html
    )
    assert f"/moderation/question/{question.pk}/reopen/" in html
    assert f"/moderation/question/{question.pk}/duplicate/" not in html


def test_a_moderator_sees_a_hidden_answer_with_restore_and_readers_do_not(moderator, moderator_user, visitor, thread):
    from forum.desk import services

    question, answers = thread
    services.post_hide(moderator=moderator_user, post=answers[0], reason="Unsafe")
    html = thread_html(moderator, question)
    assert f'id="answer-{answers[0].pk}"' in html and "answer-hidden" in html
    assert f"/moderation/answer/{answers[0].pk}/restore/" in html
    assert f'id="answer-{answers[0].pk}"' not in thread_html(visitor, question)


def test_the_tools_never_name_the_author_of_an_anonymous_question(moderator, revealing_moderator):
    asker = UserFactory(username="hidden-asker-name", email="hidden-asker@example.com")
    question = make_question(title="A question asked under a hidden name", author=asker, anonymous=True)
    html = thread_html(moderator, question)
    assert TOOLS in html
    assert "hidden-asker" not in html
    assert f"/moderation/question/{question.pk}/reveal/" not in html  # needs the reveal permission
    shown = thread_html(revealing_moderator, question)
    assert f"/moderation/question/{question.pk}/reveal/" in shown and "hidden-asker" not in shown


# --- costs ------------------------------------------------------------------------------------


def test_a_thread_with_tools_costs_the_same_queries_with_one_or_fifty_answers(moderator):
    small = make_question(title="A thread with one answer for the moderator")
    big = make_question(title="A thread with fifty answers for the moderator")
    make_answer(question=small, author=UserFactory())
    for user in UserFactory.create_batch(50):
        make_answer(question=big, author=user)
    CannedReason.objects.create(label="Spam", text="Spam.", use="hide")

    def count(question):
        with CaptureQueriesContext(connection) as ctx:
            html = thread_html(moderator, question)
        assert TOOLS in html and 'name="canned"' in html
        return len(ctx.captured_queries), ctx

    one, _ = count(small)
    fifty, ctx = count(big)
    assert one == fifty, "\n".join(q["sql"][:150] for q in ctx.captured_queries)
    # the member's 7 (tests/questions/test_query_counts.py) + permissions (2), the authenticator,
    # the answer count (hidden answers shown), the canned reasons
    assert fifty <= 12, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


# --- the actions, from the thread ---------------------------------------------------------------


def _post(client, url, **data):
    return client.post(url, data, follow=True)


def test_it_hides_and_restores_the_question_from_the_thread(moderator, thread):
    question, _ = thread
    _post(
        moderator,
        f"/moderation/question/{question.pk}/hide/",
        reason="Personal details",
        next=question.get_absolute_url(),
    )
    question.refresh_from_db()
    assert question.status == Question.Status.HIDDEN and last_action().kind == "hide"
    response = _post(moderator, f"/moderation/question/{question.pk}/restore/", next=question.get_absolute_url())
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED and last_action().kind == "restore"
    assert response.redirect_chain[-1][0] == question.get_absolute_url()


def test_it_locks_and_unlocks_from_the_thread(moderator, thread):
    question, _ = thread
    _post(moderator, f"/moderation/question/{question.pk}/lock/", reason="Heated", next=question.get_absolute_url())
    question.refresh_from_db()
    assert question.is_locked and last_action().kind == "lock"
    _post(moderator, f"/moderation/question/{question.pk}/unlock/", next=question.get_absolute_url())
    question.refresh_from_db()
    assert not question.is_locked and last_action().kind == "unlock"


def test_it_hides_an_answer_from_the_thread(moderator, thread):
    question, answers = thread
    _post(moderator, f"/moderation/answer/{answers[0].pk}/hide/", reason="Unsafe", next=question.get_absolute_url())
    answers[0].refresh_from_db()
    assert answers[0].status == Answer.Status.HIDDEN
    assert (last_action().kind, last_action().answer_id) == ("hide", answers[0].pk)


def test_the_edit_page_leads_back_to_the_thread(moderator, thread):
    question, answers = thread
    url = f"/moderation/answer/{answers[0].pk}/edit/?next={question.get_absolute_url()}"
    page = moderator.get(url).content.decode()
    assert f'name="next" value="{question.get_absolute_url()}"' in page
    response = moderator.post(url, {"body": "A kinder answer, edited.", "reason": "Tone",
                                    "next": question.get_absolute_url()})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    answers[0].refresh_from_db()
    assert answers[0].body == "A kinder answer, edited." and last_action().kind == "edit"


def test_the_edit_page_refuses_a_next_address_elsewhere(moderator, thread):
    _, answers = thread
    page = moderator.get(f"/moderation/answer/{answers[0].pk}/edit/?next=javascript:alert(1)").content.decode()
    assert "javascript:" not in page


# --- deleting: a confirmation page first ---------------------------------------------------------


def test_delete_first_shows_what_will_be_lost_with_the_reason_kept(moderator, thread):
    question, _ = thread
    response = moderator.post(f"/moderation/question/{question.pk}/delete/", {"reason": "Spam <b>link</b>"})
    html = response.content.decode()
    assert response.status_code == 200 and "What will be lost" in html
    assert "its 2 answers" in html and 'value="Spam &lt;b&gt;link&lt;/b&gt;"' in html
    assert 'name="confirm" value="yes"' in html and "button-danger" in html
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED and not ModerationAction.objects.exists()


def test_delete_keeps_the_reason_required(moderator, thread):
    question, _ = thread
    response = moderator.post(f"/moderation/question/{question.pk}/delete/", {"reason": "", "confirm": "yes"})
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_delete_with_confirmation_deletes_and_logs(kind, moderator, thread):
    from forum.questions.comment_services import comment_post

    question, answers = thread
    post = {"question": question, "answer": answers[0]}.get(kind) or comment_post(
        question=question, author=UserFactory(), by_asker=False, body="Can you say more about this?"
    )
    confirm = moderator.post(f"/moderation/{kind}/{post.pk}/delete/", {"reason": "Spam"})
    assert confirm.status_code == 200
    response = moderator.post(f"/moderation/{kind}/{post.pk}/delete/", {"reason": "Spam", "confirm": "yes"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "removed" and last_action().kind == "delete" and last_action().reason == "Spam"


# --- close as duplicate, with a search ---------------------------------------------------------------


def test_the_duplicate_page_lists_candidates_from_the_search_without_itself(moderator):
    question = make_question(title="How can I talk about kinks with my girlfriend?")
    original = make_question(title="How do I talk about kinks with a new girlfriend?")
    hidden = make_question(title="Talking about kinks with a girlfriend, hidden", status="hidden")
    page = moderator.get(f"/moderation/question/{question.pk}/duplicate/?q=kinks girlfriend").content.decode()
    assert f'value="{original.pk}"' in page
    assert f'name="duplicate_of" value="{question.pk}"' not in page
    assert f'value="{hidden.pk}"' not in page
    # With no query, the page searches for the question's own title.
    assert f'value="{original.pk}"' in moderator.get(f"/moderation/question/{question.pk}/duplicate/").content.decode()


def test_it_closes_as_a_duplicate_of_the_chosen_original(moderator):
    question = make_question(title="How can I talk about kinks with my girlfriend?")
    original = make_question(title="How do I talk about kinks with a new girlfriend?")
    response = moderator.post(f"/moderation/question/{question.pk}/duplicate/",
                              {"duplicate_of": original.pk, "reason": "Same question"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    question.refresh_from_db()
    assert question.duplicate_of_id == original.pk
    action = last_action()
    assert (action.kind, action.reason, action.details["duplicate_of"]) == (
        "close-duplicate",
        "Same question",
        original.pk,
    )


@pytest.mark.parametrize("target", ["itself", "hidden", "pending", "missing", "none"])
def test_it_refuses_a_crafted_original(target, moderator):
    question = make_question(title="How can I talk about kinks with my girlfriend?")
    originals = {
        "itself": question.pk,
        "hidden": make_question(title="A hidden question about kinks", status="hidden").pk,
        "pending": make_question(title="A pending question about kinks", status="pending").pk,
        "missing": 999999,
        "none": "",
    }
    response = moderator.post(f"/moderation/question/{question.pk}/duplicate/",
                              {"duplicate_of": originals[target], "reason": "x"})  # fmt: skip
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    question.refresh_from_db()
    assert question.duplicate_of_id is None and not ModerationAction.objects.exists()


def test_it_reopens_from_the_thread(moderator, moderator_user):
    from forum.desk import services

    question = make_question(title="How can I talk about kinks with my girlfriend?")
    original = make_question(title="How do I talk about kinks with a new girlfriend?")
    services.question_close_duplicate(moderator=moderator_user, question=question, duplicate_of=original)
    _post(moderator, f"/moderation/question/{question.pk}/reopen/", next=question.get_absolute_url())
    question.refresh_from_db()
    assert question.duplicate_of_id is None and last_action().kind == "reopen"


# --- canned reasons ----------------------------------------------------------------------------------


def test_a_picked_canned_reason_is_used_when_the_text_is_empty(moderator):
    question = make_question(status="pending", title="A question that will be turned down")
    reason = CannedReason.objects.create(label="Personal details", text="It named a real person.", use="reject")
    _post(moderator, f"/moderation/question/{question.pk}/reject/", reason="", canned=reason.pk)
    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED and question.moderation_reason == "It named a real person."
    assert last_action().reason == "It named a real person."


def test_the_typed_reason_wins_and_a_retired_canned_reason_is_ignored(moderator):
    question = make_question(status="pending", title="A question that will be turned down")
    retired = CannedReason.objects.create(label="Old", text="Old wording.", use="reject", is_active=False)
    _post(moderator, f"/moderation/question/{question.pk}/reject/", reason="", canned=retired.pk)
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING  # no reason: refused
    _post(moderator, f"/moderation/question/{question.pk}/reject/", reason="Typed", canned=retired.pk)
    question.refresh_from_db()
    assert question.moderation_reason == "Typed"


def test_the_picker_offers_only_the_reasons_that_suit_the_button(moderator, thread):
    question, _ = thread
    CannedReason.objects.create(label="Advertising", text="Ads.", use="hide")
    CannedReason.objects.create(label="Heated thread", text="Heated.", use="lock")
    CannedReason.objects.create(label="Retired one", text="Old.", use="any", is_active=False)
    html = thread_html(moderator, question)
    hide_form = re.search(rf'action="/moderation/question/{question.pk}/hide/".*?</form>', html, re.S).group(0)
    lock_form = re.search(rf'action="/moderation/question/{question.pk}/lock/".*?</form>', html, re.S).group(0)
    assert "Advertising" in hide_form and "Heated thread" not in hide_form
    assert "Heated thread" in lock_form and "Advertising" not in lock_form
    assert "Retired one" not in html
    assert html.count("js/canned.js") == 1


def test_a_clarification_has_compact_tools_on_the_thread(moderator, visitor, thread):
    from forum.answers.models import Comment
    from forum.questions.comment_services import comment_post

    question, _ = thread
    note = comment_post(question=question, author=UserFactory(), by_asker=False, body="Could you say more?")
    html = thread_html(moderator, question)
    assert f"/moderation/comment/{note.pk}/hide/" in html and f"/moderation/comment/{note.pk}/delete/" in html
    assert "/moderation/comment/" not in thread_html(visitor, question)
    _post(moderator, f"/moderation/comment/{note.pk}/hide/", reason="Off topic", next=question.get_absolute_url())
    note.refresh_from_db()
    assert note.status == Comment.Status.HIDDEN and last_action().comment_id == note.pk
