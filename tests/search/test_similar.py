"""Similar questions while asking: the JSON endpoint for similar.js, and the no-JavaScript check."""

import re

import pytest

from forum.core.tokens import new_form_token
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

TITLE = "How do I talk to my partner about my low libido?"


def similar(client, title):
    response = client.post("/questions/similar/", {"title": title})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["questions"]


def test_it_suggests_published_questions_with_similar_titles(visitor):
    published = make_question(title="How do I talk to my partner about low libido?")
    make_question(title="Where can I buy a good lubricant online?")
    for status in ("pending", "hidden", "rejected", "removed"):
        make_question(title=f"How do I talk to my partner about libido ({status})?", status=status)
    assert similar(visitor, TITLE) == [{"title": published.title, "url": published.get_absolute_url()}]


def test_it_suggests_at_most_five(visitor):
    for i in range(7):
        make_question(title=f"How do I talk to my partner about my libido {i}?")
    assert len(similar(visitor, TITLE)) == 5


@pytest.mark.parametrize("title", ["", "libido", "  short   "])
def test_it_suggests_nothing_for_a_short_title(visitor, title):
    make_question(title="Libido questions are common")
    assert similar(visitor, title) == []


def test_it_keeps_the_draft_out_of_caches_and_urls(visitor):
    response = visitor.post("/questions/similar/", {"title": TITLE})
    assert "no-store" in response["Cache-Control"]
    assert visitor.get("/questions/similar/", {"title": TITLE}).status_code == 405


def test_it_never_names_an_anonymous_asker(visitor):
    make_question(title=TITLE, author=UserFactory(username="zed-secret-asker"), anonymous=True)
    response = visitor.post("/questions/similar/", {"title": TITLE})
    assert "zed-secret-asker" not in response.content.decode()


def draft(**overrides):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:2])
    data = {
        "title": TITLE,
        "body": "It has been months now & I <em>worry</em> it is about me.",
        "tags": tags,
        "content_warnings": ["explicit"],
        "form_token": new_form_token(),
        "preview": "1",
    }
    data.update(overrides)
    return data


def test_the_check_without_javascript_keeps_the_draft_and_creates_nothing(visitor):
    existing = make_question(title="How do I talk to my partner about low libido?")
    data = draft()
    response = visitor.post("/questions/ask/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Question.objects.count() == 1
    assert existing.title in html and existing.get_absolute_url() in html
    assert f'value="{TITLE}"' in html
    assert "It has been months now &amp; I &lt;em&gt;worry&lt;/em&gt; it is about me." in html
    assert f'name="form_token" value="{data["form_token"]}"' in html
    for pk in data["tags"]:
        assert re.search(rf'<input type="checkbox" name="tags" value="{pk}"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="content_warnings" value="explicit"[^>]*checked', html)
    assert 'class="errorlist"' not in html  # a check is not a submit: no complaints

    data.pop("preview")
    first = visitor.post("/questions/ask/", data)
    again = visitor.post("/questions/ask/", data)  # the same token: the same question
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Question.objects.count() == 2


def test_the_check_says_so_when_nothing_is_similar(member):
    response = member.post("/questions/ask/", draft(title="A completely different kind of question here"))
    assert "No similar questions yet" in response.content.decode()
    assert not Question.objects.exists()


def test_the_check_does_not_count_against_the_asking_limit(visitor):
    for _ in range(12):
        assert visitor.post("/questions/ask/", draft()).status_code == 200
    data = draft()
    data.pop("preview")
    assert visitor.post("/questions/ask/", data).status_code == 302


def test_the_ask_page_loads_the_script_and_the_live_region(visitor):
    html = visitor.get("/questions/ask/").content.decode()
    assert 'id="similar-questions" aria-live="polite"' in html
    assert "js/similar.js" in html
    assert 'name="preview"' in html
