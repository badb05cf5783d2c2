"""The admin is a client of the services, never a second way to write rows: nothing editable in
it changes a post's text, status or counters around them."""

import pytest

from forum.answers.models import Answer
from forum.questions.models import Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_it_shows_an_answer_read_only_and_ignores_a_posted_change(site_admin):
    answer = make_answer(question=make_question(), author=UserFactory(), body="The text the author wrote, kept.")
    url = f"/admin/answers/answer/{answer.pk}/change/"
    page = site_admin.get(url).content.decode()
    assert 'name="body"' not in page and 'name="status"' not in page and 'name="score"' not in page
    site_admin.post(url, {"body": "Rewritten behind the services", "status": "hidden", "score": 99, "is_expert": "on"})
    answer.refresh_from_db()
    assert (answer.body, answer.status, answer.score, answer.is_expert) == (
        "The text the author wrote, kept.",
        "published",
        0,
        False,
    )
    assert site_admin.post(f"/admin/answers/answer/{answer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_it_deletes_only_an_unused_topic(site_admin):
    used = Tag.objects.order_by("pk").first()
    make_question(tags=[used])
    unused = Tag.objects.create(name="Unused topic", slug="unused-topic")
    assert site_admin.post(f"/admin/questions/tag/{used.pk}/delete/", {"post": "yes"}).status_code == 403
    assert site_admin.post(f"/admin/questions/tag/{unused.pk}/delete/", {"post": "yes"}).status_code == 302
    assert Tag.objects.filter(pk=used.pk).exists() and not Tag.objects.filter(pk=unused.pk).exists()
