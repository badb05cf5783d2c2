"""The asker's and the reader's journey in Spanish and Arabic: the ask page, a thread with answers and
clarifications, the private page and the pages around them (issue 16).

The reader's language comes from the `language` cookie (the footer's switcher sets it). Each page is
read in Spanish and in Arabic for its key words, and for the English it must no longer show; English
readers see exactly what they saw before.
"""

import datetime

import pytest
from django.test import Client

from forum.answers.models import Answer
from forum.questions.comment_services import comment_post
from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

NOV_5 = datetime.datetime(2026, 11, 5, 12, 0, tzinfo=datetime.UTC)

# What the pages of this journey said in English (the thread helper's strings; form labels, the
# models' choices and the views' messages are translated by another part of issue 16).
ENGLISH_ASK = [
    "No account needed",
    "Post your question",
    "Check for similar questions",
    "Before you post",
    "Leave out names",
    "A moderator reads questions from visitors",
    "Answers are general education",
]
ENGLISH_THREAD = [
    "Asked ",
    "by Anonymous",
    "Nov 2026",
    "From verified experts",
    "From the community",
    "Experts' answers are general education",
    "Verified expert",
    "General education, not personal medical advice.",
    ">Report<",
    "this answer by",
    "Sign in to answer",
    "create a free account",
    "Sign in to ask for a clarification",
    "the asker",
    " answers<",
    "Your answer",
    "Show all",
]
ENGLISH_KEY = [
    "Your private question page",
    "Keep this link",
    "we can't recover it for you",
    "Your private link",
    "Copy link",
    "private or incognito window",
    "Bookmark it",
    "Whoever has the link",
    "Email me this link",
    "One email with the link",
    "Send me the link",
    ">Status<",
    "see it in the forum",
    "Emails about this question",
    "Edit your question",
    "Delete your question",
    "This answer helped me",
    "Ask for a clarification",
]


def reader(language: str | None) -> Client:
    client = Client()
    if language:
        client.cookies["language"] = language
    return client


def member_reader(language: str, user) -> Client:
    client = reader(language)
    client.force_login(user)
    return client


def main(response) -> str:
    """The page's <main>: what the journey's templates write (the header and footer are base.html's)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def assert_no_english(html: str, phrases: list[str]) -> None:
    left = [phrase for phrase in phrases if phrase in html]
    assert not left, f"still in English: {left}"


@pytest.fixture
def thread(settings):
    """A visitor's published question on 5 November 2026 with an expert's answer, a member's
    answer, the asker's clarification (anonymous: "the asker") and a member's."""
    settings.FORUM_PREMODERATE_ANONYMOUS = False  # the asker's clarification shows at once
    question = make_question(title="¿Es normal sentir nervios antes de la primera vez?")
    expert = make_expert(UserFactory(username="dra-luz"), title="Sexóloga clínica")
    make_answer(question=question, author=expert, body="Sí, es muy común. Habla con tu pareja con calma.")
    member_answer = make_answer(question=question, author=UserFactory(username="ana"), body="A mí me pasó igual.")
    comment_post(question=question, author=None, by_asker=True, body="Gracias, me ayuda mucho saberlo.")
    for number in range(4):  # more than the card shows (3): "Show all 4 clarifications"
        comment_post(
            question=question,
            answer=member_answer,
            author=UserFactory(),
            by_asker=False,
            body=f"¿Y cómo lo hablaste? ({number})",
        )
    Question.objects.filter(pk=question.pk).update(created_at=NOV_5)
    Answer.objects.filter(question=question).update(created_at=NOV_5)
    return question


# --- the ask page ------------------------------------------------------------------------------


def test_it_shows_the_ask_page_in_spanish():
    page = main(reader("es").get("/questions/ask/"))
    assert "<h1>Haz una pregunta</h1>" in page
    assert "No necesitas cuenta y nadie sabrá que fuiste tú." in page
    assert "Publicar tu pregunta" in page and "Buscar preguntas parecidas" in page
    assert "Antes de publicar" in page and "No incluyas nombres, lugares" in page
    assert_no_english(page, ENGLISH_ASK)


def test_it_shows_the_ask_page_in_arabic_right_to_left():
    response = reader("ar").get("/questions/ask/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    page = main(response)
    assert "<h1>اطرح سؤالًا</h1>" in page
    assert "لا تحتاج إلى حساب" in page and "انشر سؤالك" in page and "قبل النشر" in page
    assert_no_english(page, ENGLISH_ASK)


def test_it_says_no_similar_question_was_found_in_the_readers_language():
    page = main(reader("es").post("/questions/ask/", {"title": "Una pregunta sin parecidas xyzzy", "preview": "1"}))
    assert "Aún no hay preguntas parecidas. Adelante, pregunta." in page


def test_it_keeps_the_ask_page_in_english_for_an_english_reader():
    page = main(reader(None).get("/questions/ask/"))
    for phrase in ENGLISH_ASK:
        assert phrase in page


# --- the thread --------------------------------------------------------------------------------


def test_it_shows_a_thread_with_answers_and_clarifications_in_spanish(thread):
    page = main(reader("es").get(thread.get_absolute_url()))
    assert "Publicada el 5 de noviembre de 2026 por Anónimo" in page  # Django's Spanish date format
    assert "2 respuestas" in page
    assert "De especialistas verificados" in page and "De la comunidad" in page
    assert "Especialista verificado" in page and "Información general, no consejo médico personal." in page
    assert 'aria-label="Respuesta de dra-luz"' in page
    assert "Denunciar" in page and "esta respuesta de ana" in page
    assert "<strong>quien pregunta</strong>" in page  # an anonymous asker is never named
    assert "Ver las 4 aclaraciones" in page
    assert "Inicia sesión para responder" in page and "Inicia sesión para pedir una aclaración" in page
    assert_no_english(page, ENGLISH_THREAD)


def test_it_shows_a_thread_in_arabic_with_arabic_plurals_and_dates(thread):
    page = main(reader("ar").get(thread.get_absolute_url()))
    assert "سأله مجهول في 5 نوفمبر، 2026" in page
    assert "إجابتان" in page and "2 إجابتان" not in page  # the dual says the number itself
    assert "من خبراء موثّقين" in page and "خبير موثّق" in page
    assert "<strong>صاحب السؤال</strong>" in page
    assert "عرض كل التوضيحات (4)" in page
    assert_no_english(page, ENGLISH_THREAD)


def test_it_gives_a_member_the_thread_tools_in_spanish(thread, member_user):
    page = main(member_reader("es", member_user).get(thread.get_absolute_url()))
    assert 'aria-label="Útil (voto a favor)"' in page and 'aria-label="No es útil (voto en contra)"' in page
    assert '<span class="visually-hidden">Puntuación </span>' in page
    assert "<summary>Pide una aclaración</summary>" in page and ">Tu aclaración</label>" in page
    assert "Hasta 600 caracteres. Puedes usar *énfasis*, `código` y enlaces." in page
    assert "Seguir este hilo" in page and "Publicar tu respuesta" in page
    assert_no_english(page, ["Helpful (upvote)", "Ask for a clarification", "Follow this thread", "Post your answer"])


def test_it_keeps_the_thread_in_english_for_an_english_reader(thread):
    page = main(reader(None).get(thread.get_absolute_url()))
    assert "Asked 5 Nov 2026 by Anonymous" in page
    assert "2 answers" in page and "From verified experts" in page and "<strong>the asker</strong>" in page
    assert "Show all 4 clarifications" in page and "Sign in to answer" in page


def test_it_shows_the_clarifications_page_in_both_languages(thread):
    answer = Answer.objects.get(question=thread, author__username="ana")
    spanish = main(reader("es").get(f"/answers/{answer.pk}/clarifications/"))
    assert "Aclaraciones sobre una respuesta a «" in spanish and "← Volver a la respuesta" in spanish
    arabic = main(reader("ar").get(f"/answers/{answer.pk}/clarifications/"))
    assert "توضيحات على إجابة عن «" in arabic and "العودة إلى الإجابة" in arabic
    for page in (spanish, arabic):
        assert_no_english(page, ["Clarifications on", "Back to the answer", "Sign in to ask for a clarification"])


# --- the private page --------------------------------------------------------------------------


@pytest.fixture
def asked():
    question = make_question(title="¿Cómo le digo a mi pareja lo que me pasó?")
    make_answer(question=question, author=UserFactory(username="helper"), body="Elige un momento tranquilo.")
    return question


def test_it_shows_the_private_page_in_spanish(asked):
    page = main(reader("es").get(f"/questions/key/{asked.key}/"))
    assert "La página privada de tu pregunta" in page
    assert "Guarda este enlace: es la única forma de volver" in page
    assert "<strong>no podemos recuperarlo por ti</strong>" in page
    assert "Copiar enlace" in page and "Envíame el enlace" in page
    assert "<dt>Estado</dt>" in page and "mírala en el foro" in page
    assert "Esta respuesta me ayudó" in page and "Pide una aclaración" in page
    assert_no_english(page, ENGLISH_KEY)


def test_it_shows_the_private_page_in_arabic(asked):
    response = reader("ar").get(f"/questions/key/{asked.key}/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    page = main(response)
    assert "صفحة سؤالك الخاصة" in page and "احتفظ بهذا الرابط" in page
    assert "نسخ الرابط" in page and "ساعدتني هذه الإجابة" in page and "<dt>الحالة</dt>" in page
    assert_no_english(page, ENGLISH_KEY)


def test_it_keeps_the_private_page_in_english_for_an_english_reader(asked):
    page = main(reader(None).get(f"/questions/key/{asked.key}/"))
    for phrase in ("Your private question page", "Copy link", "This answer helped me", "see it in the forum"):
        assert phrase in page


def test_it_says_a_private_link_is_not_recognised_in_the_readers_language():
    response = reader("es").get("/questions/key/not-a-real-key-at-all00/")
    assert response.status_code == 404
    assert "No reconocemos ese enlace privado" in response.content.decode()
    response = reader("ar").get("/questions/key/not-a-real-key-at-all00/")
    assert "لا نتعرف على هذا الرابط الخاص" in response.content.decode()


def test_it_asks_before_deleting_in_spanish_and_arabic(asked):
    visitor = reader("es")
    visitor.get(f"/questions/key/{asked.key}/")  # the key in the session, as the asker
    spanish = main(visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key}))
    assert "¿Borrar tu pregunta?" in spanish and "su única respuesta, que nadie volverá a ver;" in spanish
    assert "<strong>No se puede deshacer.</strong>" in spanish and "Borrarla para siempre" in spanish
    visitor.cookies["language"] = "ar"
    arabic = main(visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key}))
    assert "هل تريد حذف سؤالك؟" in arabic and "لا يمكن التراجع عن ذلك." in arabic


def test_it_shows_a_questions_history_in_spanish(asked):
    page = main(reader("es").get(f"/questions/{asked.pk}/history/"))
    assert "Historial de la pregunta" in page and "1 versión, de la más reciente a la más antigua." in page
    assert "Versión 1" in page and "tal como se publicó" in page and "Volver al hilo" in page


def test_it_serves_the_scripts_words_in_the_readers_language():
    spanish = Client().get("/jsi18n/es.js").content.decode()
    assert '"Copiado"' in spanish and "Ya se ha preguntado algo parecido" in spanish
    assert "Tu voto no se guard" in spanish
    arabic = Client().get("/jsi18n/ar.js").content.decode()
    assert "\\u0646\\u064f\\u0633\\u062e" in arabic or "نُسخ" in arabic  # "Copied"


def test_it_escapes_what_people_wrote_inside_a_translated_sentence(asked):
    """Translations with markup in them (a link, <strong>, a visually hidden part) are marked safe as a
    whole: the name, title or reason put into them must be escaped first, in every language."""
    author = UserFactory(username="ana<b>x</b>")
    make_answer(question=asked, author=author, body="Otra respuesta con suficientes palabras.")
    reported = {
        "es": "esta respuesta de ana&lt;b&gt;",
        "ar": "عن هذه الإجابة من ana&lt;b&gt;",
        None: "this answer by ana&lt;b&gt;",
    }
    for language, words in reported.items():
        html = reader(language).get(f"/questions/key/{asked.key}/").content.decode()
        assert "<b>x</b>" not in html and words in html  # inside the report link's translated markup
    Question.objects.filter(pk=asked.pk).update(status="hidden", moderation_reason='<img src=x onerror="alert(1)">')
    for language in ("es", "ar", None):
        html = reader(language).get(f"/questions/key/{asked.key}/").content.decode()
        assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
