"""RSS and Atom feeds and the sitemap: exactly the published questions, never an anonymous author."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.questions.models import Tag
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
SECRET_NAME = "zed-secret-asker"


@pytest.fixture
def forum():
    """One question in every state, plus a named one and a member's anonymous one."""
    questions = {status: make_question(title=f"A {status} question", status=status) for status in (
        "published", "pending", "hidden", "rejected", "removed")}  # fmt: skip
    questions["named"] = make_question(
        title="A question asked by name", author=UserFactory(username="open-asker"), anonymous=False
    )
    questions["anonymous"] = make_question(
        title="A member's anonymous question", author=UserFactory(username=SECRET_NAME), anonymous=True
    )
    return questions


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own response


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response, parse(response.content).findall("./channel/item")


def test_the_rss_feed_lists_exactly_the_published_questions(visitor, forum):
    response, items = rss_items(visitor, "/feeds/latest/")
    assert sorted(item.findtext("title") for item in items) == [
        "A member's anonymous question",
        "A published question",
        "A question asked by name",
    ]
    by_title = {item.findtext("title"): item for item in items}
    named = by_title["A question asked by name"]
    assert named.findtext(DC_CREATOR) == "open-asker"
    assert named.findtext("link").endswith(forum["named"].get_absolute_url())
    assert named.findtext("pubDate")
    assert by_title["A member's anonymous question"].find(DC_CREATOR) is None
    assert SECRET_NAME not in response.content.decode()


def test_the_atom_feed_names_only_named_askers(visitor, forum):
    response = visitor.get("/feeds/latest/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = parse(response.content).findall(f"{ATOM}entry")
    authors = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}author/{ATOM}name") for e in entries}
    assert authors == {
        "A member's anonymous question": None,
        "A published question": None,
        "A question asked by name": "open-asker",
    }
    assert SECRET_NAME not in response.content.decode()


def test_a_feed_excerpt_is_escaped_plain_text_or_only_the_content_warning(visitor):
    make_question(title="Plain question", body="First paragraph & **bold** <script>x()</script>.\n\nSecond one.")
    make_question(title="Warned question", body="Graphic details nobody asked to see.", content_warnings=["abuse"])
    _, items = rss_items(visitor, "/feeds/latest/")
    descriptions = {item.findtext("title"): item.findtext("description") for item in items}
    # The description is HTML to a reader: plain text, escaped once, paragraphs apart.
    assert descriptions["Plain question"].startswith("First paragraph &amp; bold")
    assert "<" not in descriptions["Plain question"] and "Second one." in descriptions["Plain question"]
    assert descriptions["Warned question"] == "Content warning: Abuse or violence."


def test_a_topic_feed_lists_only_that_topic(visitor):
    first, second = Tag.objects.order_by("pk")[:2]
    make_question(title="In the first topic", tags=[first])
    make_question(title="In the second topic", tags=[second])
    make_question(title="Pending in the first topic", tags=[first], status="pending")
    _, items = rss_items(visitor, f"/feeds/tags/{first.slug}/")
    assert [item.findtext("title") for item in items] == ["In the first topic"]
    assert visitor.get("/feeds/tags/no-such-topic/").status_code == 404


def test_a_feed_holds_the_latest_thirty_in_a_fixed_number_of_queries(visitor):
    make_question(title="The first question", author=UserFactory(), anonymous=False)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = visitor.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), parse(response.content).findall("./channel/item")

    tag_url = f"/feeds/tags/{Tag.objects.order_by('pk').first().slug}/"
    one, _ = count("/feeds/latest/")
    one_tag, _ = count(tag_url)
    for i in range(34):
        make_question(title=f"Question number {i}", author=UserFactory(), anonymous=i % 2 == 0)
    many, items = count("/feeds/latest/")
    many_tag, _ = count(tag_url)
    assert len(items) == 30
    assert items[0].findtext("title") == "Question number 33"
    assert one == many == 1
    assert one_tag == many_tag == 2


@pytest.mark.parametrize(
    "url",
    ["/feeds/latest/", "/feeds/latest/atom/", "/feeds/tags/no-such-topic/", "/sitemap.xml", "/sitemap-questions.xml"],
)
def test_feeds_and_the_sitemap_answer_405_to_a_post(visitor, url):
    assert visitor.post(url).status_code == 405


def test_every_page_points_at_the_feed(visitor):
    html = visitor.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/feeds/latest/"' in html


def test_the_sitemap_lists_published_threads_and_topics(visitor, forum):
    index = parse(visitor.get("/sitemap.xml").content)
    sections = [entry.findtext(f"{SITEMAP}loc") for entry in index]
    assert sections == ["http://testserver/sitemap-questions.xml", "http://testserver/sitemap-topics.xml"]
    urls, bodies = {}, ""
    for section in sections:
        response = visitor.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        bodies += response.content.decode()
        urls |= {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in parse(response.content)}
    threads = {loc.split("//", 1)[1].split("/", 1)[1] for loc in urls if "/questions/" in loc}
    expected = {forum[k].get_absolute_url().lstrip("/") for k in ("published", "named", "anonymous")}
    assert threads == expected
    published = forum["published"]
    published.refresh_from_db()
    assert urls[f"http://testserver{published.get_absolute_url()}"] == published.last_activity_at.date().isoformat()
    for tag in Tag.objects.all():
        assert f"http://testserver{tag.get_absolute_url()}" in urls
    assert SECRET_NAME not in bodies


def test_a_title_keeps_its_apostrophes_and_escapes_markup(visitor):
    make_question(title="Why can't I <b>relax</b> & enjoy it?")
    _, items = rss_items(visitor, "/feeds/latest/")
    assert items[0].findtext("title") == "Why can't I &lt;b&gt;relax&lt;/b&gt; &amp; enjoy it?"
    atom = parse(visitor.get("/feeds/latest/atom/").content)
    assert atom.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Why can't I <b>relax</b> & enjoy it?"
