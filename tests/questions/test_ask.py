"""Asking: a visitor in one step with a private key, a member as themselves or as Anonymous."""

import pytest
from django.test import override_settings

from forum.core.tokens import new_form_token, sha256_hex
from forum.questions.models import Question, Tag

pytestmark = pytest.mark.django_db

TITLE = "Why do I feel sad after being intimate with my partner?"
BODY = "It happens most times, even when everything went well. I don't know who to ask about it."


def ask_data(**overrides):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:2])
    data = {"title": TITLE, "body": BODY, "tags": tags, "form_token": new_form_token()}
    data.update(overrides)
    return data


def test_it_shows_the_ask_form_to_a_visitor(visitor):
    response = visitor.get("/questions/ask/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="form_token"' in html
    assert 'name="show_anonymous"' not in html  # a visitor is always anonymous
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_offers_members_the_anonymous_choice(member):
    assert 'name="show_anonymous"' in member.get("/questions/ask/").content.decode()


def test_it_lets_a_visitor_ask_and_gives_a_private_key(visitor):
    data = ask_data(content_warnings=["sexual-trauma"])
    response = visitor.post("/questions/ask/", data)
    assert response.status_code == 302
    key_url = response["Location"]
    assert key_url.startswith("/questions/key/")
    key = key_url.split("/")[3]
    assert len(key) == 22  # 128 bits, base64url

    question = Question.objects.get()
    assert question.author is None and question.is_anonymous
    assert question.status == Question.Status.PENDING  # visitors are pre-moderated by default
    assert question.key_hash == sha256_hex(key)
    assert key not in str(Question.objects.filter(pk=question.pk).values().get())  # only the hash is stored
    assert question.content_warnings == ["sexual-trauma"]
    assert question.tags.count() == 2
    assert "<p>It happens most times" in question.body_html
    assert question.source_hash and len(question.source_hash) == 64

    page = visitor.get(key_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Save your private link" in html
    assert key in html
    assert "Waiting for a moderator" in html
    assert page["Referrer-Policy"] == "same-origin"  # the key never leaves the site in a Referer


@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
def test_it_publishes_visitors_questions_at_once_when_premoderation_is_off(visitor):
    visitor.post("/questions/ask/", ask_data())
    assert Question.objects.get().status == Question.Status.PUBLISHED


def test_it_publishes_a_members_question_at_once_and_hides_the_name_if_asked(member, member_user):
    response = member.post("/questions/ask/", ask_data(show_anonymous="on"))
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.status == Question.Status.PUBLISHED
    assert question.author == member_user  # kept for accountability
    assert question.is_anonymous
    assert question.key_hash is None


def test_it_shows_a_members_name_when_they_choose(member, member_user):
    member.post("/questions/ask/", ask_data())  # checkbox unticked
    question = Question.objects.get()
    assert not question.is_anonymous
    assert member_user.username in member.get(question.get_absolute_url()).content.decode()


def test_it_creates_one_question_from_a_double_submit(visitor):
    data = ask_data()
    first = visitor.post("/questions/ask/", data)
    second = visitor.post("/questions/ask/", data)
    assert Question.objects.count() == 1
    assert first["Location"] == second["Location"]  # the same private key page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Please write your question."),
        ({"title": "Too short?"}, "title", "at least 15 characters"),
        ({"title": "x" * 151}, "title", "under 150 characters"),
        ({"title": "!!!!!!!!!!!!!!!!!!!!"}, "title", "as a sentence"),
        ({"body": ""}, "body", "Please add some details"),
        ({"body": "short"}, "body", "at least 30 characters"),
        ({"body": "x" * 10_001}, "body", "under 10,000 characters"),
        ({"tags": []}, "tags", "at least one topic"),
        ({"tags": [999999]}, "tags", "from the list"),
        ({"form_token": "forged"}, "form_token", "This form has expired"),
    ],
)
def test_it_explains_bad_input_and_keeps_the_text(visitor, overrides, field, message):
    data = ask_data(**overrides)
    response = visitor.post("/questions/ask/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'role="alert"' in html
    if field != "title" and data["title"]:
        assert TITLE.replace("'", "&#x27;") in html
    if field != "body" and data["body"]:
        assert "It happens most times" in html
    assert not Question.objects.exists()


def test_it_refuses_more_than_five_topics(visitor):
    tags = list(Tag.objects.values_list("pk", flat=True)[:6])
    response = visitor.post("/questions/ask/", ask_data(tags=tags))
    assert "at most 5 topics" in response.content.decode()
    assert not Question.objects.exists()


def test_it_refuses_a_post_without_csrf(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/questions/ask/", ask_data())
    assert response.status_code == 403
    assert not Question.objects.exists()


def test_it_answers_405_to_other_methods(visitor):
    assert visitor.put("/questions/ask/").status_code == 405
    assert visitor.delete("/questions/ask/").status_code == 405


def test_it_rate_limits_asking_with_a_readable_page(visitor):
    for _ in range(10):
        visitor.post("/questions/ask/", ask_data())
    response = visitor.post("/questions/ask/", ask_data())
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"]
    assert Question.objects.count() == 10
