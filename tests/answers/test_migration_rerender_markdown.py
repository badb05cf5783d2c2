"""answers/0005: every stored post and bio re-rendered once with the CommonMark renderer.

The database is put back in the state the migration meets in production: the demo seeded,
then each post's and bio's HTML as Python-Markdown (the renderer before) wrote it.
"""

import importlib
import io
import re

import markdown as python_markdown
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer
from forum.core.markdown import _demote_headings, render_markdown, sanitize_html
from forum.questions.answer_services import answer_post
from forum.questions.models import Question

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forum.answers.migrations.0006_rerender_markdown_commonmark")

# A reply like the demo's, with what the demo threads lack: a heading and a link.
REPLY = (
    "## What helped us\n\n"
    "1. Talking about it *before*, not in the moment.\n"
    "2. A **safe word** we both knew.\n\n"
    "- More in [this guide](https://example.org/guide).\n"
    "- Patience, mostly.\n"
)
STRUCTURE = ("h3", "ol", "ul", "li", "a", "em", "strong", "p")


def before(text: str) -> str:
    """What Python-Markdown stored, before this migration."""
    extensions = ["fenced_code", "tables", "sane_lists", "abbr", "def_list"]
    return sanitize_html(_demote_headings(python_markdown.markdown(text, extensions=extensions))) if text else ""


def structure(html: str) -> dict[str, int]:
    return {tag: len(re.findall(rf"<{tag}[ >]", html)) for tag in STRUCTURE}


@pytest.fixture
def old_database():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    question = Question.objects.get(title__startswith="She cried after sex")
    answer_post(question=question, author=User.objects.get(username="noor"), body=REPLY)
    rows = [*Question.objects.all(), *Answer.objects.all()]
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(body_html=before(row.body))
    for profile in ExpertProfile.objects.all():
        ExpertProfile.objects.filter(pk=profile.pk).update(bio_html=before(profile.bio))
    return rows


def all_html() -> dict[str, str]:
    html = {f"question {q.pk}": q.body_html for q in Question.objects.all()}
    html |= {f"answer {a.pk}": a.body_html for a in Answer.objects.all()}
    return html | {f"bio {p.pk}": p.bio_html for p in ExpertProfile.objects.all()}


def test_it_keeps_the_demo_threads_headings_lists_links_and_emphasis(old_database):
    stored = all_html()

    migration.rerender(apps, None)

    rerendered = all_html()
    assert rerendered.keys() == stored.keys()
    assert len([name for name in rerendered if name.startswith("question")]) >= 5
    for name, html in rerendered.items():
        assert structure(html) == structure(stored[name]), name
    everything = "".join(rerendered.values())
    for markup in ("<h3>What helped us</h3>", "<ol>", "<li>", "<em>", "<strong>"):
        assert markup in everything, markup
    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">this guide</a>' in everything

    crying = Question.objects.get(title__startswith="She cried after sex")
    page = Client().get(crying.get_absolute_url()).content.decode()
    assert "<strong>What you can do.</strong>" in page and "<ol>" in page and "<h3>What helped us</h3>" in page


def test_it_writes_what_the_new_renderer_makes_and_only_rows_that_change(old_database):
    Answer.objects.filter(body=REPLY).update(body_html="<p>stale</p>")
    ExpertProfile.objects.update(bio_html="")

    migration.rerender(apps, None)

    for question in Question.objects.all():
        assert question.body_html == render_markdown(question.body)
    for answer in Answer.objects.all():
        assert answer.body_html == render_markdown(answer.body)
    for profile in ExpertProfile.objects.all():
        assert profile.bio_html == render_markdown(profile.bio) != ""
    with CaptureQueriesContext(connection) as queries:
        migration.rerender(apps, None)
    assert [q["sql"] for q in queries if q["sql"].startswith("UPDATE")] == []


def test_it_can_be_unapplied_without_touching_anything():
    operation = migration.Migration.operations[0]
    assert operation.reversible and operation.reverse_code is operation.noop
