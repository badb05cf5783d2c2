"""Every edit keeps a version; /questions/<id>/history/ and /answers/<id>/history/ show them all."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from forum.answers.models import Answer
from forum.desk import services as desk
from forum.moderation.models import PostRevision
from forum.questions import answer_services
from forum.questions.models import Question
from forum.questions.revision_services import answer_edit
from forum.questions.services import question_update
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

BODY = "Some details about the situation, long enough to pass validation."


def edit(question, *, title=None, body=None):
    return question_update(question=question, title=title or question.title, body=body or question.body,
                           tags=list(question.tags.all()))  # fmt: skip


# --- what is kept ------------------------------------------------------------------------------


def test_it_keeps_the_original_and_each_asker_edit(member_user):
    question = make_question(author=member_user, body=BODY)
    edit(question, body=BODY + " First edit.")
    edit(Question.objects.get(pk=question.pk), title="A clearer title for my question?")
    rows = list(PostRevision.objects.filter(question=question).order_by("created_at", "id"))
    assert [(r.role, r.body.rsplit(" ", 1)[-1]) for r in rows] == [
        ("asker", "validation."),
        ("asker", "edit."),
        ("asker", "edit."),
    ]
    assert rows[0].title == question.title and rows[-1].title == "A clearer title for my question?"
    assert all(r.edited_by == member_user for r in rows)
    question.refresh_from_db()
    assert question.text_changed_at == rows[-1].created_at


def test_it_keeps_no_version_for_an_edit_of_topics_only(member_user):
    question = make_question(author=member_user)
    edit(question)
    assert not PostRevision.objects.exists()
    assert Question.objects.get(pk=question.pk).text_changed_at is None


@override_settings(FORUM_PREMODERATE_ANONYMOUS=True)
def test_it_keeps_a_visitors_edit_when_a_moderator_approves_it(moderator_user):
    question = make_question(status="published")
    result = edit(question, body=BODY + " Waiting for review.")
    assert result.waiting_for_review and not PostRevision.objects.exists()
    desk.question_edit_approve(moderator=moderator_user, edit=question.pending_edit)
    latest = PostRevision.objects.filter(question=question).order_by("created_at", "id").last()
    assert latest.role == "asker" and latest.edited_by is None and latest.body.endswith("Waiting for review.")


def test_it_keeps_a_moderators_edit_with_its_reason(moderator_user):
    question = make_question()
    desk.post_edit(moderator=moderator_user, post=question, body=BODY + " Moderated.", reason="Typo")
    original, edited = PostRevision.objects.filter(question=question).order_by("created_at", "id")
    assert (original.role, original.reason, original.body) == ("asker", "", BODY)
    assert (edited.role, edited.reason, edited.edited_by) == ("moderator", "Typo", moderator_user)


def test_it_refuses_a_moderators_version_without_a_reason_in_the_database(moderator_user):
    from django.db import IntegrityError, transaction

    question = make_question()
    with pytest.raises(IntegrityError), transaction.atomic():
        PostRevision.objects.create(question=question, body="x", role="moderator", edited_by=moderator_user)


# --- the page ----------------------------------------------------------------------------------


def test_it_lists_every_version_newest_first_with_a_diff(moderator_user, visitor):
    author = UserFactory(username="named-nora")
    question = make_question(author=author, anonymous=False, body="Line one.\nLine two.")
    edit(question, body="Line one.\nLine two, clearer.")
    desk.post_edit(moderator=moderator_user, post=question, body="Line one.\nLine two, clearer.\nA note.",
                   reason="Added a safety note")  # fmt: skip
    response = visitor.get(f"/questions/{question.pk}/history/")
    page = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert page.index("Version 3") < page.index("Version 2") < page.index("Version 1")
    assert "By a moderator" in page and 'Reason: <span dir="auto">Added a safety note</span>' in page
    assert page.count("By named-nora") == 2 and "mod-alex" not in page
    assert "<ins>, clearer</ins>" in page and "<ins>A note.</ins>" in page
    assert "Roll back" not in page


def test_it_shows_the_post_itself_when_it_was_never_edited(visitor):
    question = make_question(body=BODY)
    page = visitor.get(f"/questions/{question.pk}/history/").content.decode()
    assert "Version 1" in page and BODY in page and "Version 2" not in page


def test_it_shows_an_answers_history(member_user, visitor):
    answer = make_answer(question=make_question(), author=member_user, body="The first version of an answer.")
    answer_edit(answer=answer, editor=member_user, body="The second version of an answer.")
    page = visitor.get(f"/answers/{answer.pk}/history/").content.decode()
    assert page.count("By member") == 2
    assert "<del>first</del><ins>second</ins>" in page


def test_it_names_the_anonymous_asker_only_as_the_asker(member_user, member, outsider, visitor, moderator,
                                                        revealing_moderator, moderator_user):  # fmt: skip
    question = make_question(author=member_user, anonymous=True)
    edit(question, body=BODY + " An edit by the asker.")
    desk.post_edit(moderator=moderator_user, post=question, body=BODY + " Moderated.", reason="Wording")
    for client in (member, outsider, visitor, moderator, revealing_moderator):
        page = client.get(f"/questions/{question.pk}/history/").content.decode().lower()
        page = page[page.index("<main") : page.index("</main>")]  # the asker's own menu names them
        assert "by the asker" in page
        for secret in ("member@example.com", ">member<", "by member", "/users/member/"):
            assert secret not in page, secret


def test_it_escapes_markup_in_every_version_and_diff(member_user, visitor):
    question = make_question(author=member_user, title="Is <script>alert(1)</script> ok to ask?")
    edit(question, title="Is <img src=x onerror=alert(2)> ok to ask?", body=BODY + "\n<b onclick=x>bold</b>")
    page = visitor.get(f"/questions/{question.pk}/history/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b onclick=x&gt;bold&lt;/b&gt;" in page


def test_it_hides_the_history_of_posts_the_reader_cant_see(member_user, visitor, outsider, moderator):
    hidden = make_question(author=member_user, status="hidden")
    assert visitor.get(f"/questions/{hidden.pk}/history/").status_code == 404
    assert outsider.get(f"/questions/{hidden.pk}/history/").status_code == 404
    assert moderator.get(f"/questions/{hidden.pk}/history/").status_code == 200
    answer = make_answer(question=make_question(), author=member_user)
    Answer.objects.filter(pk=answer.pk).update(status="hidden")
    assert visitor.get(f"/answers/{answer.pk}/history/").status_code == 404
    assert moderator.get(f"/answers/{answer.pk}/history/").status_code == 200


def test_it_answers_404_for_a_question_its_asker_deleted(member, member_user, moderator):
    question = make_question(author=member_user)
    edit(question, body=BODY + " Edited once.")
    member.post(f"/questions/{question.pk}/delete/", {"confirm": "yes"})
    assert not PostRevision.objects.filter(question=question).exists()
    for client in (member, moderator, Client()):
        assert client.get(f"/questions/{question.pk}/history/").status_code == 404


def test_it_refuses_the_wrong_method(visitor):
    question = make_question()
    assert visitor.post(f"/questions/{question.pk}/history/").status_code == 405


@pytest.mark.parametrize("reader", ["visitor", "moderator"])
def test_it_costs_the_same_queries_for_one_or_thirty_versions(reader, moderator_user, request):
    client = request.getfixturevalue(reader)
    small, big = make_question(title="A question edited only once"), make_question(title="A question edited often")
    desk.post_edit(moderator=moderator_user, post=small, body=BODY + " once", reason="r")
    for n in range(29):
        desk.post_edit(moderator=moderator_user, post=big, body=BODY + f" edit {n}", reason=f"r{n}")
    counts = []
    for question in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/questions/{question.pk}/history/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert PostRevision.objects.filter(question=big).count() == 30
    assert counts[0] == counts[1], counts
    assert counts[0] <= (2 if reader == "visitor" else 7), counts  # a member: + session, user (and unread count)


# --- the thread's marks ------------------------------------------------------------------------


def test_it_links_edited_posts_to_their_history(member_user, visitor):
    question = make_question(author=member_user)
    answer = make_answer(question=question, author=UserFactory())
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "/history/" not in page
    edit(question, body=BODY + " Edited.")
    answer_edit(answer=answer, editor=answer.author, body="An answer, edited by its author, long enough.")
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert f'href="/questions/{question.pk}/history/" class="edited-link">edited' in page
    assert f'href="/answers/{answer.pk}/history/" class="edited-link">edited' in page


def test_it_marks_a_question_edited_after_the_expert_answered(member_user, visitor):
    question = make_question(author=member_user)
    make_answer(question=question, author=make_expert())
    assert Question.objects.get(pk=question.pk).expert_answered_at is not None
    assert "edited after the expert answered" not in visitor.get(question.get_absolute_url()).content.decode()
    edit(Question.objects.get(pk=question.pk), body=BODY + " After the expert answered.")
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "edited after the expert answered" in page


def test_it_marks_edits_after_an_answer_was_accepted(member_user, visitor):
    question = make_question(author=member_user)
    answer = make_answer(question=question, author=UserFactory())
    edit(question, body=BODY + " Before accepting.")
    answer_services.answer_accept(question=question, answer=answer)
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "edited after an answer was accepted" not in page and "edited after it was accepted" not in page
    edit(Question.objects.get(pk=question.pk), body=BODY + " After accepting.")
    answer_edit(answer=answer, editor=answer.author, body="The accepted answer, changed afterwards.")
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "edited after an answer was accepted" in page and "edited after it was accepted" in page


def test_it_gives_versions_no_admin_page():
    """An asker's version stores the question's own author: no admin list may show or filter it."""
    from django.contrib import admin

    assert PostRevision not in admin.site._registry
