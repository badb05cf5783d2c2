"""The people's pages in Spanish: about, guidelines, privacy, the experts, a profile, the member's
space, signing in and up, and the expert application (with its errors); English unchanged."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import ExpertProfile
from forum.questions.models import Tag
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question
from tests.people import images
from tests.people.experts import applicant, give_photo

pytestmark = pytest.mark.django_db


def _spanish(client: Client) -> Client:
    client.cookies["language"] = "es"
    return client


def _text(response) -> str:
    """What a reader sees: the page without its tags, scripts and runs of spaces."""
    assert response.status_code == 200
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", "", response.content.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _reads(text: str, present: list[str], absent: list[str]) -> None:
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


def _expert(username="expert-eve"):
    user = make_expert(UserFactory(username=username))
    day = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    ExpertProfile.objects.filter(user=user).update(bio="Bio", bio_html="<p>Bio</p>", decided_at=day)
    give_photo(user)
    return user


# --- the three pages people read before they trust us -------------------------------------------

PAGES = {
    "/about/": (
        [
            "Sobre Ask Freely",
            "sin que nadie sepa que fuiste tú",
            "Cómo verificamos a los especialistas",
            "Anónimo significa anónimo, también para el equipo de moderación.",
            "Quien está en crisis va primero.",
            "No tienes que esperar a que te respondan aquí.",
        ],
        [
            "Who is behind it",
            "How experts are checked",
            "Anonymous means anonymous",
            "Someone in crisis comes first",
            "You don't have to wait for an answer here",
        ],
    ),
    "/guidelines/": (
        [
            "Normas de la comunidad",
            "Sé amable y tómate la pregunta en serio.",
            "Nada sexual que involucre a menores,",
            "Cómo funcionan las denuncias",
            "cuenta un tercio",
        ],
        [
            "Be kind and take the question seriously",
            "Nothing sexual involving minors",
            "How reports work",
            "Every moderator action is logged",
        ],
    ),
    "/privacy/": (
        [
            "Las preguntas anónimas siguen siendo anónimas.",
            "No guardamos direcciones IP.",
            "El enlace privado de tu pregunta es solo tuyo.",
            "Cuando se borra una cuenta",
            "«un antiguo miembro»",
            "Sin rastreadores publicitarios",
        ],
        [
            "Anonymous questions stay anonymous",
            "We do not store IP addresses",
            "When an account is deleted",
            "a former member",
            "No advertising trackers",
        ],
    ),
}


@pytest.mark.parametrize("url", list(PAGES))
def test_it_shows_the_about_guidelines_and_privacy_pages_in_spanish(url):
    present, absent = PAGES[url]
    _reads(_text(_spanish(Client()).get(url)), present, absent)


@pytest.mark.parametrize("url", list(PAGES))
def test_it_keeps_the_about_guidelines_and_privacy_pages_in_english(url):
    present, absent = PAGES[url]
    text = _text(Client().get(url))
    _reads(text, absent, present)


def test_it_links_the_about_page_in_spanish_to_the_guidelines_privacy_and_experts():
    page = _spanish(Client()).get("/about/").content.decode()
    assert '<a href="/guidelines/">normas</a>' in page and '<a href="/privacy/">privacidad</a>' in page
    assert '<a href="/experts/">Especialistas verificados</a>' in page


# --- experts and profiles ---------------------------------------------------------------------


def test_it_lists_the_experts_in_spanish_with_spanish_dates():
    _expert()
    text = _text(_spanish(Client()).get("/experts/"))
    _reads(
        text,
        [
            "Especialistas verificados",
            "Solicitar ser especialista",
            "Credenciales verificadas el 4 de marzo de 2026",
            "Cómo verificamos a los especialistas",
        ],
        ["Verified experts", "Apply as an expert", "Credentials verified on", "How experts are checked"],
    )
    assert 'alt="Foto de expert-eve"' in _spanish(Client()).get("/experts/").content.decode()


def test_it_shows_a_profile_in_spanish():
    expert = _expert()
    make_answer(question=make_question(), author=expert)
    text = _text(_spanish(Client()).get("/users/expert-eve/"))
    _reads(
        text,
        [
            "Especialista verificado",
            "Miembro desde",
            "Credenciales verificadas el 4 de marzo de 2026",
            "Verificación vigente hasta el",
            "Presentación",
            "0 votos",
        ],
        ["Verified expert", "Member since", "Credentials verified on", "Verified until", "0 votes"],
    )


def test_it_keeps_the_experts_page_and_a_profile_in_english():
    _expert()
    assert "Credentials verified on 4 March 2026, with the registering body in" in _text(Client().get("/experts/"))
    text = _text(Client().get("/users/expert-eve/"))
    assert "Verified expert" in text and "Member since" in text and "Especialista" not in text


# --- the member's own space -------------------------------------------------------------------


def test_it_shows_the_members_space_in_spanish(member_user):
    question = make_question(author=member_user)
    make_answer(question=question, author=member_user)
    member = _spanish(log_in(Client(), member_user))
    _reads(
        _text(member.get("/me/")),
        ["Solo tú ves estas páginas", "Mis preguntas", "Preferencias de avisos", "Tu perfil público"],
        ["Only you see these pages", "My questions", "Notification choices", "Your public profile"],
    )
    _reads(
        _text(member.get("/me/questions/")),
        ["Preguntaste hace", "1 respuesta", "pregunta anónima: solo tú ves esto"],
        ["Asked ", "1 answer", "asked anonymously"],
    )
    _reads(_text(member.get("/me/answers/")), ["Respondiste hace", "0 votos"], ["Answered ", "0 votes"])
    _reads(
        _text(member.get("/me/following/")),
        ["Conversaciones que sigues", "la sigues desde hace", "Dejar de seguir"],
        ["Threads you follow", "following since", "Stop following"],
    )


def test_it_keeps_the_members_space_in_english(member_user):
    make_question(author=member_user)
    member = log_in(Client(), member_user)
    assert "Only you see these pages — questions you asked anonymously included." in _text(member.get("/me/"))
    assert "asked anonymously — only you see this" in _text(member.get("/me/questions/"))


# --- signing in and up: allauth's own Spanish, with our overrides in Spanish too ------------------


def test_it_shows_sign_in_and_sign_up_in_spanish():
    visitor = _spanish(Client())
    _reads(
        _text(visitor.get("/accounts/login/")),
        ["Iniciar sesión", "Contraseña", "¿Ha olvidado su contraseña?"],
        ["Sign In", "Sign in", "Forgot your password"],
    )
    _reads(
        _text(visitor.get("/accounts/signup/")),
        ["Registrarse", "Nombre público", "Contraseña"],
        ["Sign Up", "Sign up", "Display name"],
    )
    _reads(_text(visitor.get("/accounts/password/reset/")), ["Restablecer contraseña"], ["Password Reset"])


def test_it_refuses_a_reserved_display_name_in_spanish():
    response = _spanish(Client()).post(
        "/accounts/signup/",
        {"email": "new@example.com", "username": "moderator", "password1": "a long pass phrase 42",
         "password2": "a long pass phrase 42"},
    )  # fmt: skip
    assert "Ese nombre público está reservado. Elige otro, por favor." in _text(response)


def test_it_shows_the_account_settings_navigation_in_spanish(member_user):
    member = _spanish(log_in(Client(), member_user))
    text = _text(member.get("/accounts/2fa/"))
    _reads(text, ["Correo", "Contraseña", "Autenticación de doble factor"], ["Two-factor"])
    assert 'aria-label="Ajustes de la cuenta"' in member.get("/accounts/email/").content.decode()


# --- the expert application -------------------------------------------------------------------


def test_it_shows_the_expert_application_in_spanish(member_user):
    member = _spanish(log_in(Client(), member_user))
    _reads(
        _text(member.get("/experts/apply/")),
        [
            "Solicita la verificación como especialista",
            "Cuéntanos cómo podemos comprobar",
            "Sitio web público",
            "Áreas de trabajo",
            "Opcional. Una foto nítida de tu cara",
            "Enviar solicitud",
        ],
        [
            "Apply as a verified expert",
            "Tell us how to check",
            "Public website",
            "Areas of practice",
            "Send application",
        ],
    )


def test_it_shows_an_applicants_status_and_photo_in_spanish():
    member = _spanish(log_in(Client(), applicant()))
    _reads(
        _text(member.get("/experts/apply/")),
        [
            "Tu solicitud",
            "Estado:",
            "Tu foto",
            "Todavía no tienes foto.",
            "Subir foto",
            "cuando actives la autenticación de doble factor",
        ],
        ["Your application", "Status:", "No photo yet", "Upload photo", "Your answers show the expert badge"],
    )


def test_it_gives_the_photo_scripts_size_warning_in_spanish(member_user):
    page = _spanish(log_in(Client(), member_user)).get("/experts/apply/").content.decode()
    assert 'data-too-large="Ese archivo pesa más de 5 MB. Elige una foto más pequeña."' in page


def test_it_escapes_the_moderators_reason_inside_the_spanish_sentence():
    user = applicant()
    ExpertProfile.objects.filter(user=user).update(
        status=ExpertProfile.Status.REJECTED, decision_reason='<script>alert("x")</script>'
    )
    page = _spanish(log_in(Client(), user)).get("/experts/apply/").content.decode()
    assert "El equipo de moderación dice: «&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;»" in page
    assert '<script>alert("x")' not in page


def test_it_tells_an_applicant_what_is_wrong_in_spanish(member_user):
    member = _spanish(log_in(Client(), member_user))
    tiny = SimpleUploadedFile("tiny.png", images.png(60, 60), content_type="image/png")
    form = {"title": "", "credentials": "MA", "licence_number": "PT-77", "licence_body": "Council",
            "jurisdiction": "Belgium", "bio": "x" * 601, "areas": [Tag.objects.first().pk], "photo": tiny}  # fmt: skip
    text = _text(member.post("/experts/apply/", form))
    _reads(
        text,
        [
            "Indica tu título profesional, por favor.",
            "Esa imagen es demasiado pequeña: necesita al menos 100 × 100 píxeles.",
            "Tu presentación puede tener como máximo 600 caracteres (ahora tiene 601).",
        ],
        ["Please give your professional title", "That image is too small"],
    )
    assert not ExpertProfile.objects.filter(user=member_user).exists()


def test_it_thanks_an_applicant_in_spanish(member_user):
    member = _spanish(log_in(Client(), member_user))
    form = {"title": "Sex therapist", "credentials": "MA", "licence_number": "PT-77", "licence_body": "Council",
            "jurisdiction": "Belgium", "areas": [Tag.objects.first().pk]}  # fmt: skip
    response = member.post("/experts/apply/", form, follow=True)
    assert "Gracias. El equipo de moderación revisará tu solicitud" in _text(response)
    assert ExpertProfile.objects.get(user=member_user).status == ExpertProfile.Status.PENDING
