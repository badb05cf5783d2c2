"""The audit log is append-only in the database, and reveals are logged."""

import pytest
from django.db import DatabaseError, connection, transaction

from forum.moderation.models import ModerationAction
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_it_rejects_a_raw_sql_update_and_delete(moderator_user):
    action = ModerationAction.objects.create(moderator=moderator_user, kind="approve", reason="original")
    for sql in (
        "UPDATE moderation_moderationaction SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM moderation_moderationaction WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [action.pk])
    action.refresh_from_db()
    assert action.reason == "original"


def test_it_rejects_updates_through_the_orm_too(moderator_user):
    action = ModerationAction.objects.create(moderator=moderator_user, kind="approve")
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationAction.objects.filter(pk=action.pk).update(reason="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationAction.objects.filter(pk=action.pk).delete()


def test_it_filters_the_log_by_moderator_action_and_date(moderator, moderator_user):
    question = make_question(status="pending")
    moderator.post(f"/moderation/question/{question.pk}/approve/")
    moderator.post(f"/moderation/question/{question.pk}/lock/", {"reason": "Heated"})
    by_kind = moderator.get("/moderation/log/?kind=lock").content.decode()
    assert "Locked" in by_kind and 'data-label="Action">Approved</td>' not in by_kind
    assert "Approved" in moderator.get(f"/moderation/log/?moderator={moderator_user.username}").content.decode()
    assert "No actions match." in moderator.get("/moderation/log/?moderator=nobody").content.decode()
    assert "No actions match." in moderator.get("/moderation/log/?since=2999-01-01").content.decode()
