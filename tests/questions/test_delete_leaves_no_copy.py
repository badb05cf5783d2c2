"""A question deleted by its asker leaves no copy of its words: not in its history (every version,
the asker's and moderators'), not on its history page, the admin history, the search vector, the
slug, the page cache, the feeds or the thread's clarifications."""

import base64
import gzip
import pickle

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, override_settings

from forum.answers.models import Comment
from forum.desk import services as moderation
from forum.moderation.models import Flag
from forum.questions.comment_services import comment_post
from forum.questions.models import Question
from forum.questions.services import question_update
from tests.factories import UserFactory, make_answer, make_question
from tests.security.test_no_ip_stored import TEXT_TYPES, _columns

pytestmark = pytest.mark.django_db

SECRET = "Wobbleglimmer"  # a word no other row holds
EDITED = "Quillfernish"
ASKER_EDIT = "Brindlewhisk"  # the asker's own later version


def _rows_holding(word: str) -> dict[str, int]:
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, column, kind in _columns():
            if kind not in TEXT_TYPES:
                continue
            cursor.execute(f"SELECT count(*) FROM {quote(table)} WHERE lower({quote(column)}::text) LIKE %s",
                           [f"%{word.lower()}%"])  # fmt: skip
            if count := cursor.fetchone()[0]:
                found[f"{table}.{column}"] = count
    return found


def _cached_pages_holding(word: str) -> int:
    holding = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM forum_cache")
        for (value,) in cursor.fetchall():
            entry = pickle.loads(base64.b64decode(value.encode()))  # noqa: S301 - our own test cache
            parts = entry[1:3] if isinstance(entry, tuple) and len(entry) == 4 else (repr(entry).encode(),)
            text = b"".join(gzip.decompress(p) if p[:2] == b"\x1f\x8b" else p for p in parts if p)
            holding += word.lower().encode() in text.lower()
    return holding


@override_settings(FORUM_PAGE_CACHE_SECONDS=300, FORUM_PREMODERATE_ANONYMOUS=False)
def test_it_leaves_no_copy_of_a_deleted_question(moderator_user, django_capture_on_commit_callbacks):
    question = make_question(
        title=f"Is it normal that {SECRET} happens to me after sex?",
        body=f"Every time, {SECRET} happens and I am too embarrassed to ask anyone about it.",
    )
    moderation.post_edit(moderator=moderator_user, post=question, title=f"Is {EDITED} normal after sex?",
                         body=f"Every time, {EDITED} happens.", reason="Clearer wording")  # fmt: skip
    question_update(question=question, title=f"Is {EDITED} normal after sex, really?", body=f"Now {ASKER_EDIT}.",
                    tags=list(question.tags.all()))  # fmt: skip
    LogEntry.objects.log_actions(
        user_id=moderator_user.pk, queryset=[Question.objects.get(pk=question.pk)], action_flag=CHANGE,
        change_message="Viewed in the admin", single_object=True,
    )  # fmt: skip
    reader = Client()
    for url in (Question.objects.get(pk=question.pk).get_absolute_url(), "/questions/", "/", "/feeds/latest/"):
        assert reader.get(url).status_code == 200
    assert _cached_pages_holding(EDITED) >= 2, "the thread and the lists were cached"
    assert set(_rows_holding(SECRET)) >= {"moderation_postrevision.title", "moderation_postrevision.body"}
    history = f"/questions/{question.pk}/history/"
    assert all(word in reader.get(history).content.decode() for word in (SECRET, EDITED, ASKER_EDIT))
    assert "questions_question.search_vector" in _rows_holding(EDITED)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/questions/{question.pk}/delete/", {"key": question.key, "confirm": "yes"})
    assert response.status_code == 302

    assert reader.get(history).status_code == 404
    for word in (SECRET, EDITED, ASKER_EDIT):
        assert _rows_holding(word) == {}, word
        assert _cached_pages_holding(word) == 0, word
        for url in ("/questions/", "/", "/feeds/latest/"):
            assert word not in reader.get(url).content.decode(), url
        assert f"/questions/{question.pk}/" not in reader.get(f"/search/?q={word}").content.decode()
    assert LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Question)).object_repr == "[deleted]"


CLARIFIED = "Plinthwhorl"  # in the asker's clarification
REPLIED = "Sorrelbank"  # in someone else's, which quotes or answers the asker


@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
def test_it_wipes_every_clarification_of_a_deleted_question(moderator_user):
    question = make_question(title="A question its asker will delete, with clarifications")
    answer = make_answer(question=question, author=UserFactory())
    mine = comment_post(question=question, answer=answer, author=None, by_asker=True, body=f"I meant {CLARIFIED}.")
    theirs = comment_post(question=question, author=UserFactory(), by_asker=False, body=f"Is {REPLIED} it?")
    Flag.objects.create(comment=theirs, reporter=moderator_user, reason="spam")
    assert _rows_holding(CLARIFIED) and _rows_holding(REPLIED)

    confirmed = {"key": question.key, "confirm": "yes"}
    assert Client().post(f"/questions/{question.pk}/delete/", confirmed).status_code == 302

    assert _rows_holding(CLARIFIED) == {} and _rows_holding(REPLIED) == {}
    for comment in (mine, theirs):
        comment.refresh_from_db()
        assert comment.status == Comment.Status.REMOVED and comment.body == comment.body_html == ""
    assert Flag.objects.get().status == Flag.Status.RESOLVED
