"""The moderation desk in Spanish (issue 16): the queue, the log and what its entries say, a
thread's moderator panel, the delete confirmation, the report form and the posting refusals,
for a reader whose `language` cookie says "es"; and the same pages unchanged in English."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from forum.answers.models import Answer
from forum.desk import services, thread_services
from forum.moderation import policy
from forum.moderation.canned import BUTTON_LABELS
from forum.moderation.models import Flag, ModerationAction, Suspension, WatchedWord
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "moderation"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request leaves its language active in the thread: later tests must not read Spanish."""
    yield
    translation.deactivate()


def _spanish(client):
    client.cookies["language"] = "es"
    return client


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def busy_desk(db):
    """A pending question, a reported answer, a question in the crisis lane."""
    pending = make_question(title="Is it normal to feel nervous the first time?", status="pending")
    reported = make_question(title="How do I bring up protection with a new partner?")
    answer = make_answer(question=reported, author=UserFactory())
    Flag.objects.create(answer=answer, reason=Flag.Reason.SPAM, reporter_hash="a" * 64, weight=1)
    crisis = make_question(title="I feel like nobody would notice if I was gone")
    Question.objects.filter(pk=crisis.pk).update(crisis_at=timezone.now() - datetime.timedelta(hours=1))
    return pending, answer, crisis


def test_it_shows_the_queue_in_spanish(moderator, busy_desk):
    html = _html(_spanish(moderator), "/moderation/")
    assert '<html lang="es"' in html and "<title>Cola de moderación ·" in html
    for spanish in ("Crisis: lee esto primero", "Pendiente de revisión", "Publicaciones denunciadas",
                    "Atajos de teclado", "1 denuncia abierta", "de una visita", "(cuenta un tercio para ocultarla)",
                    ">Aprobar</button>", ">Rechazar</button>", ">Ocultar</button>", "Motivo (obligatorio)",
                    "Motivo para «Aprobar»", "Suspender a quien lo publicó", "Marcar como vista",
                    "Escribir una nota de apoyo…", "Spam o publicidad", "preguntada hace"):  # fmt: skip
        assert spanish in html, spanish
    for english in ("Moderation queue", "Pending review", "Keyboard shortcuts", ">Approve</button>", "open report"):
        assert english not in html, english


def test_the_buttons_keep_their_ids_and_canned_reasons_in_any_language(moderator, busy_desk):
    """The label is a key: the reason field's id and the reasons that suit it do not change with the language."""
    pending, _, _ = busy_desk
    english = _html(moderator, "/moderation/")
    spanish = _html(_spanish(moderator), "/moderation/")
    for html in (english, spanish):
        assert f'id="reason-q{pending.pk}-approve"' in html and f'id="reason-q{pending.pk}-reject"' in html


def test_every_desk_button_label_is_a_known_key_with_a_spanish_translation():
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'_reason_action\.html" with url=u label="([^"]+)"', template.read_text()))
        used |= set(re.findall(r'canned_reason_picker "([^"]+)"', template.read_text()))
    assert used and used <= set(BUTTON_LABELS)
    with translation.override("es"):
        assert all(translation.gettext(label) != label for label in BUTTON_LABELS)


def test_it_shows_the_log_and_its_entries_in_spanish(moderator, moderator_user):
    plain = list(Tag.objects.filter(is_sensitive=False).order_by("pk")[:2])
    question = make_question(title="A question in the wrong topic for now", tags=[plain[0]])
    thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain[1]], reason="Mejor así")
    anonymous = make_question(title="A question asked anonymously by a member", author=UserFactory())
    services.question_author_suspend(moderator=moderator_user, question=anonymous, days=3, reason="Spam")
    services.watched_word_add(moderator=moderator_user, phrase="palabrota", action=WatchedWord.Action.HOLD)
    ModerationAction.objects.create(kind=ModerationAction.Kind.AUTO_HIDE, question=question)
    html = _html(_spanish(moderator), "/moderation/log/")
    assert "<h1>Registro de moderación</h1>" in html and 'data-label="Acción"' in html
    for spanish in ("Movió a otros temas", f"De {plain[0].name} a {plain[1].name}. Mejor así",
                    "Suspendió a un miembro", f"quien hizo la pregunta n.º {anonymous.pk}",
                    "Añadió una palabra vigilada", "«palabrota»", f"pregunta n.º {question.pk}",
                    "Se ocultó automáticamente por denuncias", "<em>automático</em>",
                    "Cualquier acción", ">Desde</label>", ">Hasta</label>", ">Filtrar</button>"):  # fmt: skip
        assert spanish in html, spanish
    assert "From " not in html and "the author of question" not in html
    # The row keeps its English record; only the page speaks Spanish.
    retag = ModerationAction.objects.get(kind="retag")
    assert retag.reason == f"From {plain[0].name} to {plain[1].name}. Mejor así"


def test_the_log_reads_in_english_as_before(moderator, moderator_user):
    plain = list(Tag.objects.filter(is_sensitive=False).order_by("pk")[:2])
    question = make_question(title="A question in the wrong topic for now", tags=[plain[0]])
    thread_services.question_retag(moderator=moderator_user, question=question, tags=[plain[1]], reason="Better")
    html = _html(moderator, "/moderation/log/")
    assert "<h1>Moderation log</h1>" in html and 'data-label="Action">Moved to other topics</td>' in html
    assert f"From {plain[0].name} to {plain[1].name}. Better" in html and "Registro" not in html


def test_a_reason_that_does_not_start_as_written_is_shown_as_it_is(moderator_user):
    action = ModerationAction(kind="retag", reason="Typed by hand", details={"from_topics": [], "to_topics": ["x"]})
    with translation.override("es"):
        assert action.reason_shown == "Typed by hand"
        moved = ModerationAction(kind="retag", reason="From no topic to x.", details=action.details)
        assert moved.reason_shown == "De ningún tema a x."


def test_it_shows_a_thread_moderator_panel_in_spanish(moderator):
    question = make_question(title="How do we keep talking when it gets awkward?", author=UserFactory(),
                             anonymous=False)  # fmt: skip
    make_answer(question=question, author=UserFactory())
    html = _html(_spanish(moderator), question.get_absolute_url())
    for spanish in ('<summary>Moderar<span class="visually-hidden"> esta pregunta</span></summary>',
                    f"Pregunta n.º {question.pk}", "Cerrar como duplicada…", "Cambiar de tema…", "Editar…",
                    ">Bloquear</button>", ">Eliminar…</button>", "Levantar la suspensión de quien lo publicó",
                    "historial"):  # fmt: skip
        assert spanish in html, spanish
    assert "Close as duplicate…" not in html and "Move topics…" not in html


def test_it_asks_to_confirm_a_delete_in_spanish(moderator):
    question = make_question(title="A question that will be deleted soon enough")
    make_answer(question=question, author=UserFactory())
    client = _spanish(moderator)
    page = client.post(f"/moderation/question/{question.pk}/delete/", {"reason": "Duplicado"})
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>¿Eliminar esta pregunta?</h1>" in html
    assert "Qué se perderá" in html and "su 1 respuesta y todas las aclaraciones" in html
    assert "Eliminar para siempre" in html and 'value="Duplicado"' in html
    missing = client.post(f"/moderation/question/{question.pk}/delete/", {"confirm": "yes"})
    assert missing.status_code == 400
    assert "Indica un motivo: queda en el registro de moderación." in missing.content.decode()
    assert Question.objects.get(pk=question.pk).status == "published"


def test_the_confirm_delete_page_is_unchanged_in_english(moderator):
    question = make_question(title="A question that will be deleted soon enough")
    answer = make_answer(question=question, author=UserFactory())
    html = moderator.post(f"/moderation/answer/{answer.pk}/delete/").content.decode()
    assert "<h1>Delete this answer?</h1>" in html and f"Answer #{answer.pk} in" in html
    assert "What will be lost" in html and "Qué se perderá" not in html


def test_an_action_says_it_is_done_in_spanish(moderator):
    question = make_question(title="Is it normal to feel nervous the first time?", status="pending")
    client = _spanish(moderator)
    response = client.post(f"/moderation/question/{question.pk}/approve/", follow=True)
    assert "Hecho. La acción quedó en el registro de moderación." in response.content.decode()
    again = client.post(f"/moderation/question/{question.pk}/approve/", follow=True)
    assert "Alguien ya se ocupó de esta pregunta" in again.content.decode()


def test_a_visitor_reports_a_post_in_spanish(visitor):
    question = make_question(title="How do I bring up protection with a new partner?")
    answer = make_answer(question=question, author=UserFactory())
    html = _html(_spanish(visitor), f"/report/answer/{answer.pk}/")
    for spanish in ("<h1>Denunciar una respuesta</h1>", "¿Qué problema tiene esta publicación?",
                    "Spam o publicidad", "Otra cosa", "Enviar denuncia"):  # fmt: skip
        assert spanish in html, spanish
    refused = visitor.post(f"/report/answer/{answer.pk}/", {"reason": "other", "note": ""})
    assert "Cuéntale al equipo de moderación cuál es el problema." in refused.content.decode()
    sent = visitor.post(f"/report/answer/{answer.pk}/", {"reason": "spam"}, follow=True)
    assert "Gracias. El equipo de moderación revisará tu denuncia." in sent.content.decode()
    assert Answer.objects.get(pk=answer.pk).flags.count() == 1


def test_the_posting_refusals_speak_the_readers_language(member_user):
    Suspension.objects.create(user=member_user, ends_at=timezone.now() + datetime.timedelta(days=2), reason="Spam")
    WatchedWord.objects.create(phrase="forbidden", action=WatchedWord.Action.BLOCK)
    with translation.override("es"):
        with pytest.raises(ValidationError) as suspended:
            policy.check_member_can_post(member_user)
        with pytest.raises(ValidationError) as blocked:
            policy.screen_text("a forbidden word")
        refused = blocked.value.messages[0]  # a lazy message: said in the language active when shown
    until = r"Tu cuenta está suspendida hasta el \d+ de \w+ de \d{4}, \d\d:\d\d UTC"
    assert re.match(until, suspended.value.messages[0])
    assert "Motivo que dio el equipo de moderación: Spam" in suspended.value.messages[0]
    assert refused.startswith("No podemos publicar este texto")
    with translation.override("en"), pytest.raises(ValidationError) as english:
        policy.check_member_can_post(member_user)
    assert english.value.messages[0].startswith("Your account is suspended until")


def test_the_other_desk_pages_speak_spanish(moderator):
    question = make_question(title="How do we keep talking when it gets awkward?")
    client = _spanish(moderator)
    pages = {
        "/moderation/words/": ("<h1>Palabras vigiladas</h1>", "Palabra o frase"),
        "/moderation/experts/": ("<h1>Solicitudes de especialistas</h1>", "No hay solicitudes esperando."),
        f"/moderation/question/{question.pk}/duplicate/": ("<h1>Cerrar como duplicada</h1>", "La pregunta original"),
        f"/moderation/question/{question.pk}/topics/": ("<h1>Mover a otros temas</h1>", "Elige de 1 a 5"),
        f"/moderation/question/{question.pk}/edit/": ("<h1>Editar la pregunta n.º", "Motivo de la edición"),
        f"/moderation/question/{question.pk}/support-note/": ("Escribe una nota de apoyo", "Gracias por contárnoslo"),
    }
    for url, expected in pages.items():
        html = _html(client, url)
        for text in expected:
            assert text in html, (url, text)


def test_our_admin_labels_speak_spanish_and_name_no_anonymous_asker(site_admin, moderator_user):
    anonymous = make_question(title="A question asked anonymously by a member", author=UserFactory(username="secret"))
    services.question_author_suspend(moderator=moderator_user, question=anonymous, days=3, reason="Spam")
    client = _spanish(site_admin)
    log = _html(client, "/admin/moderation/moderationaction/")
    assert "Moderador/a" in log and "Suspendió a un miembro" in log
    assert f"quien hizo la pregunta n.º {anonymous.pk}" in log and "secret" not in log
    suspensions = _html(client, "/admin/moderation/suspension/")
    assert "Persona suspendida" in suspensions and "Levantar las suspensiones seleccionadas" in suspensions
    assert "secret" not in suspensions
