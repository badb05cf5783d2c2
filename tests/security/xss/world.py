"""One world: every value of a group in every field, typed through the services as a person would, and
every page, feed and email that shows them.

FIELD_PAGES says which page kinds show each field; the baseline world (built from `harmless` values)
checks that each field's value really is on each of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase

from accounts.models import User
from forum.answers.models import COMMENT_MAX, Answer
from forum.desk.crisis_services import support_note_write
from forum.desk.services import flag_create, post_edit, post_hide, question_reject
from forum.moderation.models import CrisisResource
from forum.people.services import expert_apply, expert_verify
from forum.questions.answer_services import answer_post
from forum.questions.comment_services import comment_post
from forum.questions.models import SUPPORT_NOTE_MAX, Question, Tag
from forum.questions.revision_services import answer_edit
from tests.factories import UserFactory, log_in, make_question
from tests.questions.test_sanitizer import danger_signature
from tests.security.xss.checker import text_of
from tests.security.xss.corpus import GROUP_SIZE

INTRO = "Some harmless words first, long enough for the form.\n\n"
ANSWER_INTRO = "A careful answer with enough words.\n\n"
MARK = "Quokka"  # in every title of a world: what /search/?q= looks for
ADDED = "\n\nA line added by the edit."

# field -> the page kinds that show it (checked on the baseline world: the harmless value is visible there)
FIELD_PAGES = {
    "title": ["home", "list", "search results", "rss", "atom", "thread", "key page (rejected)", "key page (hidden)",
              "tag page", "topic feed", "profile", "moderation queue (pending)", "moderation queue", "history",
              "notifications", "my questions", "following", "my answers", "delete question page",
              "delete answer page"],
    "body": ["thread", "key page (rejected)", "key page (hidden)", "search results", "rss", "atom",
             "moderation queue (pending)", "history"],
    # A moderator's edit of a question (title, body, reason) and an expert's edit of their answer: the
    # versions and the differences between them on the posts' history pages.
    "edit_title": ["history"],
    "edit_body": ["history"],
    "edit_reason": ["history", "moderation log"],
    "answer_edit": ["answer history"],
    "answer": ["thread", "moderation queue"],
    "topic": ["tag page", "topics", "topic feed"],
    "expert_title": ["experts", "profile", "thread", "moderation experts (pending)", "moderation experts (verified)"],
    "credentials": ["profile", "moderation experts (pending)"],
    "bio": ["profile", "experts"],
    "note": ["moderation queue"],
    "comment": ["thread", "clarifications", "moderation queue"],
    "asker_comment": ["thread", "answer clarifications"],
    "reject_reason": ["key page (rejected)", "moderation log", "notifications", "my questions"],
    "hide_reason": ["key page (hidden)", "moderation log"],
    # A moderator's supportive note: on the visitor's private page, in the member asker's notices.
    "support_note": ["key page (hidden)", "notifications"],
    # Crisis resources, typed by moderators in the admin: every one is listed on /help/.
    "crisis_name": ["help lines"],
    "crisis_description": ["help lines"],
    "crisis_contact": ["help lines"],
}  # fmt: skip
# Outgoing email (a new answer or clarification on a member's question) is checked too; it must show none of these.
EMAIL_FIELDS = ("title", "body", "answer", "comment")
PER_ITEM_PAGES = {"thread", "key page (rejected)", "key page (hidden)", "tag page", "topic feed", "profile",
                  "history", "answer history", "clarifications", "answer clarifications", "my answers",
                  "delete question page", "delete answer page"}  # fmt: skip
FEEDS = {"rss", "atom", "topic feed"}


@dataclass
class Item:
    tag: Tag
    expert: User
    question: Question | None = None  # asked by a member as Anonymous: its answer sends an email
    rejected: Question | None = None  # asked by a visitor: has a key page
    hidden: Question | None = None  # asked by a visitor: has a key page
    edited: Question | None = None  # asked by a visitor, edited by a moderator, answered and the answer edited
    edited_answer: Answer | None = None
    answer: Answer | None = None  # the expert's answer to `question`, with the asker's clarification


@dataclass
class World:
    items: list[Item] = field(default_factory=list)
    pages: dict[tuple[str, int | None], str] = field(default_factory=dict)  # (kind, item index or None) -> body
    emails: list = field(default_factory=list)


_serial = iter(range(10**9))


def title_for(i: int, value: str) -> str:
    return f"{MARK} {i} asks {value}"[:150]


def build_world(value: Callable[[str, int], str], size: int, moderator) -> World:
    """Everything a person can type, filled with value(field, i), through the services; then every page."""
    world = World()
    visitor, staff = Client(), Client()
    log_in(staff, moderator)
    reporter, asker = UserFactory(password=None), UserFactory(password=None)
    n = next(_serial)
    applications = []
    for i in range(size):
        tag = Tag(name=f"Topic {n}-{i}", slug=f"topic-{n}-{i}", description=value("topic", i)[:300])
        tag.full_clean()  # as the admin form would
        tag.save()
        expert = UserFactory(password=None)
        applications.append(
            expert_apply(
                user=expert,
                title=value("expert_title", i)[:80],
                credentials=value("credentials", i)[:2000],
                licence_number="SX-1",
                licence_body="Board of Sexology",
                jurisdiction="Netherlands",
                bio=(INTRO + value("bio", i))[:2000],
                areas=[tag],
            )
        )
        world.items.append(Item(tag=tag, expert=expert))
    world.pages["moderation experts (pending)", None] = get(staff, "/moderation/experts/")
    for item, profile in zip(world.items, applications, strict=True):
        expert_verify(moderator=moderator, profile=profile)
        Authenticator.objects.create(user=item.expert, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    outbox = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the new-answer emails go out
        for i, item in enumerate(world.items):  # first, so the lists' newest are the questions below
            title, body = title_for(i, value("title", i)), INTRO + value("body", i)
            item.edited = make_question(title=title, body=body, tags=[item.tag])
            post_edit(moderator=moderator, post=item.edited, title=title_for(i, value("edit_title", i)),
                      body=INTRO + value("edit_body", i) + ADDED, reason=value("edit_reason", i))  # fmt: skip
            item.edited_answer = answer_post(question=item.edited, author=item.expert,
                                             body=ANSWER_INTRO + value("answer", i))  # fmt: skip
            answer_edit(answer=item.edited_answer, editor=item.expert,
                        body=ANSWER_INTRO + value("answer_edit", i) + ADDED)  # fmt: skip
        for i, item in enumerate(world.items):
            title, body = title_for(i, value("title", i)), INTRO + value("body", i)
            item.question = make_question(author=asker, title=title, body=body, tags=[item.tag])
            answer = answer_post(question=item.question, author=item.expert, body=ANSWER_INTRO + value("answer", i))
            flag_create(post=answer, reason="other", note=value("note", i), reporter=reporter)
            comment = comment_post(question=item.question, author=reporter, by_asker=False,
                                   body=value("comment", i)[:COMMENT_MAX])  # fmt: skip
            flag_create(post=comment, reason="spam", reporter=asker)
            comment_post(question=item.question, answer=answer, author=asker, by_asker=True,
                         body=value("asker_comment", i)[:COMMENT_MAX])  # fmt: skip
            item.answer = answer
            item.rejected = make_question(title=title, body=body, tags=[item.tag], status="pending")
            item.hidden = make_question(title=title, body=body, tags=[item.tag])
            post_hide(moderator=moderator, post=item.hidden, reason=value("hide_reason", i))
    world.emails = mail.outbox[outbox:]
    world.pages["moderation queue (pending)", None] = get(staff, "/moderation/")
    for i, item in enumerate(world.items):
        question_reject(moderator=moderator, question=item.rejected, reason=value("reject_reason", i))
        # The member's own question turned down: the reason shows in their notices and their space.
        mine = make_question(author=asker, title=item.question.title, body=INTRO, tags=[item.tag], status="pending")
        question_reject(moderator=moderator, question=mine, reason=value("reject_reason", i))

    for i in range(size):  # as the admin's form saves them (full_clean, then save)
        resource = CrisisResource(name=value("crisis_name", i)[:100], description=value("crisis_description", i)[:300],
                                  contact=value("crisis_contact", i)[:100], language="es", country="MX")  # fmt: skip
        resource.full_clean()
        resource.save()
    world.pages["help lines", None] = get(visitor, "/help/")
    for kind, url in [("home", "/"), ("list", "/questions/"), ("topics", "/tags/"), ("experts", "/experts/"),
                      ("search results", f"/search/?q={MARK}"), ("rss", "/feeds/latest/"),
                      ("atom", "/feeds/latest/atom/")]:  # fmt: skip
        world.pages[kind, None] = get(visitor, url)
    for kind, url in [("moderation experts (verified)", "/moderation/experts/"), ("moderation queue", "/moderation/"),
                      ("moderation log", "/moderation/log/")]:  # fmt: skip
        world.pages[kind, None] = get(staff, url)
    for i, item in enumerate(world.items):  # after the log page, whose first page shows the entries above
        note = (INTRO + value("support_note", i))[:SUPPORT_NOTE_MAX]
        support_note_write(moderator=moderator, question=item.hidden, body=note)
        support_note_write(moderator=moderator, question=item.question, body=note)
    for i, item in enumerate(world.items):
        world.pages["thread", i] = get(visitor, item.question.get_absolute_url())
        world.pages["clarifications", i] = get(visitor, f"/questions/{item.question.pk}/clarifications/")
        world.pages["answer clarifications", i] = get(visitor, f"/answers/{item.answer.pk}/clarifications/")
        world.pages["key page (rejected)", i] = get(visitor, f"/questions/key/{item.rejected.key}/")
        world.pages["key page (hidden)", i] = get(visitor, f"/questions/key/{item.hidden.key}/")
        world.pages["tag page", i] = get(visitor, item.tag.get_absolute_url())
        world.pages["topic feed", i] = get(visitor, f"/feeds/tags/{item.tag.slug}/")
        world.pages["profile", i] = get(visitor, f"/users/{item.expert.username}/")
        world.pages["history", i] = get(visitor, f"/questions/{item.edited.pk}/history/")
        world.pages["answer history", i] = get(visitor, f"/answers/{item.edited_answer.pk}/history/")
        world.pages["my answers", i] = get(log_in(Client(), item.expert), "/me/answers/")
        # Deleting asks first, showing the title: the asker's page (a POST with the key) and the author's.
        world.pages["delete question page", i] = post(visitor, f"/questions/{item.rejected.pk}/delete/",
                                                      {"key": item.rejected.key})  # fmt: skip
        world.pages["delete answer page", i] = get(log_in(Client(), item.expert), f"/answers/{item.answer.pk}/delete/")
    # The asker's own space: their notices (each expert's answer), their questions, the threads they follow.
    own = log_in(Client(), asker)
    for kind, url in [("notifications", "/notifications/"), ("my questions", "/me/questions/"),
                      ("following", "/me/following/")]:  # fmt: skip
        world.pages[kind, None] = get(own, url)
    return world


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def post(client: Client, url: str, data: dict) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def harmless(field_name: str, i: int) -> str:
    return f"plain{field_name.replace('_', '')}{i}z"


def post_signup(client: Client, username: str, n: int):
    password = "a long enough passphrase 42"
    return client.post(
        "/accounts/signup/",
        {"email": f"signup{n}@example.com", "username": username, "password1": password, "password2": password},
    )


_baseline: dict[str, World] = {}


def build_baseline(moderator_user) -> World:
    """The world built from harmless values, once per run; built in a savepoint that is rolled back."""
    if "world" not in _baseline:
        with transaction.atomic():
            world = build_world(harmless, GROUP_SIZE, moderator_user)
            transaction.set_rollback(True)
        # Each field's harmless value really is on each page said to show it.
        texts = {key: text_of(page) for key, page in world.pages.items()}
        for field_name, kinds in FIELD_PAGES.items():
            for kind in kinds:
                for i in range(GROUP_SIZE):
                    page = texts[kind, i if kind in PER_ITEM_PAGES else None]
                    assert harmless(field_name, i) in page, (field_name, kind, i)
        # Pages of one kind are alike: one baseline per kind will do.
        for (kind, i), page in world.pages.items():
            if i and kind not in FEEDS:
                assert danger_signature(page) == danger_signature(world.pages[kind, 0]), kind
        _baseline["world"] = world
    return _baseline["world"]
