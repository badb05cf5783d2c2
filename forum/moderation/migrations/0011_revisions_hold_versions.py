"""Revisions used to hold the text a moderator's edit replaced; now each holds a version.

Before: one row per moderator edit, with the text *before* it. After: the text as posted
(dated when the post was posted, by its asker or author), then one row per edit with the text
*after* it, the newest equal to the post's current text. The posts learn when their text last
changed, and questions when a verified expert first answered.
"""

from django.db import migrations
from django.db.models import Min


def _posts(PostRevision, field):
    ids = PostRevision.objects.filter(**{f"{field}__isnull": False}).values_list(f"{field}_id", flat=True)
    return sorted(set(ids))


def forwards(apps, schema_editor):
    PostRevision = apps.get_model("moderation", "PostRevision")
    Question = apps.get_model("questions", "Question")
    Answer = apps.get_model("answers", "Answer")
    for field, model, role in (("question", Question, "asker"), ("answer", Answer, "author")):
        for post_id in _posts(PostRevision, field):
            post = model.objects.get(pk=post_id)
            rows = list(PostRevision.objects.filter(**{field: post_id}).order_by("created_at", "id"))
            current = (getattr(post, "title", ""), post.body)
            PostRevision.objects.create(
                **{field: post}, title=rows[0].title, body=rows[0].body, edited_by_id=post.author_id, role=role,
                reason="", created_at=post.created_at,
            )  # fmt: skip
            texts = [(row.title, row.body) for row in rows[1:]] + [current]
            for row, (title, body) in zip(rows, texts, strict=True):
                row.title, row.body, row.role = title, body, "moderator"
                row.save(update_fields=["title", "body", "role"])
            model.objects.filter(pk=post_id).update(text_changed_at=rows[-1].created_at)
    # Asker edits before revisions were kept: the question says it was edited, without a history.
    for question in Question.objects.filter(text_changed_at__isnull=True).only("created_at", "updated_at"):
        if (question.updated_at - question.created_at).total_seconds() > 60:
            Question.objects.filter(pk=question.pk).update(text_changed_at=question.updated_at)
    first_expert = (
        Answer.objects.filter(posted_as_expert=True, status="published")
        .values("question_id")
        .annotate(first=Min("created_at"))
    )
    for row in first_expert:
        Question.objects.filter(pk=row["question_id"]).update(expert_answered_at=row["first"])


def backwards(apps, schema_editor):
    PostRevision = apps.get_model("moderation", "PostRevision")
    for field in ("question", "answer"):
        for post_id in _posts(PostRevision, field):
            rows = list(PostRevision.objects.filter(**{field: post_id}).order_by("created_at", "id"))
            texts = [(row.title, row.body) for row in rows]
            for (title, body), row in zip(texts, rows[1:], strict=False):
                if row.role == "moderator":
                    row.title, row.body = title, body
                    row.save(update_fields=["title", "body"])
            PostRevision.objects.filter(**{field: post_id}).exclude(role="moderator").delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0010_revisions_keep_every_version")]

    operations = [migrations.RunPython(forwards, backwards)]
