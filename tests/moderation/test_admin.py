import pytest

from forum.moderation.models import Flag, ModerationAction, WatchedWord
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_user(site_admin):
    return site_admin, site_admin.user


def test_the_admin_dismiss_action_goes_through_the_service_and_is_logged(admin_client_user):
    client, user = admin_client_user
    question = make_question()
    flag = Flag.objects.create(question=question, reporter=UserFactory(), reason="spam")
    client.post("/admin/moderation/flag/", {"action": "dismiss", "_selected_action": [flag.pk]})
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    action = ModerationAction.objects.get()
    assert action.kind == "dismiss-flags" and action.moderator == user


def test_the_admin_adds_watched_words_through_the_service(admin_client_user):
    client, _ = admin_client_user
    client.post("/admin/moderation/watchedword/add/", {"phrase": "Cheap Meds", "action": "block"})
    assert WatchedWord.objects.exclude(action="crisis").get().phrase == "cheap meds"
    assert ModerationAction.objects.get().kind == "watched-word-add"


def test_the_admin_cannot_edit_or_delete_the_log(admin_client_user):
    client, _ = admin_client_user
    action = ModerationAction.objects.create(kind="approve")
    assert client.get(f"/admin/moderation/moderationaction/{action.pk}/delete/").status_code == 403
    assert client.post(f"/admin/moderation/moderationaction/{action.pk}/change/", {"reason": "x"}).status_code == 403


def test_the_admin_never_lists_the_stored_author_of_a_question(admin_client_user):
    client, _ = admin_client_user
    question = make_question(author=UserFactory(username="hidden-asker-name"), anonymous=True)
    for url in ("/admin/questions/question/", f"/admin/questions/question/{question.pk}/change/"):
        assert "hidden-asker-name" not in client.get(url).content.decode()
