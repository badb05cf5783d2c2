"""Each email in its reader's language (issue 16), and the error pages in the reader's language.

A member's emails follow `User.language` (set at sign-up, then by the language switcher), not the
language of the request that caused them nor the worker's; an accountless asker's follow the page
they left their address on. The error pages speak Spanish and Arabic, the last-resort 500/503
and the malformed-request 400 (answered before LocaleMiddleware runs) included."""

import re

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from forum.core import views as core_views
from forum.desk.services import question_reject
from forum.questions import views as question_views
from forum.questions.models import Follow, Question, Tag
from forum.questions.notice_emails import expert_digests_queue
from forum.questions.notifications import announce_expert_decision
from forum.questions.preferences import preferences_set
from forum.questions.services import question_publish
from tests.factories import PASSWORD, UserFactory, make_answer, make_expert, make_question
from tests.mailqueue import run_worker
from tests.questions.test_asker_email import ADDRESS, ask_data

ANSWER = "It is common, and it often eases once you can talk about it together."


def speaking(language: str, **kwargs) -> Client:
    """A browser whose reader chose `language` with the switcher (the cookie it leaves)."""
    client = Client(**kwargs)
    client.cookies["language"] = language
    return client


def signed_in(user, language: str) -> Client:
    client = speaking(language)
    client.force_login(user)
    return client


def subject(mail) -> str:
    """The decoded subject, unfolded (a long non-ASCII subject is folded into encoded words)."""
    return " ".join(str(mail.message["Subject"]).split())


def run_worker_in(language: str) -> None:
    """The worker, with some other language left active: an email must not depend on it."""
    with translation.override(language):
        run_worker()


# --- a member's language ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_remembers_the_language_a_signed_in_member_switches_to():
    member = UserFactory()
    assert member.language == "en"
    browser = Client(enforce_csrf_checks=True)  # the switcher sends no token (cached pages carry none)
    browser.force_login(member)
    response = browser.post("/language/", {"language": "es", "next": "/questions/"})
    assert response.status_code == 302 and response.cookies["language"].value == "es"
    member.refresh_from_db()
    assert member.language == "es"
    for unknown in ("xx", "fr"):  # not languages of the site (Django ships French): nothing changes
        browser.post("/language/", {"language": unknown, "next": "/"})
        member.refresh_from_db()
        assert member.language == "es"
    assert browser.get("/language/?language=ar").status_code == 405
    member.refresh_from_db()
    assert member.language == "es"


@pytest.mark.django_db
def test_it_switches_a_visitors_language_without_touching_any_member(settings):
    # A forged cross-site POST is such a visitor: the session cookie is not sent with it.
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    UserFactory()
    response = Client().post("/language/", {"language": "ar", "next": "/"})
    assert response.status_code == 302 and response.cookies["language"].value == "ar"
    assert not User.objects.exclude(language="en").exists()


@pytest.mark.django_db
def test_it_keeps_the_language_a_member_signs_up_in(django_capture_on_commit_callbacks):
    browser = speaking("es")
    data = {"email": "nueva@example.com", "username": "calm-lynx", "password1": PASSWORD, "password2": PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post("/accounts/signup/", data).status_code == 302
    assert User.objects.get(email="nueva@example.com").language == "es"
    english = {**data, "email": "new@example.com", "username": "calm-owl"}
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post("/accounts/signup/", english).status_code == 302
    assert User.objects.get(email="new@example.com").language == "en"


# --- members' notification emails ----------------------------------------------------------------


@pytest.mark.usefixtures("task_queue")
def test_it_writes_each_followers_email_in_their_own_language(smtp_server):
    smtp_server.start()
    spanish = UserFactory(email="lectora@example.com", language="es")
    english = UserFactory(email="reader@example.com", language="en")
    arabic = UserFactory(email="qari@example.com", language="ar")
    question = make_question()
    for follower in (spanish, english, arabic):
        Follow.objects.create(user=follower, question=question)
        preferences_set(user_id=follower.pk, followed_email=True)
    with translation.override("ar"):  # the answer came from a page in yet another language
        make_answer(question=question, author=UserFactory(), body=ANSWER)
    run_worker_in("ar")
    mails = {mail.recipients[0]: mail for mail in smtp_server.messages}
    es, en = mails["lectora@example.com"], mails["reader@example.com"]
    assert subject(es) == "[Ask Freely] Un hilo que sigues tiene una respuesta nueva"
    assert es.body.startswith("Hola:") and "Un hilo que sigues en Ask Freely tiene una respuesta nueva." in es.body
    assert "Puedes leerla aquí:" in es.body and "Deja de recibir estos correos con un clic:" in es.body
    assert "Hello" not in es.body and "Read it here" not in es.body
    assert subject(en) == "[Ask Freely] A thread you follow has a new answer"
    assert en.body.startswith("Hello,") and "A thread you follow on Ask Freely has a new answer." in en.body
    assert "Hola" not in en.body and "Stop these emails with one click:" in en.body
    ar = mails["qari@example.com"]
    assert subject(ar) == "[Ask Freely] لنقاش تتابعه إجابة جديدة"
    assert ar.body.startswith("مرحبًا،") and "لنقاش تتابعه على Ask Freely إجابة جديدة." in ar.body
    assert "أوقف هذه الرسائل بنقرة واحدة:" in ar.body and "Hello" not in ar.body


@pytest.mark.usefixtures("task_queue")
def test_it_tells_a_spanish_asker_of_an_expert_answer_and_a_decision_in_spanish(moderator_user, smtp_server):
    smtp_server.start()
    asker = UserFactory(email="pregunta@example.com", language="es")
    question = make_question(author=asker)
    make_answer(question=question, author=make_expert(), body=ANSWER)
    pending = make_question(author=asker, title="Is it normal to feel nothing at all some days?", status="pending")
    question_reject(moderator=moderator_user, question=pending, reason="It names a real person, sorry.")
    run_worker_in("en")
    subjects = sorted(subject(mail) for mail in smtp_server.messages)
    assert subjects == [
        "[Ask Freely] Tu pregunta tiene una respuesta de especialista verificado",
        "[Ask Freely] Una decisión de moderación sobre tu pregunta",
    ]
    body = "\n".join(mail.body for mail in smtp_server.messages)
    assert "Una pregunta que hiciste en Ask Freely tiene una respuesta de especialista verificado." in body
    assert "El equipo de moderación ha tomado una decisión sobre tu pregunta: no se ha aprobado." in body
    assert "real person" not in body and moderator_user.username not in body


@pytest.mark.usefixtures("task_queue")
def test_it_writes_an_experts_verification_and_digest_in_spanish_with_plurals(smtp_server):
    smtp_server.start()
    tag = Tag.objects.order_by("pk").first()
    expert = make_expert(UserFactory(email="experta@example.com", language="es"))
    expert.expert_profile.areas.set([tag])
    announce_expert_decision(user_id=expert.pk, decision="verified")  # what expert_verify says
    make_question(tags=[tag], title="A first question in the expert's area")
    make_question(tags=[tag], title="A second question in the expert's area")
    assert expert_digests_queue() == 1
    run_worker_in("en")
    mails = {subject(mail): mail.body for mail in smtp_server.messages}
    digest = mails["[Ask Freely] 2 preguntas nuevas en tus áreas de trabajo"]
    assert "Preguntas nuevas en tus áreas de trabajo desde tu último resumen:" in digest
    assert "A first question in the expert's area" in digest  # titles stay as written
    decision = mails["[Ask Freely] Una decisión sobre tu solicitud como especialista"]
    assert "ya tienes la verificación de especialista" in decision and "actívala aquí:" in decision


# --- an accountless asker ---------------------------------------------------------------------------


@pytest.fixture
def asker_from(task_queue, smtp_server, settings):
    """A visitor asks from a page in `language`, leaving an address; a moderator publishes it."""
    settings.SITE_URL = "https://forum.example.org"
    caches["counters"].clear()  # rate-limit counters: committed tables outlive a test

    def ask(language: str) -> Question:
        response = speaking(language).post("/questions/ask/", ask_data(asker_email=ADDRESS))
        assert response.status_code == 302
        return question_publish(question=Question.objects.get())

    return ask


def test_it_writes_to_an_accountless_asker_in_the_language_of_the_page_they_asked_on(asker_from, smtp_server):
    smtp_server.start()
    question = asker_from("es")
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    job = DBTaskResult.objects.get(status="READY")
    assert set(job.args_kwargs["kwargs"]) == {"contact_id", "kind"}  # ids only: the language is sealed
    run_worker_in("en")
    [mail] = smtp_server.messages
    assert subject(mail) == "[Ask Freely] Tu pregunta tiene una respuesta nueva"
    assert f"Tu pregunta tiene una respuesta nueva en Ask Freely (pregunta n.º {question.pk})." in mail.body
    assert "Abre tu página privada para leerla:" in mail.body and "tras 30 días sin actividad" in mail.body
    assert "Hello" not in mail.body and ADDRESS not in mail.body


def test_it_writes_to_an_arabic_asker_in_arabic(asker_from, smtp_server):
    smtp_server.start()
    question = asker_from("ar")
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    run_worker_in("es")
    [mail] = smtp_server.messages
    assert subject(mail) == "[Ask Freely] لسؤالك إجابة جديدة"
    assert f"لسؤالك إجابة جديدة على Ask Freely (السؤال رقم {question.pk})." in mail.body
    assert "أو بعد 30 يومًا دون أي نشاط في النقاش." in mail.body


def test_it_writes_to_an_english_asker_in_english_whoever_answers(asker_from, smtp_server):
    smtp_server.start()
    question = asker_from("en")
    with translation.override("es"):
        make_answer(question=question, author=UserFactory(language="es"), body=ANSWER)
    run_worker_in("es")
    [mail] = smtp_server.messages
    assert mail.message["Subject"] == "[Ask Freely] Your question has a new answer"
    assert "or after 30 days without activity on the thread." in mail.body and "Hola" not in mail.body


@pytest.mark.usefixtures("task_queue")
def test_it_emails_the_private_link_in_the_language_of_the_page_it_was_asked_from(smtp_server, settings):
    settings.SITE_URL = "https://forum.example.org"
    caches["counters"].clear()
    smtp_server.start()
    question = make_question()
    browser = speaking("es")
    response = browser.post(f"/questions/{question.pk}/email-link/", {"key": question.key, "link_email": ADDRESS})
    assert response.status_code == 302
    job = DBTaskResult.objects.get(status="READY")
    assert job.args_kwargs["kwargs"]["language"] == "es" and ADDRESS not in str(job.args_kwargs)
    run_worker_in("en")
    [mail] = smtp_server.messages
    assert subject(mail) == "[Ask Freely] Tu enlace privado"
    assert mail.body.startswith("Hola:") and "Alguien pidió en Ask Freely que se enviara este enlace" in mail.body
    assert f"https://forum.example.org/questions/key/{question.key}/" in mail.body
    again = browser.post(f"/questions/{question.pk}/email-link/", {"key": question.key, "link_email": ADDRESS})
    assert "Este enlace ya se envió por correo, y solo lo enviamos una vez." in again.content.decode()


# --- the error pages ----------------------------------------------------------------------------------

PAGES = {
    "es": {
        400: ("Solicitud no válida", "No hemos podido leer esa solicitud"),
        403: ("No permitido", "Tu cuenta no tiene permiso para esta página"),
        "csrf": ("Formulario caducado", "Por tu seguridad, el foro solo acepta formularios"),
        404: ("Página no encontrada", "Ve a la portada</a> o busca arriba."),
        405: ("No disponible de esta forma", "Pertenece a un botón de otra página"),
        410: ("Ya no existe", "Lo que había aquí se eliminó para siempre"),
        429: ("Más despacio", "Vuelve a intentarlo dentro de "),
        500: ("Algo salió mal", "No es nada que hayas hecho tú."),
        503: ("Volvemos enseguida", "suele resolverse en un minuto"),
    },
    "ar": {
        400: ("طلب غير صالح", "لم نتمكّن من قراءة هذا الطلب"),
        403: ("غير مسموح", "ليس لدى حسابك إذن بهذه الصفحة"),
        "csrf": ("انتهت صلاحية النموذج", "حرصًا على أمانك"),
        404: ("الصفحة غير موجودة", "أو ابحث في الأعلى."),
        405: ("غير متاح بهذه الطريقة", "هذا العنوان تابع لزر في صفحة أخرى"),
        410: ("لم يعد موجودًا", "ما كان هنا حُذف نهائيًا"),
        429: ("تمهّل قليلًا", "يُرجى المحاولة مرة أخرى بعد "),
        500: ("حدث خطأ ما", "حدث خطأ من جهتنا"),
        503: ("سنعود بعد قليل", "المشكلة من جهتنا"),
    },
}
ASK = {"title": "Is it normal to feel nervous before a first time?", "body": "Weeks of worry, and I want to say it."}


def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def _last_resort(language, error):
    request = RequestFactory().post("/questions/ask/", ASK, HTTP_COOKIE=f"language={language}")
    try:
        raise error
    except type(error):
        return core_views.error_500(request)  # Django's handler: no middleware ran for it


def _provoke(page, language, member, monkeypatch):
    if page == 400:
        return speaking(language).get("/questions/?q=%00")  # refused before LocaleMiddleware runs
    if page == 403:
        return signed_in(member, language).get("/moderation/")
    if page == "csrf":
        return speaking(language, enforce_csrf_checks=True).post("/questions/ask/", ASK)
    if page == 404:
        return speaking(language).get("/no-such-page/")
    if page == 405:
        return signed_in(member, language).get(f"/questions/{make_question().pk}/answer/")
    if page == 410:
        return core_views.error_410(RequestFactory().get("/", HTTP_COOKIE=f"language={language}"))
    if page == 429:
        caches["counters"].clear()
        browser = speaking(language)
        for _ in range(10):
            browser.post("/questions/ask/", {"title": "x"})
        return browser.post("/questions/ask/", {"title": "x"})
    if page == 500:
        monkeypatch.setattr(question_views.selectors, "home_lists", _raise(RuntimeError("boom")))
        return speaking(language, raise_request_exception=False).get("/")
    return _last_resort(language, OperationalError("server closed"))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ar"])
@pytest.mark.parametrize("page", [400, 403, "csrf", 404, 405, 410, 429, 500, 503])
def test_it_shows_every_error_page_in_the_readers_language(page, language, member_user, monkeypatch):
    response = _provoke(page, language, member_user, monkeypatch)
    html = response.content.decode()
    title, sentence = PAGES[language][page]
    assert response.status_code == (403 if page == "csrf" else page)
    assert re.search(rf"<title>{re.escape(title)} · Ask Freely</title>", html), html[:600]
    assert sentence in html
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "Go to the front page" not in html and "Try the front page" not in html


@pytest.mark.django_db
def test_it_says_how_long_to_wait_in_the_readers_language():
    from forum.core.middleware import wait_in_words

    with translation.override("es"):
        assert (wait_in_words(1), wait_in_words(45), wait_in_words(600)) == ("1 segundo", "45 segundos", "10 minutos")
    with translation.override("ar"):
        assert (wait_in_words(2), wait_in_words(5), wait_in_words(180)) == ("2 ثانيتين", "5 ثوانٍ", "3 دقائق")
    assert (wait_in_words(1), wait_in_words(600)) == ("1 second", "10 minutes")


@pytest.mark.django_db
@pytest.mark.parametrize("stale", ["es", "ar"])
def test_it_never_answers_an_error_in_the_language_another_reader_left_behind(stale):
    """The thread's active language is whatever the last request used; a page answered before
    LocaleMiddleware (or by the last-resort handler) must choose again, from this request."""
    with translation.override(stale):
        refused = Client().get("/questions/?q=%00").content.decode()
        crashed = _last_resort("en", RuntimeError("boom")).content.decode()
        unreachable = core_views.error_500  # the same handler, a reader with no cookie
        request = RequestFactory().get("/")
        try:
            raise OperationalError("server closed")
        except OperationalError:
            down = unreachable(request).content.decode()
    assert "We couldn't read that request" in refused and '<html lang="en" dir="ltr">' in refused
    assert "Something went wrong on our side" in crashed
    assert "We'll be back in a moment" in down and '<html lang="en" dir="ltr">' in down


@pytest.mark.django_db
def test_it_follows_the_browsers_language_on_the_last_resort_page():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        html = core_views.error_500(request).content.decode()
    assert "Algo ha fallado por nuestra parte" in html and '<html lang="es" dir="ltr">' in html


@pytest.mark.django_db
def test_it_answers_a_plain_page_in_the_readers_language_if_the_layout_fails(monkeypatch):
    monkeypatch.setattr(core_views.loader, "render_to_string", _raise(RuntimeError("template broke")))
    html = _last_resort("ar", RuntimeError("boom")).content.decode()
    assert "حدث خطأ ما" in html and "اذهب إلى الصفحة الرئيسية" in html and "lang='ar' dir='rtl'" in html


# --- allauth's emails (its own catalogs) ----------------------------------------------------------


@pytest.mark.usefixtures("task_queue")
def test_it_sends_allauths_emails_in_the_members_language_or_the_pages(smtp_server):
    smtp_server.start()
    UserFactory(email="olvidadiza@example.com", language="es")
    assert Client().post("/accounts/password/reset/", {"email": "olvidadiza@example.com"}).status_code == 302
    assert speaking("ar").post("/accounts/password/reset/", {"email": "nadie@example.com"}).status_code == 302
    assert Client().post("/accounts/password/reset/", {"email": "nobody@example.com"}).status_code == 302
    run_worker_in("en")
    mails = {mail.recipients[0]: subject(mail) for mail in smtp_server.messages}
    assert mails["olvidadiza@example.com"] == "[Ask Freely] Correo electrónico para restablecer contraseña"
    assert mails["nadie@example.com"] == "[Ask Freely] حساب غير معروف"  # allauth's Arabic: the page's language
    assert mails["nobody@example.com"] == "[Ask Freely] Unknown Account"
