"""A moderator without the reveal permission learns nothing about who wrote an anonymous
question from anything the desk does or shows.

Two anonymous questions with the same words, one by an ordinary member and one by someone
whose account differs in a way a curious moderator might probe for (another moderator, an
expert, someone already suspended, a brand-new account, the moderator themselves). Every desk
action is tried on both, in the same order; every answer — status, where it leads, the message,
the pages it shows, the log lines — must read the same once the question numbers are set aside.
"""

import datetime
import re

import pytest
from django.utils import timezone

from forum.answers.models import Comment
from forum.desk import services
from forum.moderation.models import Suspension, WatchedWord
from forum.questions.comment_services import comment_post
from tests.conftest import _moderator
from tests.factories import UserFactory, make_expert, make_question

pytestmark = pytest.mark.django_db

TITLE = "Is it wrong that I fantasise about someone else?"
BODY = "I love my partner and I feel guilty about it. Does it mean something is wrong with us?"
REASON = {"reason": "Checking the desk", "next": "/moderation/"}


def _ask(author):
    return make_question(author=author, anonymous=True, title=TITLE, body=BODY)


def _another_moderator(moderator_user):
    return _ask(_moderator("mod-other"))


def _an_expert(moderator_user):
    return _ask(make_expert(UserFactory()))


def _suspended_by_name(moderator_user):
    question = _ask(UserFactory())
    services.user_suspend(moderator=moderator_user, user=question.author, days=30, reason="Spam links")
    return question


def _brand_new_account(moderator_user):
    return _ask(UserFactory(date_joined=timezone.now()))


def _has_named_posts(moderator_user):
    user = UserFactory()
    make_question(author=user, anonymous=False, title="How do we keep dating after the kids came?")
    return _ask(user)


def _the_acting_moderator(moderator_user):
    return _ask(moderator_user)


HIDDEN_AUTHORS = [
    _another_moderator,
    _an_expert,
    _suspended_by_name,
    _brand_new_account,
    _has_named_posts,
    _the_acting_moderator,
]


def _normalised(text: str, question) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(rf"(?<=[/#\-q]){question.pk}\b", "N", text)
    return re.sub(r"\b\d+ (seconds?|minutes?)\b", "a moment", text)


def _messages(html: str) -> list[str]:
    return re.findall(r'<p class="message[^"]*">(.*?)</p>', html, flags=re.S)


def _answer(client, method: str, url: str, question, data=None) -> tuple:
    """What the moderator sees: status, where it leads, the flash messages or the page itself."""
    response = client.post(url, data or {}, follow=True) if method == "POST" else client.get(url)
    html = response.content.decode()
    redirects = [_normalised(target, question) for target, _ in getattr(response, "redirect_chain", [])]
    shown = _messages(html) if redirects else [html[html.index("<main") :]]
    return response.status_code, redirects, [_normalised(text, question) for text in shown]


def _queue_item(html: str, question) -> str:
    match = re.search(rf'<article class="card mod-item" aria-labelledby="mq-{question.pk}">.*?</article>', html, re.S)
    assert match, "the question is listed in the queue"
    return _normalised(match.group(0), question)


def _log_lines(html: str, question) -> list[str]:
    rows = re.findall(r"<tr[^>]*>\s*<td[^>]*><time.*?</tr>", html, flags=re.S)
    return [
        _normalised(re.sub(r"<time[^>]*>.*?</time>", "", row), question) for row in rows if f"#{question.pk}" in row
    ]


def _desk_actions(original) -> list[tuple[str, str, dict | None]]:
    """(method, url with {pk}, data) for every desk action and page about one question."""
    return [
        ("GET", "/moderation/question/{pk}/reveal/", None),
        ("POST", "/moderation/question/{pk}/reveal/", REASON),
        ("POST", "/moderation/question/{pk}/suspend-author/", {**REASON, "days": 3}),
        ("POST", "/moderation/question/{pk}/suspend-author/", {**REASON, "days": 3}),  # again
        ("POST", "/moderation/question/{pk}/unsuspend-author/", REASON),
        ("POST", "/moderation/question/{pk}/unsuspend-author/", REASON),  # nothing left to lift
        ("POST", "/moderation/question/{pk}/suspend-author/", {**REASON, "days": 0}),  # refused
        ("POST", "/moderation/question/{pk}/block/", {**REASON, "hours": 24}),
        ("POST", "/moderation/question/{pk}/approve/", REASON),
        ("POST", "/moderation/question/{pk}/reject/", REASON),
        ("POST", "/moderation/question/{pk}/dismiss/", REASON),
        ("POST", "/moderation/question/{pk}/lock/", REASON),
        ("POST", "/moderation/question/{pk}/unlock/", REASON),
        ("POST", "/moderation/question/{pk}/duplicate/", {**REASON, "duplicate_of": original.pk}),
        ("POST", "/moderation/question/{pk}/reopen/", REASON),
        ("GET", "/moderation/question/{pk}/edit/", None),
        ("POST", "/moderation/question/{pk}/edit/", {**REASON, "title": TITLE, "body": BODY + " (edited)"}),
        ("POST", "/moderation/question/{pk}/hide/", REASON),
        ("POST", "/moderation/question/{pk}/restore/", REASON),
        ("POST", "/moderation/question/{pk}/delete/", REASON),  # the confirmation page
        ("GET", "/moderation/question/{pk}/duplicate/?q=zzqxj", None),  # (candidates differ: each is the other's)
        ("GET", "/moderation/question/{pk}/topics/", None),
        ("POST", "/moderation/question/{pk}/delete/", {**REASON, "confirm": "yes"}),
    ]


@pytest.mark.parametrize("other_author", HIDDEN_AUTHORS, ids=lambda f: f.__name__.strip("_"))
def test_it_answers_every_desk_action_the_same_whoever_the_hidden_author_is(other_author, moderator, moderator_user):
    original = make_question(title="How do I talk about fantasies with my partner?", anonymous=False,
                             author=UserFactory())  # fmt: skip
    plain = _ask(UserFactory())
    other = other_author(moderator_user)
    for question in (plain, other):
        services.flag_create(post=question, reason="spam", reporter=UserFactory())  # both in the queue

    queue = moderator.get("/moderation/").content.decode()
    assert _queue_item(queue, plain) == _queue_item(queue, other)
    first_posts = queue.split('id="first-heading"')[1]
    assert not any(f"/questions/{q.pk}/" in first_posts for q in (plain, other))

    for method, url, data in _desk_actions(original):
        answers = [_answer(moderator, method, url.format(pk=q.pk), q, data) for q in (plain, other)]
        assert answers[0] == answers[1], f"{method} {url} tells the two authors apart"

    log = moderator.get("/moderation/log/").content.decode()
    plain_lines, other_lines = _log_lines(log, plain), _log_lines(log, other)
    assert len(plain_lines) >= 10 and plain_lines == other_lines
    about_it = "".join(other_lines)
    if other.author != moderator_user:  # the acting moderator's own name is in the "Who" column
        assert other.author.username not in about_it and other.author.email not in about_it


def test_it_suspends_a_hidden_author_whoever_they_are_and_lifts_only_through_the_question(moderator, moderator_user):
    question = _another_moderator(moderator_user)
    hidden = question.author
    moderator.post(f"/moderation/question/{question.pk}/suspend-author/", {**REASON, "days": 3}, follow=True)
    suspension = Suspension.objects.get(user=hidden)
    assert suspension.question == question and suspension.ends_at > timezone.now() + datetime.timedelta(days=2)
    # Probing accounts by name can't find whom the anonymous route suspended.
    for user in (hidden, UserFactory()):
        response = moderator.post(f"/moderation/users/{user.pk}/unsuspend/", REASON, follow=True)
        assert _messages(response.content.decode()) == ["This member is not suspended by name: nothing to lift."]
    assert Suspension.objects.get(user=hidden).lifted_at is None
    moderator.post(f"/moderation/question/{question.pk}/unsuspend-author/", REASON)
    assert Suspension.objects.get(user=hidden).lifted_at is not None


def test_it_never_lists_an_anonymous_question_as_a_new_members_first_post(moderator):
    newcomer = UserFactory(date_joined=timezone.now())
    make_question(author=newcomer, anonymous=True, title="Is it normal to be nervous the first time?")
    assert (
        "Is it normal to be nervous"
        not in moderator.get("/moderation/").content.decode().split('id="first-heading"')[1]
    )
    named = make_question(author=newcomer, anonymous=False, title="How do I find a sex-positive therapist nearby?")
    first_posts = moderator.get("/moderation/").content.decode().split('id="first-heading"')[1]
    assert named.title in first_posts  # the anonymous question did not count as an earlier post


def test_it_suspends_from_the_reveal_page_through_the_question_so_the_log_names_no_one(revealing_moderator, moderator):
    question = _another_moderator(revealing_moderator.user)
    page = revealing_moderator.post(f"/moderation/question/{question.pk}/reveal/", REASON).content.decode()
    assert question.author.username in page  # the audited reveal names the account
    assert f"/moderation/question/{question.pk}/suspend-author/" in page
    assert f"/moderation/users/{question.author_id}/suspend/" not in page
    revealing_moderator.post(f"/moderation/question/{question.pk}/suspend-author/", {**REASON, "days": 3})
    log = moderator.get("/moderation/log/").content.decode()
    assert question.author.username not in log[log.index("<tbody>") :]


def _comment_item(html: str, comment) -> str:
    match = re.search(rf'<article class="card mod-item" aria-labelledby="mc-{comment.pk}">.*?</article>', html, re.S)
    assert match, "the clarification is listed in the queue"
    return _normalised_comment(match.group(0), comment)


def _normalised_comment(text: str, comment) -> str:
    text = re.sub(rf"(?<=[/#\-c]){comment.pk}\b", "C", text)  # first: its number may be a question's too
    return _normalised(text, comment.question)


@pytest.mark.parametrize("other_author", HIDDEN_AUTHORS, ids=lambda f: f.__name__.strip("_"))
def test_it_treats_the_hidden_askers_clarifications_the_same_whoever_they_are(other_author, moderator, moderator_user):
    """The asker's clarification under their anonymous question: the same queue item, the same
    answers to every action on it, the same log lines — an expert who asked gets no badge either."""
    WatchedWord.objects.create(phrase="telegram", action=WatchedWord.Action.HOLD)
    comments = []
    for question in (_ask(UserFactory()), other_author(moderator_user)):
        Suspension.objects.filter(user=question.author).delete()  # posting needs an unsuspended asker
        comment = comment_post(question=question, author=question.author, by_asker=False,
                               body="To add: can we talk on telegram?")  # fmt: skip
        assert comment.by_asker and not comment.by_expert and comment.status == Comment.Status.PENDING
        services.flag_create(post=comment, reason="spam", reporter=UserFactory())
        comments.append(comment)

    queue = moderator.get("/moderation/").content.decode()
    assert _comment_item(queue, comments[0]) == _comment_item(queue, comments[1])
    for action in ("approve", "dismiss", "hide", "restore", "hide", "delete", "delete"):
        answers = []
        for comment in comments:
            data = {**REASON, "confirm": "yes"} if action == "delete" else REASON  # past the confirmation
            response = moderator.post(f"/moderation/comment/{comment.pk}/{action}/", data, follow=True)
            answers.append((response.status_code, [_normalised_comment(m, comment) for m in _messages(
                response.content.decode())]))  # fmt: skip
        assert answers[0] == answers[1], f"{action} tells the two askers apart"
    log = moderator.get("/moderation/log/").content.decode()
    lines = [
        [_normalised_comment(re.sub(r"<time[^>]*>.*?</time>", "", row), c)
         for row in re.findall(r"<tr[^>]*>\s*<td[^>]*><time.*?</tr>", log, flags=re.S)
         if re.search(rf"clarification #{c.pk}\b", row)]
        for c in comments
    ]  # fmt: skip
    assert len(lines[0]) == 6 and lines[0] == lines[1]
