"""Migration 0009 fills in the moderator's name on the append-only log, and leaves it append-only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from forum.moderation.models import ModerationAction
from tests.factories import UserFactory

BEFORE = [("moderation", "0008_records_outlive_deleted_accounts")]
AFTER = [("moderation", "0009_moderation_log_keeps_moderator_name")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_it_backfills_moderator_names_into_the_append_only_log():
    moderator = UserFactory(username="mod-early")
    old_apps = migrate(BEFORE)
    try:
        OldAction = old_apps.get_model("moderation", "ModerationAction")
        named = OldAction.objects.create(moderator_id=moderator.pk, kind="approve")
        automatic = OldAction.objects.create(moderator_id=None, kind="auto-hide")
    finally:
        migrate(AFTER)
        migrate(latest())  # the later migrations too (clarifications on the log), for the model below
    assert ModerationAction.objects.get(pk=named.pk).moderator_name == "mod-early"
    assert ModerationAction.objects.get(pk=automatic.pk).moderator_name == ""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ModerationAction.objects.filter(pk=named.pk).update(moderator_name="someone else")
