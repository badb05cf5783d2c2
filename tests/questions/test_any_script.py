"""Questions in any script: accepted through the ask form, stored clean (NFC, no direction
overrides or zero-width characters in titles, names and topics), shown with dir="auto"."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils.html import escape

from forum.core.tokens import new_form_token
from forum.moderation.models import WatchedWord
from forum.questions import services
from forum.questions.models import Question, Tag
from tests.factories import make_question

from .test_similar_post import ask_page_token, drafter, similar  # noqa: F401 - drafter is a fixture

pytestmark = pytest.mark.django_db

RLO, PDF, ZWSP = "\u202e", "\u202c", "\u200b"
COUPLE = "👩\u200d❤\ufe0f\u200d👨"
PERSIAN = "می\u200cخواهم"

QUESTIONS = {
    "russian": ("Нормально ли плакать после секса?", "Это случается почти каждый раз, даже когда всё хорошо."),
    "arabic": ("هل من الطبيعي البكاء بعد الجنس؟", "يحدث هذا في كل مرة تقريبًا، حتى عندما يكون كل شيء على ما يرام."),
    "hebrew": ("האם זה נורמלי לבכות אחרי סקס?", "זה קורה כמעט בכל פעם, גם כשהכול הולך טוב בינינו."),
    "chinese": ("做爱后哭是正常的吗？", "几乎每次都会这样，即使一切都很好。"),
    "japanese": ("セックスの後に泣くのは普通ですか？", "ほとんど毎回そうなります。何も問題はないのに。"),
    "hindi": ("क्या सेक्स के बाद रोना सामान्य है?", "यह लगभग हर बार होता है, तब भी जब सब कुछ ठीक होता है।"),
    "spanish": (
        "¿Es normal llorar después del sexo? Me pasa mucho",
        "Me pasa casi siempre, incluso cuando todo va bien.",
    ),
    "emoji": ("Is crying after sex normal? 😢 It keeps happening", f"We love each other {COUPLE} and still I cry."),
}


def ask(client, *, title, body):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:1])
    return client.post("/questions/ask/", {"title": title, "body": body, "tags": tags, "form_token": new_form_token()})


@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
@pytest.mark.parametrize("language", QUESTIONS)
def test_it_accepts_and_shows_a_question_in_any_script(visitor, language):
    title, body = QUESTIONS[language]
    response = ask(visitor, title=title, body=body)
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get()
    assert (question.title, question.body) == (title, body)
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert f'<h1 id="question-title" dir="auto">{escape(title)}</h1>' in html
    assert re.search(r'<div class="prose post-text" dir="auto">\s*<p>' + re.escape(escape(body)), html)
    listing = visitor.get("/questions/").content.decode()
    assert f'dir="auto">{escape(title)}</a>' in listing


def test_it_still_refuses_a_short_chinese_title(visitor):
    response = ask(visitor, title="做爱", body=QUESTIONS["chinese"][1] * 2)
    assert "at least 6 characters" in response.content.decode()
    assert not Question.objects.exists()


def test_it_counts_a_latin_title_in_graphemes(visitor):
    decomposed = unicodedata.normalize("NFD", "é é é é é é é")  # 13 graphemes, 20 code points
    response = ask(visitor, title=decomposed, body=QUESTIONS["spanish"][1])
    assert "at least 15 characters" in response.content.decode()


def test_it_strips_overrides_and_zero_width_characters_from_a_title_through_the_ask_form(visitor):
    title = f"Is my file {RLO}exe.live{PDF} safe to open{ZWSP}?"
    assert ask(visitor, title=title, body=QUESTIONS["emoji"][1]).status_code == 302
    assert Question.objects.get().title == "Is my file exe.live safe to open?"


def test_it_strips_overrides_and_zero_width_characters_from_a_title_in_the_service(member_user):
    result = services.question_create(
        author=member_user,
        title=f"{RLO}Why is this{ZWSP} so hard to say?",
        body=f"Long enough body {RLO}with an override and {PERSIAN} and {COUPLE} in it.",
        tags=Tag.objects.all()[:1],
        form_token=new_form_token(),
    )
    question = Question.objects.get(pk=result.question.pk)
    assert question.title == "Why is this so hard to say?"
    assert question.body == f"Long enough body with an override and {PERSIAN} and {COUPLE} in it."
    assert RLO not in question.body_html and PERSIAN in question.body_html and COUPLE in question.body_html


def test_it_stores_nfd_input_as_nfc(visitor):
    title = unicodedata.normalize("NFD", "¿Es normal llorar después del sexo? Me pasa")
    body = unicodedata.normalize("NFD", "Me pasa casi siempre, incluso cuando todo va bien, después.")
    assert ask(visitor, title=title, body=body).status_code == 302
    question = Question.objects.get()
    assert question.title == unicodedata.normalize("NFC", title)
    assert question.body == unicodedata.normalize("NFC", body)


def test_it_strips_overrides_from_a_topic_name():
    tag = Tag(name=f"Fri{ZWSP}end{RLO}ship", slug="friendship")
    tag.full_clean()
    assert tag.name == "Friendship"
    Tag.objects.create(name="Trust", slug="trust")
    with pytest.raises(ValidationError, match="already exists"):  # a look-alike of an existing topic
        Tag(name=f"Tr{ZWSP}ust", slug="trust-2").full_clean()


def test_it_sees_a_crisis_phrase_through_zero_width_characters(member_user):
    assert WatchedWord.objects.filter(phrase="kill myself", action=WatchedWord.Action.CRISIS).exists()
    result = services.question_create(
        author=member_user,
        title="What do I do when everything feels too heavy?",
        body=f"Some nights I want to k{ZWSP}ill my\u200dself and I don't know who to tell.",
        tags=Tag.objects.all()[:1],
        form_token=new_form_token(),
    )
    assert Question.objects.get(pk=result.question.pk).crisis_at is not None


def test_it_sees_a_blocked_word_through_zero_width_characters(member_user):
    WatchedWord.objects.create(phrase="buy pills", action=WatchedWord.Action.BLOCK)
    with pytest.raises(ValidationError, match=r"can.t be published as written"):
        services.question_create(
            author=member_user,
            title="Where should I go to ask about this?",
            body=f"You can b{ZWSP}uy pills from my site, it is very cheap and easy.",
            tags=Tag.objects.all()[:1],
            form_token=new_form_token(),
        )
    assert not Question.objects.exists()


@pytest.mark.parametrize("language", QUESTIONS)
def test_it_suggests_similar_questions_in_any_script(drafter, language):  # noqa: F811
    title, _ = QUESTIONS[language]
    make_question(title=title)
    response = similar(drafter, title, ask_page_token(drafter))
    assert response.status_code == 200
    assert isinstance(response.json()["questions"], list)


@pytest.mark.parametrize(
    ("body", "accepted"),
    [("这种情况很常见，不用担心。", True), ("很常见。", False), (f"Это нормально, {PERSIAN} {COUPLE} правда.", True)],
)
def test_it_counts_an_answer_in_graphemes_with_a_lower_bar_for_chinese(member, body, accepted):
    question = make_question()
    response = member.post(f"/questions/{question.pk}/answer/", {"body": body})
    answer = question.answers.first()
    if accepted:
        assert response.status_code == 302 and answer.body == body
        html = member.get(question.get_absolute_url()).content.decode()
        assert f'<div class="prose post-text" dir="auto"><p>{escape(body)}</p>' in html
    else:
        assert answer is None and "at least 8 characters" in response.content.decode()
