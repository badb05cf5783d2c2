"""The sitemap index and its paged sections: published threads and topics only, at a fixed cost per page."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.questions.models import Tag
from forum.questions.sitemaps import QuestionSitemap
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECRET_NAME = "zed-secret-asker"
INDEX = "/sitemap.xml"
QUESTIONS = "/sitemap-questions.xml"
TOPICS = "/sitemap-topics.xml"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def index_locations(client) -> list[str]:
    root = parse(client.get(INDEX))
    assert root.tag == f"{NS}sitemapindex"
    return [entry.findtext(f"{NS}loc") for entry in root.findall(f"{NS}sitemap")]


def section(client, url) -> dict[str, str]:
    """{path: lastmod} for every address a section page lists."""
    root = parse(client.get(url))
    assert root.tag == f"{NS}urlset"
    return {u.findtext(f"{NS}loc").removeprefix("http://testserver"): u.findtext(f"{NS}lastmod") for u in root}


def many_questions(count):
    return [make_question(title=f"Sitemap question number {i} about trust") for i in range(count)]


def test_it_serves_an_index_of_the_sections(visitor):
    make_question(title="A published question for the index")
    response = visitor.get(INDEX)
    assert "noindex" in response["X-Robots-Tag"]
    assert index_locations(visitor) == [f"http://testserver{QUESTIONS}", f"http://testserver{TOPICS}"]
    lastmods = [e.findtext(f"{NS}lastmod") for e in parse(response).findall(f"{NS}sitemap")]
    assert lastmods[0] and lastmods[1] is None  # threads carry their latest activity; topics have none


def test_the_questions_section_lists_exactly_the_published_threads(visitor):
    published = make_question(title="A published question")
    for status in ("pending", "hidden", "rejected", "removed"):
        make_question(title=f"A {status} question", status=status)
    named = make_question(title="Asked by name", author=UserFactory(username="open-asker"), anonymous=False)
    anonymous = make_question(title="Asked anonymously", author=UserFactory(username=SECRET_NAME))
    urls = section(visitor, QUESTIONS)
    assert set(urls) == {q.get_absolute_url() for q in (published, named, anonymous)}
    published.refresh_from_db()
    assert urls[published.get_absolute_url()] == published.last_activity_at.date().isoformat()
    assert SECRET_NAME not in visitor.get(QUESTIONS).content.decode()


def test_the_topics_section_lists_every_topic(visitor):
    assert set(section(visitor, TOPICS)) == {tag.get_absolute_url() for tag in Tag.objects.all()}


def test_the_index_lists_two_pages_when_the_limit_is_lowered(visitor, monkeypatch):
    first, second, third = many_questions(3)
    monkeypatch.setattr(QuestionSitemap, "limit", 2)
    locations = index_locations(visitor)
    assert locations == [
        f"http://testserver{QUESTIONS}",
        f"http://testserver{QUESTIONS}?p=2",
        f"http://testserver{TOPICS}",
    ]
    assert set(section(visitor, QUESTIONS)) == {first.get_absolute_url(), second.get_absolute_url()}
    assert set(section(visitor, f"{QUESTIONS}?p=2")) == {third.get_absolute_url()}
    assert visitor.get(f"{QUESTIONS}?p=3").status_code == 404
    assert visitor.get(f"{QUESTIONS}?p=two").status_code == 404


def test_it_keeps_each_sitemap_file_within_the_protocols_limit():
    assert 0 < QuestionSitemap.limit <= 50_000


def test_it_answers_404_for_an_unknown_section(visitor):
    assert visitor.get("/sitemap-members.xml").status_code == 404


@pytest.mark.parametrize("url", [INDEX, QUESTIONS, TOPICS])
def test_it_answers_405_to_a_post(visitor, url):
    assert visitor.post(url).status_code == 405


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_sitemap_page_costs_the_same_queries_for_few_or_many_threads(visitor, monkeypatch):
    """A COUNT on an indexed filter and one page of rows; the index adds one MAX for the lastmod.

    If this grows, justify the new query: crawlers fetch every page of a 100k-thread forum.
    """
    monkeypatch.setattr(QuestionSitemap, "limit", 5)
    many_questions(1)
    few = {url: queries(visitor, url) for url in (INDEX, QUESTIONS)}
    many_questions(11)  # three pages now, the first one full
    many = {url: queries(visitor, url) for url in (INDEX, QUESTIONS, f"{QUESTIONS}?p=3")}
    assert len(index_locations(visitor)) == 4
    assert few[INDEX] == many[INDEX] == 3
    assert few[QUESTIONS] == many[QUESTIONS] == many[f"{QUESTIONS}?p=3"] == 2


def test_robots_txt_points_at_the_index(visitor):
    line = next(
        line for line in visitor.get("/robots.txt").content.decode().splitlines() if line.startswith("Sitemap:")
    )
    assert line == f"Sitemap: http://testserver{INDEX}"
    assert index_locations(visitor)
