"""Crisis resources by country and language (issue 16): the reader's lines first, in one query;
/help/ lists every line with filters that need no script; a change in the admin reaches cached
pages at once; moderators keep the lines."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.utils import translation

from forum.moderation.models import CrisisResource
from forum.questions import selectors
from forum.questions.crisis_selectors import CRISIS_SHOWN
from forum.questions.help_views import reader_region
from forum.questions.models import Tag
from tests.factories import UserFactory, log_in, make_question

pytestmark = pytest.mark.django_db


def _line(name, language="", country="", position=0, **extra):
    return CrisisResource.objects.create(
        name=name, description=extra.get("description", f"About {name}."), contact=extra.get("contact", ""),
        url=extra.get("url", ""), language=language, country=country, position=position,
    )  # fmt: skip


@pytest.fixture
def lines():
    CrisisResource.objects.all().delete()
    return {
        "mx": _line("Línea de la Vida", "es", "MX", contact="800 911 2000"),
        "es": _line("Línea 024", "es", "ES", contact="024"),
        "mx-all": _line("Emergencias México", "", "MX", contact="911"),
        "es-world": _line("Encuentra una línea de ayuda", "es", ""),
        "us": _line("988 Suicide & Crisis Lifeline", "en", "US", contact="988"),
        "gb-all": _line("Every language in Britain", "", "GB"),
        "world": _line("Crisis and suicide help lines", "", "", position=3),
        "emergency": _line("Emergency services", "", "", position=0),
        "ar": _line("ابحث عن خط مساعدة", "ar", ""),
    }


def _names(resources) -> list[str]:
    return [resource.name for resource in resources]


def test_it_puts_the_readers_country_then_their_language_then_the_international_lines(lines):
    with translation.override("es"):
        found = selectors.crisis_resources(region="MX")
    assert _names(found) == [
        "Línea de la Vida",  # Spanish, Mexico
        "Emergencias México",  # every language, Mexico
        "Encuentra una línea de ayuda",  # Spanish, no country
        "Línea 024",  # Spanish, another country
        "Emergency services",  # international, by position
        "Crisis and suicide help lines",
    ]  # no English or Arabic line, no line for every language in another country


def test_it_orders_a_spanish_reader_without_a_region_by_language_and_an_english_reader_sees_english(lines):
    with translation.override("es"):
        assert _names(selectors.crisis_resources())[:3] == [
            "Encuentra una línea de ayuda",
            "Línea 024",
            "Línea de la Vida",
        ]
    with translation.override("en"):
        english = _names(selectors.crisis_resources(region="US"))
    assert english == ["988 Suicide & Crisis Lifeline", "Emergency services", "Crisis and suicide help lines"]
    with translation.override("ar"):
        assert _names(selectors.crisis_resources())[0] == "ابحث عن خط مساعدة"


def test_it_reads_the_lines_in_one_query_and_shows_at_most_a_few(lines, django_assert_num_queries):
    with translation.override("es"), django_assert_num_queries(1):
        selectors.crisis_resources(region="MX")
    for number in range(30):
        _line(f"Línea {number}", "es", "CO")
    with translation.override("es"), django_assert_num_queries(1):
        found = selectors.crisis_resources(region="MX")
    assert len(found) == CRISIS_SHOWN and found[0].name == "Línea de la Vida"


@pytest.mark.parametrize(
    ("header", "language", "region"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es", "MX"),
        ("en-US,es-AR;q=0.5", "es", "AR"),  # the tag in the reader's language wins
        ("en-US", "es", "US"),  # else the first region named
        ("es;q=0.2,es-CL;q=0.9", "es", "CL"),  # by quality
        ("zh-Hant-TW", "en", "TW"),  # a script subtag is not a region
        ("es-419", "es", ""),  # a numeric area is no country
        ("es-XX, nonsense;q=x", "es", ""),
        ("", "es", ""),
    ],
)
def test_it_reads_the_region_from_the_browsers_languages(header, language, region):
    request = RequestFactory().get("/questions/ask/", HTTP_ACCEPT_LANGUAGE=header)
    with translation.override(language):
        assert reader_region(request) == region


def test_the_ask_page_in_spanish_shows_the_mexican_line_first_to_a_mexican_browser(lines, visitor):
    html = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").get("/questions/ask/").content.decode()
    assert html.index("Línea de la Vida") < html.index("Encuentra una línea de ayuda") < html.index("Línea 024")
    assert "Si necesitas ayuda ahora" in html and "Líneas de ayuda en otros países e idiomas" in html
    assert "988 Suicide" not in html and 'lang="es" dir="auto"' in html
    spain = Client(HTTP_ACCEPT_LANGUAGE="es-ES").get("/questions/ask/").content.decode()
    assert spain.index("Línea 024") < spain.index("Línea de la Vida")
    english = visitor.get("/questions/ask/").content.decode()
    assert "If you need help now" in english and "Help lines in other countries and languages" in english
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/questions/ask/").content.decode()
    assert "إن كنت بحاجة إلى مساعدة الآن" in arabic and "خطوط المساعدة في بلدان ولغات أخرى" in arabic


def test_a_page_kept_for_every_visitor_does_not_depend_on_the_region(lines, settings):
    """A sensitive thread is cached once per language for all visitors: no region there; a
    member's own page (never cached) gets their region."""
    question = make_question(tags=[Tag.objects.get(slug="sexual-assault")])
    settings.FORUM_PAGE_CACHE_SECONDS = 60
    request = RequestFactory().get(question.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es-MX")
    with translation.override("es"):
        assert reader_region(request) == ""
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
        assert reader_region(request) == "MX"


# --- /help/ -------------------------------------------------------------------------------


def test_the_help_page_lists_every_line_by_country_with_international_first(lines, visitor):
    response = visitor.get("/help/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Help lines by country and language" in html
    # International first, then by name: Mexico, Spain, United Kingdom, United States.
    assert html.index('id="help-intl"') < html.index('id="help-MX"') < html.index('id="help-ES"')
    assert html.index('id="help-ES"') < html.index('id="help-GB"') < html.index('id="help-US"')
    for line in lines.values():
        assert line.name.replace("&", "&amp;") in html
    assert '<option value="MX">Mexico</option>' in html and '<option value="ar">Arabic (العربيّة)</option>' in html


def test_the_help_page_filters_by_country_and_language_without_a_script(lines, visitor):
    mexico = visitor.get("/help/?country=MX").content.decode()
    assert "Línea de la Vida" in mexico and "Emergencias México" in mexico and "Emergency services" in mexico
    assert "Línea 024" not in mexico and "988 Suicide" not in mexico
    assert '<option value="MX" selected>' in mexico and "Show every help line" in mexico
    arabic = visitor.get("/help/?language=ar").content.decode()
    assert "ابحث عن خط مساعدة" in arabic and "Every language in Britain" in arabic and "Línea 024" not in arabic
    both = visitor.get("/help/?country=US&language=en").content.decode()
    assert "988 Suicide" in both and "Línea de la Vida" not in both


def test_the_help_page_refuses_made_up_filters_and_writes(lines, visitor, member):
    assert visitor.get("/help/?country=ZZ").status_code == 404
    assert visitor.get("/help/?language=xx").status_code == 404
    assert visitor.post("/help/").status_code == 405
    assert member.get("/help/").status_code == 200  # the same page for members


def test_the_help_page_speaks_spanish_and_arabic(lines):
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get("/help/").content.decode()
    assert "Líneas de ayuda por país e idioma" in spanish and "Internacional" in spanish
    assert ">México</h2>" in spanish and ">España</h2>" in spanish and "Cualquier país" in spanish
    assert spanish.index('id="help-ES"') < spanish.index('id="help-MX"')  # España before México
    assert '<a href="/help/">Líneas de ayuda</a>' in spanish  # in every page's footer
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/help/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic and "خطوط المساعدة حسب البلد واللغة" in arabic
    assert ">المكسيك</h2>" in arabic and "دولي" in arabic


def test_the_help_page_costs_the_same_queries_for_few_and_many_lines(lines, visitor, django_assert_max_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert visitor.get("/help/?language=es").status_code == 200
        return len(queries)

    few = count()
    for number in range(40):
        _line(f"Line {number}", "fr", "FR")
    assert count() == few <= 2


def test_the_help_page_stores_nothing_about_the_reader(lines):
    from django.contrib.sessions.models import Session

    reader = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    for path in ("/help/", "/questions/ask/"):
        response = reader.get(path)
        assert response.status_code == 200 and "sessionid" not in response.cookies
        assert "MX" not in response.get("Content-Language", "") and "language" not in response.cookies
    assert not Session.objects.exists()


def test_the_starter_lines_are_real_services_in_their_own_language():
    """moderation/0018: the international ones of 0002 stay; each country line is in its language."""
    by_name = {line.name: line for line in CrisisResource.objects.all()}
    assert by_name["Crisis and suicide help lines"].language == ""  # from 0002, unchanged
    assert (by_name["988 Suicide & Crisis Lifeline"].country, by_name["988 Suicide & Crisis Lifeline"].contact) == (
        "US",
        "Call or text 988",
    )
    assert (by_name["Línea 024"].language, by_name["Línea 024"].contact) == ("es", "024")
    assert (by_name["Línea de la Vida"].country, by_name["Línea de la Vida"].contact) == ("MX", "800 911 2000")
    assert by_name["Samaritans"].contact == by_name["Samaritans Ireland"].contact == "116 123"
    assert by_name["ابحث عن خط مساعدة (Find A Helpline)"].url == "https://findahelpline.com/"
    for line in by_name.values():
        line.full_clean()


def test_names_are_escaped_everywhere_they_show(visitor):
    _line(
        '<script>alert("x")</script>', "en", "US", description="<img src=x onerror=alert(1)>", url="https://ok.example/"
    )
    for path in ("/help/", "/questions/ask/"):
        html = visitor.get(path).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


# --- the admin ----------------------------------------------------------------------------

FORM = {"name": "Línea de la Vida (nueva)", "description": "Apoyo gratuito.", "contact": "800 911 2000", "url": "",
        "language": "es", "country": "MX", "position": 0}  # fmt: skip


def _staff(*, moderator: bool):
    from allauth.mfa.models import Authenticator

    user = UserFactory(is_staff=True)
    if moderator:
        user.groups.add(Group.objects.get(name="moderators"))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    return log_in(Client(), user)


def test_a_staff_moderator_adds_and_changes_a_line_but_cannot_delete_it(lines):
    client = _staff(moderator=True)
    assert client.get("/admin/moderation/crisisresource/?country__exact=MX&q=Vida").status_code == 200
    assert client.post("/admin/moderation/crisisresource/add/", FORM).status_code == 302
    line = CrisisResource.objects.get(name=FORM["name"])
    assert (line.language, line.country) == ("es", "MX")
    client.post(f"/admin/moderation/crisisresource/{line.pk}/change/", {**FORM, "country": "AR"})
    line.refresh_from_db()
    assert line.country == "AR"
    assert client.post(f"/admin/moderation/crisisresource/{line.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CrisisResource.objects.filter(pk=line.pk).exists()


def test_the_admin_refuses_a_country_or_language_that_does_not_exist(lines):
    client = _staff(moderator=True)
    response = client.post("/admin/moderation/crisisresource/add/", {**FORM, "country": "ZZ", "language": "xx"})
    assert response.status_code == 200 and not CrisisResource.objects.filter(name=FORM["name"]).exists()


def test_staff_outside_the_moderators_cannot_touch_the_lines(lines):
    client = _staff(moderator=False)
    assert client.get("/admin/moderation/crisisresource/").status_code == 403
    assert client.post("/admin/moderation/crisisresource/add/", FORM).status_code == 403


@pytest.mark.usefixtures("committed_db")
def test_a_change_in_the_admin_reaches_the_cached_help_page_and_threads_at_once(settings):
    from forum.core.pagecache import local_pages

    settings.FORUM_PAGE_CACHE_SECONDS = 60
    local_pages.clear()
    try:
        line = _line("Línea 024", "es", "ES", contact="024")
        question = make_question(tags=[Tag.objects.get(slug="sexual-assault")])
        reader = Client(HTTP_ACCEPT_LANGUAGE="es")
        for path in ("/help/", question.get_absolute_url()):
            assert reader.get(path)["X-Page-Cache"] == "miss"
            assert reader.get(path)["X-Page-Cache"] == "hit"
        client = _staff(moderator=True)
        form = {"name": "Línea 024 (Ministerio de Sanidad)", "description": line.description, "contact": "024",
                "url": "", "language": "es", "country": "ES", "position": 0}  # fmt: skip
        assert client.post(f"/admin/moderation/crisisresource/{line.pk}/change/", form).status_code == 302
        for path in ("/help/", question.get_absolute_url()):
            response = reader.get(path)
            assert (
                response["X-Page-Cache"] == "miss" and "Línea 024 (Ministerio de Sanidad)" in response.content.decode()
            )
    finally:
        local_pages.clear()
