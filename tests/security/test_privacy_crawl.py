"""Promise 1, by crawling: a member who asks "as Anonymous" is named nowhere a reader can go.

A member with a distinctive display name and email asks through the real ask form, ticking
"Show me as Anonymous". Others answer (one of them a verified expert), the question is voted on,
accepted and reported; the asker adds clarifications under the question and under answers (one
reported, one held by a watched word and approved at the desk, one still waiting there).
Then a visitor, another member and an ordinary moderator (no reveal permission) crawl every
same-site link from "/", and we fetch the feeds, sitemap, search, the similar-questions JSON,
the thread's JSON-LD, the asker's own notifications and every email sent.
A verified expert who gets new questions in the topic at once and follows the thread (emails on)
crawls too: their notifications, their own space (/me/) and every email they got name no asker.
"""

import html
import json
import re
from collections import deque
from urllib.parse import unquote, urlsplit

import pytest
from django.core import mail
from django.test import Client

from forum.answers.models import Comment
from forum.desk import services as desk
from forum.desk.comment_services import comment_approve
from forum.desk.crisis_services import support_note_write
from forum.moderation.models import WatchedWord
from forum.questions.preferences import preferences_set
from forum.questions.selectors import SORTS
from tests.factories import UserFactory, make_expert

pytestmark = pytest.mark.django_db

NAME = "zanzibar-quokka-7"
EMAIL = "zanzibar.quokka@example.net"
SECRETS = (NAME, EMAIL, EMAIL.split("@")[0])
TITLE = "Why did she cry after we had sex for the first time?"
BODY = "It was gentle and we both wanted it, but afterwards she cried for a while. What does that mean?"

MAX_PAGES = 300
SKIP = (
    re.compile(r"^/accounts/logout/"),
    re.compile(r"^/admin/"),
    re.compile(r"^/static/"),
    re.compile(r"^/markdownx/"),
    re.compile(r"^/moderation/question/\d+/reveal/"),
)
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
JSONLD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.DOTALL)
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)


def _leaks(text: str) -> list[str]:
    """Which secrets appear in `text`, as written, HTML-unescaped or URL-decoded (case-insensitive)."""
    variants = (text, html.unescape(text), unquote(text), unquote(html.unescape(text)))
    haystack = "\n".join(variants).lower()
    return [secret for secret in SECRETS if secret.lower() in haystack]


@pytest.fixture
def scene(django_capture_on_commit_callbacks, moderator_user):
    from forum.questions.models import Question, Tag

    tag = Tag.objects.order_by("pk").first()
    asker = UserFactory(username=NAME, email=EMAIL)
    asker_client = Client()
    asker_client.force_login(asker)
    # An expert told of new questions in the topic at once, who will follow the thread, emails on.
    watcher = make_expert(UserFactory(username="keen-watcher"))
    watcher.expert_profile.areas.set([tag])
    preferences_set(user_id=watcher.pk, expert_questions="at_once", followed_email=True)

    # Ask through the real form, ticking "Show me as Anonymous".
    form = asker_client.get("/questions/ask/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    with django_capture_on_commit_callbacks(execute=True):  # the expert's email goes out
        response = asker_client.post(
            "/questions/ask/",
            {"title": TITLE, "body": BODY, "tags": [tag.pk], "form_token": token, "show_anonymous": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(title=TITLE)
    assert question.is_anonymous and question.author == asker and question.is_published
    watcher_client = Client()
    watcher_client.force_login(watcher)
    assert watcher_client.post(f"/questions/{question.pk}/follow/").status_code == 302

    # Others answer (emails to the asker are sent after commit), vote, report.
    answerers = [UserFactory(username="warm-heron"), UserFactory(username="calm-otter")]
    expert = make_expert(UserFactory(username="dr-lindqvist"))
    clients = {}
    for user in [*answerers, expert]:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
        body = f"An answer from {user.username}: crying after sex is common and is called postcoital dysphoria."
        with django_capture_on_commit_callbacks(execute=True):
            response = clients[user.username].post(f"/questions/{question.pk}/answer/", {"body": body})
        assert response.status_code == 302, response.content.decode()[:2000]
    answers = list(question.answers.order_by("pk"))
    assert len(answers) == 3

    assert clients["warm-heron"].post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 302
    assert clients["calm-otter"].post(f"/answers/{answers[2].pk}/vote/", {"value": 1}).status_code == 302
    assert asker_client.post(f"/answers/{answers[2].pk}/vote/", {"value": 1}).status_code == 302
    assert asker_client.post(f"/answers/{answers[2].pk}/accept/").status_code == 302
    assert Client().post(f"/report/question/{question.pk}/", {"reason": "spam"}).status_code == 302
    assert clients["calm-otter"].post(f"/report/answer/{answers[0].pk}/", {"reason": "unsafe"}).status_code == 302

    # Edits keep a history: the asker edits through the form, an answerer edits their answer, a
    # moderator edits the question; the thread links each history ("edited").
    response = asker_client.post(f"/questions/{question.pk}/edit/", {"title": TITLE, "body": BODY + " Edited.",
                                                                     "tags": [tag.pk]})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    edited = "An answer from warm-heron, edited: crying after sex is common (postcoital dysphoria)."
    assert clients["warm-heron"].post(f"/answers/{answers[0].pk}/edit/", {"body": edited}).status_code == 302
    desk.post_edit(moderator=moderator_user, post=question, body=BODY + " Edited by a moderator.", reason="Typo")
    # The asker's clarifications, through the real form: shown, reported, held then approved, held.
    WatchedWord.objects.create(phrase="telegram", action=WatchedWord.Action.HOLD)
    for url, body in (
        (f"/questions/{question.pk}/comment/", "To add: we had been together for a year."),
        (f"/answers/{answers[2].pk}/comment/", "That helps, thank you. Is it the same for men?"),
        (f"/answers/{answers[0].pk}/comment/", "Could we talk on telegram about it?"),
        (f"/answers/{answers[1].pk}/comment/", "Or on telegram, if the desk allows."),
    ):
        assert asker_client.post(url, {"body": body}).status_code == 302
    comments = list(Comment.objects.filter(question=question).order_by("pk"))
    assert all(c.by_asker for c in comments) and [c.status for c in comments] == ["published"] * 2 + ["pending"] * 2
    assert clients["calm-otter"].post(f"/report/comment/{comments[1].pk}/", {"reason": "spam"}).status_code == 302
    comment_approve(moderator=moderator_user, comment=comments[3], reason="Fine in context")
    # Words of crisis in a clarification: the desk's crisis lane lists it (naming no asker), and a
    # moderator writes the asker a supportive note (their notice says "the moderators").
    WatchedWord.objects.get_or_create(phrase="hurt myself", action=WatchedWord.Action.CRISIS)  # in the starter list
    crisis = asker_client.post(f"/questions/{question.pk}/comment/", {"body": "Some nights I want to hurt myself."})
    assert crisis.status_code == 200 and "If you need help now" in crisis.content.decode()
    support_note_write(moderator=moderator_user, question=question, body="You are not alone: please call a line.")

    question.refresh_from_db()
    assert question.has_accepted_answer and question.answer_count == 3 and question.score == 1
    assert question.is_published, "two reports must not hide it (the crawl needs it visible)"
    return {"question": question, "tag": tag, "asker": asker, "asker_client": asker_client, "answers": answers,
            "comments": comments, "watcher_client": watcher_client}  # fmt: skip


def _crawl(client, start_urls, *, max_pages=MAX_PAGES):
    """Breadth-first over same-site links. Returns {url: body} for every page fetched."""
    seen, pages = set(), {}
    queue = deque(start_urls)
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        if url in seen or any(rule.match(url) for rule in SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        pages[url] = body
        if response.status_code in (301, 302, 303, 307, 308):
            target = response["Location"]
            if target.startswith("/") and not target.startswith("//"):
                queue.append(target)
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            href = html.unescape(href)
            if not href.startswith("/") or href.startswith("//"):
                continue
            parts = urlsplit(href)
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def _explicit_urls(scene):
    question, tag = scene["question"], scene["tag"]
    word = "cry"
    return [
        question.get_absolute_url(),
        f"/questions/{question.pk}/",
        *(f"/questions/?sort={sort}" for sort in SORTS),
        f"/questions/?tag={tag.slug}",
        "/questions/?expert=1",
        f"/tags/{tag.slug}/",
        f"/search/?q={word}",
        f"/search/?q={word}&expert=1",
        "/feeds/latest/",
        "/feeds/latest/atom/",
        f"/feeds/tags/{tag.slug}/",
        "/sitemap.xml",
        "/sitemap-questions.xml",
        "/sitemap-topics.xml",
        f"/report/question/{question.pk}/",
        f"/report/answer/{scene['answers'][0].pk}/",
        f"/questions/{question.pk}/history/",
        f"/answers/{scene['answers'][0].pk}/history/",
        f"/questions/{question.pk}/clarifications/",
        *(f"/answers/{answer.pk}/clarifications/" for answer in scene["answers"]),
        *(f"/report/comment/{c.pk}/" for c in scene["comments"] if c.pk != scene["comments"][2].pk),
        *("/notifications/", "/me/", "/me/questions/", "/me/answers/", "/me/following/"),
    ]


def _readers(member, moderator, scene):
    return {"visitor": Client(), "another member": member, "ordinary moderator": moderator,
            "a following expert": scene["watcher_client"]}  # fmt: skip


def test_it_never_names_the_anonymous_asker_anywhere_a_reader_can_go(scene, member, moderator):
    question = scene["question"]
    assert not moderator.user.has_perm("moderation.reveal_author")
    explicit = _explicit_urls(scene)
    crawled = {}
    for reader, client in _readers(member, moderator, scene).items():
        # The header links no desk; a moderator starts there too (the desk nav links the rest).
        desk = ["/moderation/"] if reader == "ordinary moderator" else []
        pages = _crawl(client, ["/", *explicit, *desk])
        crawled[reader] = len(pages)
        # The crawl reached what it must have reached.
        assert question.get_absolute_url() in pages, reader
        for url in explicit:
            assert url in pages, (reader, url)
        thread = pages[question.get_absolute_url()]
        history = pages[f"/questions/{question.pk}/history/"]
        assert "By the asker" in history and "By a moderator" in history and "Typo" in history
        assert TITLE.replace("'", "&#x27;") in thread
        jsonld = JSONLD.findall(thread)
        assert len(jsonld) == 1, "the thread carries its QAPage JSON-LD"
        data = json.loads(jsonld[0])
        assert "author" not in data["mainEntity"], "an anonymous question has no author in JSON-LD"
        assert not _leaks(json.dumps(data, ensure_ascii=False))
        assert "cry" in pages["/feeds/latest/"].lower() and TITLE.split()[0] in pages["/feeds/latest/atom/"]
        assert question.get_absolute_url() in pages["/sitemap-questions.xml"]
        # Similar titles are a POST (a draft title stays out of URLs): fetched by hand, checked below.
        similar = client.post("/questions/similar/", {"title": "why did she cry after sex"})
        pages["POST /questions/similar/"] = similar.content.decode()
        assert any(item["url"] == question.get_absolute_url() for item in similar.json()["questions"])
        assert "we had been together for a year" in thread and "<strong>the asker</strong>" in thread
        if reader == "ordinary moderator":
            assert "/moderation/" in pages and "/moderation/log/" in pages, "the moderator crawled the desk"
            desk = pages["/moderation/"]
            assert "Could we talk on telegram" in desk and "That helps, thank you" in desk  # waiting, reported
            # waiting and reported, and the crisis lane's (which names no one either)
            assert desk.count("Clarification by <strong>the asker</strong>") == 3
            assert "Some nights I want to hurt myself" in desk.split('id="pending"')[0]
            assert f"clarification #{scene['comments'][3].pk}" in pages["/moderation/log/"]
        if reader == "a following expert":
            notices = MAIN.search(pages["/notifications/"]).group(0)
            assert "New question in your area of practice" in notices and "New answer on" in notices
            assert "/me/following/" in pages and question.get_absolute_url() in pages["/me/following/"]
        leaked = {url: _leaks(body) for url, body in pages.items() if _leaks(body)}
        assert not leaked, f"{reader} saw the anonymous asker on: {leaked}"
    assert all(count >= 30 for count in crawled.values()), crawled


def test_it_keeps_the_asker_out_of_emails_and_of_their_own_notifications(scene):
    messages = mail.outbox
    to_asker = [m for m in messages if m.to == [EMAIL]]
    assert len(to_asker) == 3, [m.subject for m in messages]  # one per answer
    # The following expert: the new question at once, then each answer
    # (and of the clarifications on it: they follow, emails on for followed threads).
    to_watcher = [m for m in messages if m.to == ["keen-watcher@example.com"]]
    assert len(to_watcher) >= 4 and TITLE in to_watcher[0].body, [m.subject for m in to_watcher]
    assert len(messages) == len(to_asker) + len(to_watcher)
    for message in messages:
        parts = [message.subject, message.body, message.from_email, *message.cc, *message.bcc, *message.reply_to]
        parts += [content for content, _ in getattr(message, "alternatives", [])]
        parts += [f"{k}: {v}" for k, v in message.extra_headers.items()]
        assert not _leaks("\n".join(parts)), message.message().as_string()
        if message.to != [EMAIL]:  # anyone else's email, headers and all
            assert not _leaks(message.message().as_string()), message.message().as_string()
        if message is not to_watcher[0]:  # only the expert's new-question alert names a title
            assert TITLE not in message.body, "the email must not quote the question"
        assert BODY not in message.body

    page = scene["asker_client"].get("/notifications/")
    assert page.status_code == 200
    main = MAIN.search(page.content.decode()).group(0)  # the header shows the signed-in member's own name
    assert TITLE.replace("'", "&#x27;") in main
    assert not _leaks(main)


def test_it_leaves_the_anonymous_question_off_the_askers_public_profile(scene, member):
    question = scene["question"]
    for client in (Client(), member):
        response = client.get(f"/users/{NAME}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert NAME in body  # it is their profile
        assert question.get_absolute_url() not in body
        assert f"/questions/{question.pk}/" not in body
        assert TITLE not in html.unescape(body)


def test_it_gives_an_ordinary_moderator_no_way_to_the_anonymous_askers_account(scene, moderator):
    asker = scene["asker"]
    queue = moderator.get("/moderation/").content.decode()
    suspend_url = f"/moderation/users/{asker.pk}/suspend/"
    leaks = []
    if suspend_url in queue:
        leaks.append(f"the queue prints the asker's account id ({suspend_url})")
        moderator.post(suspend_url, {"days": 1, "reason": "spam", "next": "/moderation/"})
    log = moderator.get("/moderation/log/").content.decode()
    if _leaks(log):
        leaks.append("the moderation log names the asker after that suspension")
    assert not leaks, leaks


ASKER_ADDRESS = "velvet.marmoset.9@example.net"


def test_it_never_shows_a_visitors_email_address_anywhere_a_reader_or_moderator_can_go(
    django_capture_on_commit_callbacks, member, moderator, revealing_moderator
):
    """A visitor asks and leaves an address for emails (issue 14); members answer; the question is
    approved through the desk. No crawl finds the address: not the readers', not the desk's, not the
    asker's own private page (a shared device must not show it), not the reveal page."""
    from forum.questions.models import AskerContact, Question, Tag

    tag = Tag.objects.order_by("pk").first()
    asker = Client()
    form = asker.get("/questions/ask/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    data = {"title": TITLE, "body": BODY, "tags": [tag.pk], "form_token": token, "asker_email": ASKER_ADDRESS}
    response = asker.post("/questions/ask/", data)
    assert response.status_code == 302
    key_url = response["Location"]
    question = Question.objects.get(title=TITLE)
    assert AskerContact.objects.filter(question=question).exists()
    assert moderator.post(f"/moderation/question/{question.pk}/approve/", {"reason": ""}).status_code == 302
    question.refresh_from_db()
    assert question.is_published
    for name in ("warm-heron", "calm-otter"):
        answerer = Client()
        answerer.force_login(UserFactory(username=name))
        with django_capture_on_commit_callbacks(execute=True):
            posted = answerer.post(f"/questions/{question.pk}/answer/", {"body": f"{name} says this is common."})
        assert posted.status_code == 302

    secrets = (ASKER_ADDRESS, ASKER_ADDRESS.split("@")[0])
    readers = {"visitor": Client(), "member": member, "moderator": moderator, "revealer": revealing_moderator}
    for reader, client in readers.items():
        desk = ["/moderation/"] if "mod" in reader or reader == "revealer" else []
        pages = _crawl(client, ["/", question.get_absolute_url(), *desk], max_pages=120)
        assert question.get_absolute_url() in pages, reader
        leaked = [url for url, body in pages.items() if any(s in html.unescape(body) for s in secrets)]
        assert not leaked, f"{reader} saw the asker's address on {leaked}"
    reveal = revealing_moderator.post(f"/moderation/question/{question.pk}/reveal/", {"reason": "Threats"})
    assert not any(s in reveal.content.decode() for s in secrets)
    own = asker.get(key_url).content.decode()
    assert "Emails go to the address you gave (hidden here)" in own
    assert not any(s in own for s in secrets)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ASKER_ADDRESS]  # coalesced: one email for two answers
    assert TITLE not in mail.outbox[0].body and "says this is common" not in mail.outbox[0].body
