"""Re-render every stored post and expert bio with the CommonMark renderer (markdown-it-py).

body_html / bio_html were written by Python-Markdown; from now on render_markdown uses
markdown-it-py, so the stored HTML is rebuilt once from the kept markdown source. Only rows
whose HTML changes are written. Reversing is a no-op: the old HTML is not needed (the new
one is as safe, and rendering again with the old renderer would only restore its quirks).
"""

from django.db import migrations

from forum.core.markdown import render_markdown

BATCH = 500


def _rerender(model, source: str, target: str) -> int:
    changed, batch = 0, []
    for row in model._base_manager.only("pk", source, target).order_by("pk").iterator(chunk_size=BATCH):
        html = render_markdown(getattr(row, source))
        if html != getattr(row, target):
            setattr(row, target, html)
            batch.append(row)
        if len(batch) >= BATCH:
            model._base_manager.bulk_update(batch, [target])
            changed, batch = changed + len(batch), []
    if batch:
        model._base_manager.bulk_update(batch, [target])
    return changed + len(batch)


def rerender(apps, schema_editor):
    _rerender(apps.get_model("questions", "Question"), "body", "body_html")
    _rerender(apps.get_model("answers", "Answer"), "body", "body_html")
    _rerender(apps.get_model("accounts", "ExpertProfile"), "bio", "bio_html")


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0005_answer_author_set_null_when_account_deleted"),
        ("questions", "0007_pending_edit"),
        ("accounts", "0003_expert_website_http_only"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
