"""Full-text search (a stored, weighted tsvector with a GIN index) and trigram "similar questions".

The vector is filled for the questions that exist before the GIN index is built; from then on
forum.questions.services.question_search_refresh keeps it current.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Left


def fill_search_vectors(apps, schema_editor):
    Question = apps.get_model("questions", "Question")
    Answer = apps.get_model("answers", "Answer")
    answers_text = (
        Answer.objects.filter(question=OuterRef("pk"), status="published")
        .order_by()
        .values("question")
        .annotate(text=StringAgg("body", " "))
        .values("text")
    )
    Question.objects.update(
        search_vector=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
        + SearchVector(Left(Subquery(answers_text), 1_000_000), weight="C", config="english")
    )


def clear_search_vectors(apps, schema_editor):
    apps.get_model("questions", "Question").objects.update(search_vector=None)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_notification_expert_answer"),
        ("answers", "0003_answer_pending_status"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="question",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_search_vectors, clear_search_vectors),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["status", "-published_at"], name="question_published"),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("status", "published")), fields=["search_vector"], name="question_search"
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("status", "published")),
                fields=["title"],
                name="question_title_trgm",
                opclasses=["gin_trgm_ops"],
            ),
        ),
    ]
