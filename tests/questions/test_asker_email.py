"""An accountless asker's address for emails (issue 14): leaving it, stopping, and each erasure."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from forum.core.logging import JsonFormatter
from forum.core.tokens import new_form_token
from forum.desk import services as desk_services
from forum.questions import asker_mail
from forum.questions.models import AskerContact, Question, Tag
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

ADDRESS = "quiet.reader+forum@example.org"
TITLE = "Why do I feel sad after being intimate with my partner?"
BODY = "It happens most times, even when everything went well. I don't know who to ask about it."


def ask_data(**overrides):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:1])
    return {"title": TITLE, "body": BODY, "tags": tags, "form_token": new_form_token(), **overrides}


def every_row_as_text() -> str:
    """Every row of every table in the database, each cast to text (bytea columns as hex): a dump."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        tables = [name for (name,) in cursor.fetchall()]
        rows = []
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} AS t")
            rows += [text for (text,) in cursor.fetchall()]
    return "\n".join(rows)


def assert_nowhere_in_the_database(address: str = ADDRESS) -> None:
    dump = every_row_as_text()
    assert address not in dump
    assert address.encode().hex() not in dump  # a bytea column prints as hex
    assert address.split("@")[0] not in dump


def opened(question) -> tuple[str, str]:
    return asker_mail.unseal(AskerContact.objects.get(question=question).sealed)


@pytest.fixture
def asked():
    """A visitor's published question with an address left for it."""
    question = make_question(title=TITLE)
    asker_mail.asker_contact_set(question=question, key=question.key, email=ADDRESS)
    return question


# --- leaving an address ------------------------------------------------------------------------


def test_it_offers_the_email_field_to_visitors_only(visitor, member):
    assert 'name="asker_email"' in visitor.get("/questions/ask/").content.decode()
    assert 'name="asker_email"' not in member.get("/questions/ask/").content.decode()


def test_it_seals_the_address_a_visitor_leaves_when_asking(visitor):
    response = visitor.post("/questions/ask/", ask_data(asker_email=ADDRESS))
    assert response.status_code == 302
    key = response["Location"].split("/")[3]
    question = Question.objects.get()
    assert opened(question) == (ADDRESS, key)  # the address, and the key the email links to
    assert_nowhere_in_the_database(ADDRESS)
    assert_nowhere_in_the_database(key)  # the key itself is stored only inside the sealed blob


def test_it_asks_without_an_address_and_stores_no_contact(visitor):
    assert visitor.post("/questions/ask/", ask_data()).status_code == 302
    assert Question.objects.count() == 1 and not AskerContact.objects.exists()


def test_it_shows_an_invalid_address_next_to_the_field_and_keeps_the_draft(visitor):
    response = visitor.post("/questions/ask/", ask_data(asker_email="not an address"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_asker_email_error"' in html and "Please enter a valid email address." in html
    assert TITLE in html
    assert not Question.objects.exists() and not AskerContact.objects.exists()


def test_it_ignores_an_address_posted_by_a_member(member):
    response = member.post("/questions/ask/", ask_data(asker_email=ADDRESS, show_anonymous="on"))
    assert response.status_code == 302
    assert not AskerContact.objects.exists()


def test_it_never_shows_the_address_on_the_private_page(visitor, asked):
    html = visitor.get(f"/questions/key/{asked.key}/").content.decode()
    assert "Emails go to the address you gave (hidden here)" in html
    assert ADDRESS not in html and "quiet.reader" not in html
    assert 'value="' + ADDRESS not in html


def test_it_lets_the_key_holder_leave_and_replace_an_address(visitor):
    question = make_question(title=TITLE)
    page = visitor.get(f"/questions/key/{question.key}/").content.decode()
    assert "Emails go to the address you gave" not in page and 'name="asker_email"' in page

    response = visitor.post(f"/questions/{question.pk}/asker-email/", {"key": question.key, "asker_email": ADDRESS})
    assert response.status_code == 302 and response["Location"] == f"/questions/key/{question.key}/"
    assert opened(question) == (ADDRESS, question.key)

    visitor.post(f"/questions/{question.pk}/asker-email/", {"key": question.key, "asker_email": "new@example.org"})
    assert AskerContact.objects.count() == 1
    assert opened(question) == ("new@example.org", question.key)
    assert ADDRESS not in visitor.get(f"/questions/key/{question.key}/").content.decode()


def test_it_shows_errors_on_the_private_page_and_keeps_what_was_typed(visitor):
    question = make_question(title=TITLE)
    response = visitor.post(f"/questions/{question.pk}/asker-email/", {"key": question.key, "asker_email": "nope@"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a valid email address." in html and 'value="nope@"' in html
    assert "Your private question page" in html
    assert "no-store" in response["Cache-Control"]
    assert not AskerContact.objects.exists()


def test_it_needs_the_key_itself_to_leave_an_address(visitor, outsider):
    question = make_question(title=TITLE)
    other = make_question(title="Another question from someone else entirely")
    visitor.get(f"/questions/key/{question.key}/")  # the session now holds the question: not enough
    url = f"/questions/{question.pk}/asker-email/"
    assert visitor.post(url, {"asker_email": ADDRESS}).status_code == 403
    assert visitor.post(url, {"key": "A" * 22, "asker_email": ADDRESS}).status_code == 403
    assert visitor.post(url, {"key": other.key, "asker_email": ADDRESS}).status_code == 403
    assert outsider.post(url, {"asker_email": ADDRESS}).status_code == 403
    assert visitor.get(url).status_code == 405
    assert not AskerContact.objects.exists()


def test_it_offers_nothing_for_a_members_question(member_user, member):
    question = make_question(author=member_user, title=TITLE)
    response = member.post(f"/questions/{question.pk}/asker-email/", {"key": "", "asker_email": ADDRESS})
    assert response.status_code == 403
    with pytest.raises(asker_mail.ValidationError):
        asker_mail.asker_contact_set(question=question, key="whatever-key", email=ADDRESS)


# --- stopping, and the three erasures ---------------------------------------------------------


def test_it_stops_from_the_private_page_and_erases_the_address(visitor, asked):
    response = visitor.post(f"/questions/{asked.pk}/asker-email/stop/", {"key": asked.key})
    assert response.status_code == 302 and response["Location"] == f"/questions/key/{asked.key}/"
    assert not AskerContact.objects.exists()
    assert_nowhere_in_the_database()
    page = visitor.get(response["Location"]).content.decode()
    assert "Emails stopped. Your address is erased." in page
    assert "Emails go to the address you gave" not in page
    assert visitor.get(f"/questions/{asked.pk}/asker-email/stop/").status_code == 405


def test_it_refuses_to_stop_without_the_key(visitor, asked):
    assert visitor.post(f"/questions/{asked.pk}/asker-email/stop/", {"key": "A" * 22}).status_code == 403
    assert AskerContact.objects.filter(question=asked).exists()


def test_it_stops_with_one_post_to_the_link_without_sign_in_or_csrf_token(asked):
    token = asker_mail.stop_token(AskerContact.objects.get())
    url = f"/questions/asker-email/stop/{token}/"
    client = Client(enforce_csrf_checks=True)  # a mail client's one-click POST: no cookie, no token
    page = client.get(url)
    assert page.status_code == 200 and "Stop emails about your question?" in page.content.decode()
    assert AskerContact.objects.exists()  # a GET (a mail scanner following links) erases nothing
    assert TITLE not in page.content.decode()

    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Emails stopped" in response.content.decode()
    assert not AskerContact.objects.exists()
    assert_nowhere_in_the_database()
    assert client.post(url).status_code == 200  # again: nothing left, the same answer


def test_it_answers_a_tampered_or_made_up_stop_link_with_the_sites_404(visitor, asked):
    token = asker_mail.stop_token(AskerContact.objects.get())
    for bad in (token[:-2] + "xx", "1:abc:def", "made-up"):
        response = visitor.post(f"/questions/asker-email/stop/{bad}/")
        assert response.status_code == 404
        assert "<html" in response.content.decode().lower()  # the site's page, not a bare error
    assert visitor.put(f"/questions/asker-email/stop/{token}/").status_code == 405
    assert AskerContact.objects.exists()


def test_it_erases_the_address_when_the_asker_deletes_the_question(visitor, asked):
    assert visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"}).status_code == 302
    assert not AskerContact.objects.exists()
    assert_nowhere_in_the_database()


def test_it_erases_the_address_when_a_moderator_deletes_the_question(asked, moderator_user):
    desk_services.post_delete(post=asked, moderator=moderator_user, reason="Spam")
    assert Question.objects.get(pk=asked.pk).status == Question.Status.REMOVED
    assert not AskerContact.objects.exists()


def test_it_erases_addresses_of_threads_quiet_for_thirty_days(asked):
    lively = make_question(title="A question that still gets answers every week")
    asker_mail.asker_contact_set(question=lively, key=lively.key, email="lively@example.org")
    old = timezone.now() - datetime.timedelta(days=31)
    Question.objects.filter(pk=asked.pk).update(last_activity_at=old)
    AskerContact.objects.update(created_at=old)
    out = io.StringIO()
    call_command("erase_quiet_asker_emails", stdout=out)
    assert "1 asker address(es) erased." in out.getvalue()
    assert list(AskerContact.objects.values_list("question", flat=True)) == [lively.pk]
    assert_nowhere_in_the_database()


def test_it_keeps_a_fresh_address_on_an_old_thread_for_thirty_days(asked):
    Question.objects.filter(pk=asked.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=90))
    call_command("erase_quiet_asker_emails", stdout=io.StringIO())
    assert AskerContact.objects.exists()  # left today: its own thirty days run


def test_it_keeps_no_address_for_a_members_question_activity(member_user):
    question = make_question(author=member_user, title=TITLE)
    asker_mail.on_thread_activity(question=question, what="answer")  # nothing to look up, nothing queued
    assert not AskerContact.objects.exists()


def test_it_keeps_the_address_out_of_the_admin_and_the_reveal_page(asked, site_admin, revealing_moderator):
    for url in ("/admin/", "/admin/questions/question/", f"/admin/questions/question/{asked.pk}/change/"):
        response = site_admin.get(url)
        assert response.status_code == 200, url
        assert ADDRESS not in response.content.decode() and "asker contact" not in response.content.decode().lower()
    assert site_admin.get("/admin/questions/askercontact/").status_code == 404
    reveal = revealing_moderator.post(f"/moderation/question/{asked.pk}/reveal/", {"reason": "Threats in the post"})
    assert ADDRESS not in reveal.content.decode()
    desk = revealing_moderator.get("/moderation/")
    assert ADDRESS not in desk.content.decode()


def test_it_never_makes_a_user_of_the_asker(asked):
    assert not UserFactory._meta.model.objects.filter(email=ADDRESS).exists()


def test_it_masks_an_address_and_a_stop_link_in_any_log_line(asked):
    token = asker_mail.stop_token(AskerContact.objects.get())
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "sent to %s", (ADDRESS,), None)
    record.request = RequestFactory().post(f"/questions/asker-email/stop/{token}/")
    line = JsonFormatter().format(record)
    assert ADDRESS not in line and token not in line
    assert "[address]" in line and "/questions/asker-email/stop/[redacted]/" in line
