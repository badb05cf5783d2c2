"""Every desk action exists in the interface: none only as a hand-made POST.

Walks forum/desk/urls.py's urlpatterns and checks that each action is reachable from a form a
moderator sees on some page (the queue, a thread, a history page, the log, the experts and
words pages, the pages those link to). Add the button before you add the URL."""

import datetime
import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.models import ExpertProfile
from forum.answers.models import Comment
from forum.desk import services
from forum.desk.urls import urlpatterns
from forum.moderation.models import Suspension, WatchedWord
from forum.questions.comment_services import comment_post, comment_set_status
from forum.questions.models import PendingEdit, Question, Tag
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

# Pages only: they take no POST (checked below). "report" is everyone's, not the desk's.
PAGES = {"queue", "log", "experts"}
NOT_THE_DESKS = {"report"}
START = ["/moderation/", "/moderation/log/", "/moderation/experts/", "/moderation/words/"]
FORM = re.compile(r"<form\b([^>]*)>", re.S)
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.S)


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return unescape(match.group(1)) if match else None


def _name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def _world(moderator_user):
    tag = Tag.objects.order_by("pk").first()
    member = UserFactory(username="walk-member")
    held = make_question(title="A visitor's question held for review", status="pending")  # approve, reject
    Question.objects.filter(pk=held.pk).update(source_hash="a" * 64)  # a visitor's: its source can be blocked
    make_question(title="A member's question asked anonymously", author=UserFactory(), status="pending")  # reveal
    thread = make_question(title="A thread the moderators walk through", author=member, anonymous=False)
    answer = make_answer(question=thread, author=member)
    services.post_edit(moderator=moderator_user, post=thread, body="Edited by a moderator, long.", reason="r")
    services.post_edit(moderator=moderator_user, post=answer, body="Edited by a moderator, long.", reason="r")
    hidden_answer = make_answer(question=thread, author=UserFactory())
    services.post_hide(moderator=moderator_user, post=hidden_answer, reason="Unsafe")
    hidden = make_question(title="A hidden question the moderators restore", status="hidden")
    locked = make_question(title="A locked thread closed as a duplicate")
    services.question_lock(moderator=moderator_user, question=locked, reason="Heated")
    services.question_close_duplicate(moderator=moderator_user, question=locked, duplicate_of=thread)
    flagged = make_answer(question=thread, author=UserFactory())
    services.flag_create(post=flagged, reason="spam", reporter=UserFactory())
    services.flag_create(post=thread, reason="spam", reporter=UserFactory())
    note = comment_post(question=thread, author=UserFactory(), by_asker=False, body="Could you say more here?")
    services.flag_create(post=note, reason="spam", reporter=UserFactory())
    auto_hidden = comment_post(question=thread, author=UserFactory(), by_asker=False, body="Another note here?")
    services.flag_create(post=auto_hidden, reason="spam", reporter=UserFactory())
    comment_set_status(comment=auto_hidden, status=Comment.Status.HIDDEN)  # hidden by reports, still reported
    comment_post(question=thread, author=None, by_asker=True, body="The asker adds a detail.")  # held
    held_answer = make_answer(question=make_question(title="Another thread for a held answer"), author=UserFactory())
    held_answer.status = "pending"
    held_answer.save(update_fields=["status"])
    PendingEdit.objects.create(question=thread, title="A proposed new title?", body="New", body_html="")
    WatchedWord.objects.create(phrase="walkword", action="hold", created_by=moderator_user)
    # the crisis lane (its supportive note and "Mark as seen"): a visitor's question in crisis words
    make_question(title="I want to end my life and I have no one to tell", status="pending")
    make_expert(UserFactory(username="walk-expert"))
    application = ExpertProfile.objects.create(
        user=UserFactory(),
        title="Therapist",
        credentials="MA",
        licence_number="T-1",
        licence_body="Board",
        jurisdiction="Belgium",
    )
    application.areas.set([tag])
    Suspension.objects.create(user=member, ends_at=timezone.now() + datetime.timedelta(days=3), reason="Spam",
                              created_by=moderator_user)  # fmt: skip
    return [q.get_absolute_url() for q in (thread, hidden, locked)] + [
        f"/questions/{thread.pk}/history/",
        f"/answers/{answer.pk}/history/",
    ]


def _walk(client, start: list[str]) -> tuple[set[str], set[str]]:
    """(url names a moderator can POST to from a form they see, pages visited)."""
    posted, seen, todo = set(), set(), deque(start)
    while todo:
        url = todo.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        for tag in FORM.findall(html):
            if (_attr(tag, "method") or "get").lower() == "post":
                posted.add(_name(urljoin(url, _attr(tag, "action") or url)))
        for href in LINK.findall(html):
            target = urljoin(url, unescape(href)).split("#")[0]
            if urlsplit(target).netloc or not (_name(target) or "").startswith("moderation:"):
                continue
            todo.append(target)  # the desk's own pages: the duplicate search, moving topics, edit, reveal…
    return posted, seen


def test_every_desk_action_is_a_button_a_moderator_sees(revealing_moderator):
    """(A moderator with the reveal permission: revealing is the one action that needs more.)"""
    threads = _world(revealing_moderator.user)
    posted, seen = _walk(revealing_moderator, START + threads)
    actions = {f"moderation:{p.name}" for p in urlpatterns if p.name not in PAGES | NOT_THE_DESKS}
    missing = sorted(actions - posted)
    assert not missing, f"no button for {missing} on {len(seen)} pages"


def test_the_pages_left_out_take_no_post(moderator):
    for url in ("/moderation/", "/moderation/log/", "/moderation/experts/"):
        assert moderator.post(url).status_code == 405
