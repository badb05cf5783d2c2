"""A thread's head: Open Graph tags and schema.org QAPage JSON-LD, with the privacy rules kept."""

import json
import re

import pytest
from django.utils import timezone

from forum.answers.models import Answer
from forum.questions.answer_services import answer_accept
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

JSONLD = re.compile(r'<script type="application/ld\+json" id="qa-jsonld">(.*?)</script>', re.DOTALL)
SECRET_NAME = "zed-secret-asker"


def page(client, question):
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def jsonld(html) -> dict:
    [payload] = JSONLD.findall(html)
    return json.loads(payload)


def head(html) -> str:
    return html.split("</head>", 1)[0]


def test_it_describes_a_thread_as_a_qa_page(visitor):
    asker = UserFactory(username="open-asker")
    question = make_question(
        title="Is it normal to cry after sex?", body="It happens to me *sometimes*.", author=asker, anonymous=False
    )
    first = make_answer(question=question, author=UserFactory(username="helper-one"), body="Yes, it is called PCD.")
    second = make_answer(question=question, author=UserFactory(username="helper-two"), body="It is common & normal.")
    answer_accept(question=question, answer=second)

    data = jsonld(page(visitor, question))
    url = f"http://testserver{question.get_absolute_url()}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    entity = data["mainEntity"]
    assert entity["@type"] == "Question"
    assert entity["name"] == "Is it normal to cry after sex?"
    assert entity["text"] == "It happens to me sometimes."
    assert entity["author"] == {"@type": "Person", "name": "open-asker"}
    assert entity["answerCount"] == 2 and entity["upvoteCount"] == 0
    assert entity["dateCreated"] == question.created_at.isoformat()
    accepted = entity["acceptedAnswer"]
    assert accepted["text"] == "It is common & normal."
    assert accepted["url"] == f"{url}#answer-{second.pk}"
    assert accepted["author"] == {"@type": "Person", "name": "helper-two"}
    assert [a["url"] for a in entity["suggestedAnswer"]] == [f"{url}#answer-{first.pk}"]


def test_it_names_no_author_for_an_anonymous_question(visitor):
    question = make_question(title="A member's anonymous question", author=UserFactory(username=SECRET_NAME))
    make_answer(question=question, author=UserFactory(username="helper-one"))
    html = page(visitor, question)
    entity = jsonld(html)["mainEntity"]
    assert "author" not in entity
    assert entity["suggestedAnswer"][0]["author"]["name"] == "helper-one"
    assert SECRET_NAME not in html


def test_a_post_cannot_close_the_script_element(visitor):
    title = "Why </script><script>alert(1)</script> & <!-- this?"
    question = make_question(title=title, body="Body with </script><img src=x onerror=alert(2)> in it.")
    make_answer(question=question, author=UserFactory(), body="An answer quoting `</script>` in code, long enough.")
    html = page(visitor, question)
    [payload] = JSONLD.findall(html)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    entity = json.loads(payload)["mainEntity"]
    assert entity["name"] == title
    assert "</script>" in entity["suggestedAnswer"][0]["text"]


def test_it_shows_only_the_content_warning_of_a_warned_question(visitor):
    question = make_question(
        title="A question with a content warning",
        body="Distressing details that stay behind the warning.",
        content_warnings=["sexual-trauma", "abuse"],
    )
    html = page(visitor, question)
    warning = "Content warning: Abuse or violence, Sexual trauma."
    assert jsonld(html)["mainEntity"]["text"] == warning
    assert f'<meta property="og:description" content="{warning}">' in html
    assert "Distressing details" not in head(html)


def test_it_gives_open_graph_tags(visitor):
    question = make_question(title="How do we keep intimacy after a baby?", body="We are tired & busy. **Help**.")
    html = head(page(visitor, question))
    url = f"http://testserver{question.get_absolute_url()}"
    assert '<meta property="og:title" content="How do we keep intimacy after a baby?">' in html
    assert '<meta property="og:description" content="We are tired &amp; busy. Help.">' in html
    assert '<meta name="description" content="We are tired &amp; busy. Help.">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:site_name" content="Ask Freely">' in html
    assert f'<link rel="canonical" href="{url}">' in html


def test_an_unpublished_thread_has_no_structured_data(member, member_user):
    question = make_question(title="My own pending question", author=member_user, status="pending")
    html = page(member, question)
    assert '<meta name="robots" content="noindex">' in html
    assert "qa-jsonld" not in html and "og:title" not in html


def test_it_leaves_hidden_answers_out(visitor):
    question = make_question(title="A thread with a hidden answer")
    make_answer(question=question, author=UserFactory(), body="A visible answer, long enough to post.")
    hidden = make_answer(question=question, author=UserFactory(), body="A hidden answer, long enough to post.")
    Answer.objects.filter(pk=hidden.pk).update(status="hidden", updated_at=timezone.now())
    entity = jsonld(page(visitor, question))["mainEntity"]
    assert [a["text"] for a in entity["suggestedAnswer"]] == ["A visible answer, long enough to post."]
