"""The list, search, topic and notification pages in Spanish; the ask form's errors and the
messages of asking and answering in Spanish and Arabic; English unchanged (helper "lists", issue 16).

The reader's language comes from the `language` cookie (the footer's switcher sets it).
"""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from forum.core.templatetags.forum_time import age, waited
from forum.core.tokens import new_form_token
from forum.desk import services as desk
from forum.questions.forms import AskForm
from forum.questions.models import Tag
from forum.questions.preferences import Channel, unsubscribe_token
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

TITLE = "Why do I feel sad after being intimate with my partner?"
BODY = "It happens most times, even when everything went well. I don't know who to ask about it."
ANSWER = "This is common and has a name: postcoital dysphoria. It is worth talking about with someone."


def _in(language: str, client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies["language"] = language
    return client


def _main(response) -> str:
    """The page's own content, without the layout (base.html is translated by the coordinator)."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _absent(page: str, phrases: list[str]) -> None:
    left = [phrase for phrase in phrases if phrase in page]
    assert left == [], f"still in English: {left}"


@pytest.fixture
def thread():
    question = make_question(title=TITLE, content_warnings=["self-harm"])
    make_answer(question=question, author=UserFactory())
    return question


def test_it_shows_the_home_page_in_spanish(thread):
    page = _main(_in("es").get("/"))
    assert "Pregunta lo que nunca preguntarías en voz alta." in page
    assert "Haz una pregunta, sin necesidad de cuenta" in page and "Preguntas recientes" in page
    assert "<strong>1</strong> respuesta</span>" in page and "<strong>0</strong> votos</span>" in page
    assert "preguntada hace menos de un minuto por Anónimo" in page and "Aviso de contenido" in page
    _absent(
        page, ["Ask what you'd never ask out loud", "Recent questions", "asked ", " ago by ", "Anonymous", "answer<"]
    )


def test_it_keeps_the_home_page_in_english(thread):
    page = _main(Client().get("/"))
    assert "Ask what you'd never ask out loud." in page and "Recent questions" in page
    assert "<strong>1</strong> answer</span>" in page and "<strong>0</strong> votes</span>" in page
    assert "0 votes, 1 answer." in page
    assert "asked less than a minute ago by Anonymous" in page and "Content warning" in page


def test_it_shows_the_questions_list_in_spanish(thread):
    page = _main(_in("es").get("/questions/"))
    assert "Ordenar preguntas" in page and ">Recientes</a>" in page and ">Sin respuesta</a>" in page
    assert "Con respuesta de especialista" in page and TITLE in page
    _absent(page, ["Sort questions", ">Newest<", ">Unanswered<", "Expert answered", "Ask a question"])
    empty = _main(_in("es").get("/questions/?sort=unanswered"))
    assert "Todavía no hay preguntas aquí." in empty


def test_it_shows_the_topics_and_a_topic_in_spanish(thread):
    page = _main(_in("es").get("/tags/"))
    assert "<h1>Temas</h1>" in page and "1 pregunta<" in page and "0 preguntas<" in page
    tag = Tag.objects.exclude(questions=thread).first()
    empty = _main(_in("es").get(tag.get_absolute_url()))
    assert "Todavía no hay preguntas en este tema." in empty and "Haz una pregunta" in empty
    assert "1 question<" in _main(Client().get("/tags/"))


def test_it_shows_the_search_page_and_its_tips_in_spanish():
    page = _main(_in("es").get("/search/"))
    assert "Buscar preguntas" in page and "Palabras que buscar" in page and "Consejos" in page
    assert "<em>dolor después del sexo</em>" in page and "explora los temas" in page
    _absent(page, ["Words to look for", "Tips", "browse the topics", "no account needed"])


def test_it_shows_search_results_in_spanish(thread):
    response = _in("es").get("/search/?q=sad+intimate")
    page = _main(response)
    assert "Resultados para «sad intimate»" in page and "1 pregunta encontrada." in page
    assert "Solo con respuesta de especialista" in page and "Todos los temas" in page
    assert "Aviso de contenido: Autolesiones." in page  # the snippet of a question with a warning
    _absent(page, ["Search results for", "question found", "All topics", "Content warning"])
    assert "1 question found." in _main(Client().get("/search/?q=sad+intimate"))


def test_it_says_nothing_matched_in_spanish(thread):
    page = _main(_in("es").get("/search/?q=zzzqqq"))
    assert "Ninguna pregunta coincide" in page
    assert "No hay nada publicado que coincida con «zzzqqq»." in page
    assert "¿Sigues con la duda?" in page
    tag = thread.tags.first()
    narrowed = _main(_in("es").get(f"/search/?q=zzzqqq&tag={tag.slug}&expert=1"))
    with translation.override("es"):
        spanish_name = tag.label
    assert f"en {spanish_name} con respuesta de especialista" in narrowed and "busca en todo" in narrowed
    english = _main(Client().get(f"/search/?q=zzzqqq&tag={tag.slug}"))
    assert f"Nothing published matches “zzzqqq” in {tag.name}." in english and "search everything" in english


def test_it_shows_notifications_in_spanish(member, member_user, moderator_user):
    question = make_question(author=member_user, title="A thread of mine with an answer in it")
    make_answer(question=question, author=UserFactory())
    mine = make_answer(question=make_question(title="Someone else's thread I answered"), author=member_user)
    desk.post_hide(moderator=moderator_user, post=mine, reason="Please cite a source.")
    page = _main(_in("es", member).get("/notifications/"))
    assert "Respuesta nueva en" in page and "El equipo de moderación ocultó tu respuesta en" in page
    assert "Nota del equipo de moderación: «Please cite a source.»" in page
    assert "hace menos de un minuto" in page and "Marcar los 2 como leídos" in page
    assert "Preferencias de avisos" in page
    _absent(page, ["New answer on", "A moderator", "The moderator's note", " ago", "Mark all"])
    english = _main(_in("en", member).get("/notifications/"))
    assert "New answer on" in english and "Mark all 2 as read" in english


def test_it_shows_the_notification_choices_and_unsubscribe_pages_in_spanish(member, member_user):
    page = _main(_in("es", member).get("/me/notifications/settings/"))
    assert "Respuestas y aclaraciones a tus preguntas" in page and "Por correo" in page
    assert "En el sitio" in page and "Guardar preferencias" in page
    _absent(page, ["By email", "In the site", "Save choices"])
    response = _in("es", member).post("/me/notifications/settings/", {"my_questions_site": "on"}, follow=True)
    assert "Tus preferencias de avisos están guardadas." in response.content.decode()
    token = unsubscribe_token(user_id=member_user.pk, channel=Channel.FOLLOWED)
    stop = _main(_in("es").get(f"/unsubscribe/{token}/"))
    assert "¿Dejar de recibir estos correos?" in stop
    assert "Desactiva los correos sobre respuestas y aclaraciones en otros hilos que sigues." in stop
    invalid = _main(_in("es").get("/unsubscribe/not-a-token/"))
    assert "No reconocemos ese enlace para darte de baja" in invalid


@pytest.mark.parametrize(
    ("language", "title_error", "topic_error"),
    [
        ("es", "Escribe un poco más: al menos 15 caracteres.", "Elige al menos un tema."),
        ("ar", "يُرجى كتابة المزيد قليلًا، 15 حرفًا على الأقل.", "يُرجى اختيار موضوع واحد على الأقل."),
    ],
)
def test_it_shows_the_ask_forms_errors_in_the_readers_language(visitor, language, title_error, topic_error):
    data = {"title": "Sad after?", "body": BODY, "form_token": new_form_token()}
    page = _in(language, visitor).post("/questions/ask/", data).content.decode()
    assert title_error in page and topic_error in page
    assert "Please write a little more" not in page and "Please choose at least one topic." not in page


def test_it_keeps_the_ask_forms_errors_in_english(visitor):
    data = {"title": "Sad after?", "body": BODY, "form_token": new_form_token()}
    page = visitor.post("/questions/ask/", data).content.decode()
    assert "Please write a little more — at least 15 characters." in page
    assert "Please choose at least one topic." in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", ["Escribe tu pregunta.", "Los detalles deben tener menos de 10\xa0000 caracteres.", "Elige de 1 a 5."]),
        ("ar", ["يُرجى كتابة سؤالك.", "يُرجى أن تكون التفاصيل أقل من 10000 حرف.", "اختر من 1 إلى 5."]),
        ("en", ["Please write your question.", "Please keep the details under 10,000 characters.", "Choose 1 to 5."]),
    ],
)
def test_it_translates_the_forms_built_in_messages_when_shown(language, expected):
    """Labels and messages made at import hold their numbers and translate when rendered."""
    with translation.override(language):
        form = AskForm(data={"title": "", "body": "x" * 10_001, "form_token": new_form_token()})
        assert not form.is_valid()
        shown = [form.errors["title"][0], form.errors["body"][0], str(form.fields["tags"].help_text)]
    assert shown == expected


@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
@pytest.mark.parametrize(
    ("language", "posted", "answered"),
    [
        (
            "es",
            "Tu pregunta se envió. Guarda tu enlace privado, aquí abajo.",
            "Gracias. Tu respuesta ya está publicada.",
        ),
        ("ar", "أُرسل سؤالك. احفظ رابطك الخاص أدناه.", "شكرًا لك، نُشرت إجابتك."),
        ("en", "Your question was sent. Save your private link below.", "Thank you — your answer is posted."),
    ],
)
def test_it_tells_the_asker_and_the_answerer_in_their_language(visitor, member, language, posted, answered):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:1])
    data = {"title": TITLE, "body": BODY, "tags": tags, "form_token": new_form_token()}
    asked = _in(language, visitor).post("/questions/ask/", data, follow=True)
    assert posted in asked.content.decode()
    question = make_question(title="How do I say what I like without hurting them?")
    reply = _in(language, member).post(f"/questions/{question.pk}/answer/", {"body": ANSWER}, follow=True)
    assert answered in reply.content.decode()


def test_it_says_how_long_ago_in_the_readers_language():
    now = timezone.now()
    cases = [(timedelta(hours=3), "3 hours", "3 horas", "3 ساعات"), (timedelta(days=1), "1 day", "1 día", "يوم واحد")]
    for delta, english, spanish, arabic in cases:
        assert age(now - delta, now) == english
        with translation.override("es"):
            assert age(now - delta, now) == spanish
        with translation.override("ar"):
            assert age(now - delta, now) == arabic
    with translation.override("es"):
        assert age(now, now) == "menos de un minuto"
        assert waited(now - timedelta(hours=2, minutes=5), now) == "2 h 5 min"
    assert waited(now - timedelta(days=3, hours=4), now) == "3 d 4 h"


def test_it_escapes_user_text_inside_translated_sentences(member, member_user, moderator_user):
    """A search query, a topic's name, a moderator's note and a display name go into translated
    sentences as escaped text."""
    attack = '<img src=x onerror="alert(1)">'
    page = _main(_in("es").get("/search/", {"q": attack}))
    assert "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    member_user.username = "<b>bold</b>"
    member_user.save(update_fields=["username"])
    make_question(author=member_user, anonymous=False, title="A named question with a crafted name")
    home = _main(_in("es").get("/"))
    assert "por &lt;b&gt;bold&lt;/b&gt;" in home and "<b>bold</b>" not in home
    mine = make_answer(question=make_question(title="Someone else's thread I answered"), author=member_user)
    desk.post_hide(moderator=moderator_user, post=mine, reason=attack)
    notices = _main(_in("es", member).get("/notifications/"))
    assert "<img src=x" not in notices and "«&lt;img src=x" in notices


def test_it_names_the_starter_topics_in_the_readers_language(thread):
    """The topics that ship with the forum read in the reader's language; a moderator's own topic as typed."""
    Tag.objects.create(name="Kink", slug="kink", description="Our own words.")
    page = _main(_in("es").get("/tags/"))
    assert "Sexo y placer" in page and "Relaciones controladoras, violentas o abusivas." in page
    assert "Kink" in page and "Our own words." in page
    assert "Sexo y placer" in _main(_in("es").get("/"))  # the list rows' topics
    assert "الجنس والمتعة" in _in("ar").get("/questions/ask/").content.decode()  # the ask form's choices
    assert "Sex and pleasure" in _main(Client().get("/tags/"))
