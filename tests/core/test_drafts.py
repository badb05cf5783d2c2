"""Nothing typed is lost when a member's session ends (forum/core/drafts.py): the text waits in the
browser's session, for the same account only, on the form's own page, once, for an hour."""

import re
from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.sessions.models import Session
from django.test import Client

from forum.answers.models import Answer, Comment
from forum.core import drafts
from forum.questions.models import Question
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    UserFactory,
    log_in,
    make_answer,
    make_question,
    totp_code_now,
)

ANSWER = "Talk about it at a calm moment, not in the middle of things; start with what you enjoy."
pytestmark = pytest.mark.django_db
MARK = re.compile(r'name="draft_owner" value="([0-9a-f]+)"')


def _mark(client, path: str) -> str:
    """The owner mark of the signed-in form on `path` (what the browser posts with it)."""
    match = MARK.search(client.get(path).content.decode())
    assert match, f"no draft_owner field on {path}"
    return match.group(1)


def _end_session():
    """The server forgets every session (expired, cleared): the browser still sends its cookie."""
    Session.objects.all().delete()


def _sign_in(client, user, next_url: str, *, code: bool = False):
    response = client.post(f"/accounts/login/?next={quote(next_url)}", {"login": user.email, "password": PASSWORD})
    if code:
        assert response["Location"].startswith("/accounts/2fa/authenticate/")
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code_now()})
    assert response.status_code == 302, response.content[:500]
    return response


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def writer(db):
    """A member's browser: signed in (a real sign-in), about to lose their session."""
    user = UserFactory()
    client = Client()
    _sign_in(client, user, "/")
    client.user = user
    return client


def test_it_keeps_an_answer_through_an_ended_session_and_puts_it_back_after_signing_in(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()

    response = writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})

    thread = f"/questions/{question.pk}/#your-answer-heading"
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + quote(thread, safe="/")
    assert not Answer.objects.exists()
    assert "we&#x27;ll put back what you wrote" in _html(writer.get(response["Location"]))
    assert _sign_in(writer, writer.user, thread)["Location"] == thread
    page = writer.get(question.get_absolute_url())
    assert ANSWER in _html(page) and "we kept what you wrote" in _html(page)
    # Shown once, then gone: not auto-posted, and not shown again.
    assert not Answer.objects.exists()
    assert ANSWER not in _html(writer.get(question.get_absolute_url()))
    assert drafts.SESSION_KEY not in writer.session


def test_it_keeps_the_draft_through_the_two_factor_step(db):
    moderator = UserFactory()
    TOTP.activate(moderator, TOTP_SECRET)
    client = log_in(Client(), moderator)  # (a code is good once: the real two steps come after)
    question = make_question()
    mark = _mark(client, question.get_absolute_url())
    _end_session()
    client.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})

    thread = f"/questions/{question.pk}/#your-answer-heading"
    assert _sign_in(client, moderator, thread, code=True)["Location"] == thread
    assert ANSWER in _html(client.get(question.get_absolute_url()))


def test_it_caps_each_field_and_keeps_only_the_allowed_ones(writer):
    question = make_question()
    mark = _mark(writer, "/questions/ask/")
    _end_session()
    data = {"title": "T" * 30_000, "body": "B" * 50, "secret": "not kept", "asker_email": "a@example.com"}
    writer.post("/questions/ask/", {**data, "draft_owner": mark})

    kept = writer.session[drafts.SESSION_KEY]["ask"]["fields"]
    assert kept == {"title": "T" * drafts.FIELD_MAX, "body": "B" * 50}
    assert not Question.objects.exclude(pk=question.pk).exists()  # not an accountless question


def test_it_keeps_at_most_a_few_drafts_per_session(writer):
    questions = [make_question(title=f"How do I ask my partner about thing {n}?") for n in range(drafts.DRAFTS_MAX + 2)]
    mark = _mark(writer, questions[0].get_absolute_url())
    _end_session()
    for question in questions:
        writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})
    kept = writer.session[drafts.SESSION_KEY]
    assert len(kept) == drafts.DRAFTS_MAX and f"answer:q{questions[-1].pk}" in kept


def test_it_drops_a_draft_older_than_an_hour(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})
    session = writer.session
    session[drafts.SESSION_KEY][f"answer:q{question.pk}"]["at"] -= drafts.KEEP_SECONDS + 1
    session.save()

    _sign_in(writer, writer.user, question.get_absolute_url())
    assert ANSWER not in _html(writer.get(question.get_absolute_url()))


def test_it_never_shows_a_draft_to_another_account_signing_in_in_the_same_browser(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})

    someone_else = UserFactory()
    _sign_in(writer, someone_else, question.get_absolute_url())
    assert ANSWER not in _html(writer.get(question.get_absolute_url()))
    assert drafts.SESSION_KEY not in writer.session  # dropped at their sign-in


def test_it_never_shows_a_draft_to_a_visitor_and_keeps_it_for_the_sign_in(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})

    assert ANSWER not in _html(writer.get(question.get_absolute_url()))  # still signed out
    _sign_in(writer, writer.user, question.get_absolute_url())
    assert ANSWER in _html(writer.get(question.get_absolute_url()))


def test_it_forgets_the_drafts_when_the_member_signs_out(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})
    _sign_in(writer, writer.user, "/")
    writer.post("/accounts/logout/")
    _sign_in(writer, writer.user, "/")
    assert ANSWER not in _html(writer.get(question.get_absolute_url()))


def test_it_shows_a_draft_only_on_its_own_page(writer):
    question, other = make_question(), make_question(title="Is it normal to feel shy about this?")
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    writer.post(f"/questions/{question.pk}/answer/", {"body": ANSWER, "draft_owner": mark})
    _sign_in(writer, writer.user, "/")
    assert ANSWER not in _html(writer.get(other.get_absolute_url()))
    assert ANSWER not in _html(writer.get("/questions/ask/"))
    assert ANSWER in _html(writer.get(question.get_absolute_url()))


def test_it_keeps_nothing_from_a_post_without_the_mark_but_still_lands_on_the_thread(visitor):
    question = make_question()
    response = visitor.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    assert response["Location"] == "/accounts/login/?next=" + quote(f"/questions/{question.pk}/#your-answer-heading")
    assert drafts.SESSION_KEY not in visitor.session


@pytest.mark.parametrize("on", ["question", "answer"])
def test_it_keeps_a_clarification_through_an_ended_session(writer, on):
    question = make_question()
    answer = make_answer(question=question, author=UserFactory())
    post, kind = (question, "questions") if on == "question" else (answer, "answers")
    listing = f"/{kind}/{post.pk}/clarifications/"
    mark = _mark(writer, listing)
    _end_session()
    text = "Do you mean before or after the appointment?"

    response = writer.post(f"/{kind}/{post.pk}/comment/", {"body": text, "draft_owner": mark})

    assert response["Location"] == "/accounts/login/?next=" + quote(f"{listing}#clarification-form-heading")
    assert not Comment.objects.exists()
    _sign_in(writer, writer.user, listing)
    page = _html(writer.get(listing))
    assert text in page and "we kept what you wrote" in page


def test_it_still_lets_the_asker_clarify_without_an_account(visitor):
    question = make_question()
    text = "I meant after the appointment, sorry."
    response = visitor.post(f"/questions/{question.pk}/comment/", {"body": text, "key": question.key})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    assert Comment.objects.filter(question=question, by_asker=True).exists()


def test_it_keeps_a_members_question_edit_through_an_ended_session(writer):
    question = make_question(author=writer.user)
    edit = f"/questions/{question.pk}/edit/"
    mark = _mark(writer, edit)
    _end_session()
    title, body = "How do I talk to my partner about this, kindly?", "New details I spent a while writing out."

    response = writer.post(edit, {"title": title, "body": body, "draft_owner": mark})

    assert response["Location"] == "/accounts/login/?next=" + quote(edit)
    _sign_in(writer, writer.user, edit)
    page = _html(writer.get(edit))
    assert title in page and body in page
    question.refresh_from_db()
    assert question.title != title  # nothing saved until they post it themselves


def test_it_keeps_an_answer_edit_through_an_ended_session(writer):
    answer = make_answer(question=make_question(), author=writer.user)
    edit = f"/answers/{answer.pk}/edit/"
    mark = _mark(writer, edit)
    _end_session()
    body = ANSWER + " And listen as much as you talk."

    assert writer.post(edit, {"body": body, "draft_owner": mark})["Location"] == "/accounts/login/?next=" + quote(edit)
    _sign_in(writer, writer.user, edit)
    assert body in _html(writer.get(edit))
    answer.refresh_from_db()
    assert answer.body != body


def test_it_does_not_turn_a_members_question_into_an_accountless_one(writer):
    mark = _mark(writer, "/questions/ask/")
    _end_session()
    title, body = "Is it normal to feel nervous before a first time?", "I have been worried for weeks about this."

    response = writer.post("/questions/ask/", {"title": title, "body": body, "draft_owner": mark, "form_token": "x"})

    assert response["Location"] == "/accounts/login/?next=" + quote("/questions/ask/")
    assert not Question.objects.exists()
    _sign_in(writer, writer.user, "/questions/ask/")
    page = _html(writer.get("/questions/ask/"))
    assert title in page and body in page and "we kept what you wrote" in page


def test_it_still_lets_a_visitor_ask_without_an_account(visitor):
    page = _html(visitor.get("/questions/ask/"))
    assert "draft_owner" not in page
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    tag = re.search(r'name="tags" value="(\d+)"', page).group(1)
    title, body = "Is it normal to feel nervous before a first time?", "I have been worried for weeks about this."
    response = visitor.post("/questions/ask/", {"title": title, "body": body, "tags": [tag], "form_token": token})
    assert response.status_code == 302 and "/questions/key/" in response["Location"]


@pytest.mark.parametrize(
    ("action", "landing"),
    [
        ("/questions/{q}/vote/", "/questions/{q}/"),
        ("/answers/{a}/vote/", "/answers/{a}/"),
        ("/questions/{q}/follow/", "/questions/{q}/"),
        ("/questions/{q}/unfollow/", "/questions/{q}/"),
    ],
)
def test_it_sends_a_signed_out_click_to_sign_in_and_back_to_the_thread(visitor, action, landing):
    question = make_question()
    answer = make_answer(question=question, author=UserFactory())
    response = visitor.post(action.format(q=question.pk, a=answer.pk), {"value": "1"})
    assert response["Location"] == "/accounts/login/?next=" + quote(landing.format(q=question.pk, a=answer.pk))


def test_it_marks_a_members_forms_without_naming_them(writer, visitor):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    assert mark == drafts.owner_mark(writer.user) and str(writer.user.pk) != mark
    assert drafts.owner_mark(UserFactory()) != mark
    assert "draft_owner" not in _html(visitor.get(question.get_absolute_url()))


def test_it_puts_back_markup_as_text(writer):
    question = make_question()
    mark = _mark(writer, question.get_absolute_url())
    _end_session()
    body = ANSWER + ' <script>alert(1)</script><img src=x onerror="alert(2)">'
    writer.post(f"/questions/{question.pk}/answer/", {"body": body, "draft_owner": mark})
    _sign_in(writer, writer.user, "/")
    page = _html(writer.get(question.get_absolute_url()))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'onerror="alert(2)"' not in page


def test_it_tells_a_script_that_the_member_is_signed_out(visitor):
    question = make_question()
    response = visitor.post(f"/questions/{question.pk}/vote/", {"value": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json() == {
        "error": drafts.SIGNED_OUT_ERROR,
        "sign_in": "/accounts/login/?next=" + quote(f"/questions/{question.pk}/"),
    }


def test_it_sends_a_signed_out_delete_of_a_clarification_to_sign_in_and_back_to_its_list(visitor):
    question = make_question()
    comment = Comment.objects.create(question=question, author=UserFactory(), body="Which day?", body_html="Which day?")
    response = visitor.post(f"/comments/{comment.pk}/delete/")
    assert response["Location"] == "/accounts/login/?next=" + quote(f"/questions/{question.pk}/clarifications/")
    assert visitor.post("/comments/999999/delete/")["Location"] == "/accounts/login/?next=/"
    comment.status = Comment.Status.HIDDEN
    comment.save(update_fields=["status"])
    assert visitor.post(f"/comments/{comment.pk}/delete/")["Location"] == "/accounts/login/?next=/"
