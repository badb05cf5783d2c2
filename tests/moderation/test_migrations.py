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
        migrate(latest())  # the later migrations depend on 0009 (history, clarifications on the log): put them back
    assert ModerationAction.objects.get(pk=named.pk).moderator_name == "mod-early"
    assert ModerationAction.objects.get(pk=automatic.pk).moderator_name == ""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ModerationAction.objects.filter(pk=named.pk).update(moderator_name="someone else")


@pytest.mark.django_db(transaction=True)
def test_it_turns_moderators_pre_edit_texts_into_versions():
    """0011: the rows used to hold the text each moderator edit replaced; now each is a version,
    the first being the text as posted and the last the post's current text."""
    from forum.moderation.models import PostRevision
    from forum.questions.models import Question, Tag
    from tests.factories import make_question

    moderator = UserFactory(username="mod-then")
    tag = Tag.objects.create(name="Migrations", slug="migrations")  # a transactional test: no starter topics
    question = make_question(title="What the question first said?", body="The text as first posted, long.",
                             tags=[tag])  # fmt: skip
    old_apps = migrate([("moderation", "0009_moderation_log_keeps_moderator_name")])
    try:
        OldRevision = old_apps.get_model("moderation", "PostRevision")
        OldRevision.objects.create(
            question_id=question.pk,
            title="What the question first said?",
            body="The text as first posted, long.",
            edited_by_id=moderator.pk,
            reason="One",
        )
        OldRevision.objects.create(
            question_id=question.pk,
            title="What the question first said?",
            body="The text after the first edit.",
            edited_by_id=moderator.pk,
            reason="Two",
        )
        Question.objects.filter(pk=question.pk).update(body="The text after the second edit.")
    finally:
        migrate(latest())
    rows = list(PostRevision.objects.filter(question=question).order_by("created_at", "id"))
    assert [(r.role, r.body, r.reason) for r in rows] == [
        ("asker", "The text as first posted, long.", ""),
        ("moderator", "The text after the first edit.", "One"),
        ("moderator", "The text after the second edit.", "Two"),
    ]
    assert rows[0].created_at == question.created_at and rows[1].edited_by == moderator
    assert Question.objects.get(pk=question.pk).text_changed_at == rows[2].created_at
