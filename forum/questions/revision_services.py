"""Edits that keep a history: a post's new text written with its version (forum/questions/revisions.py).

`post_text_write` is the one writer of a post's title and body outside the asker's question
edit (`services.question_apply_text`): an author's answer edit here, a moderator's edit and
rollback on the desk.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from forum.answers.models import Answer
from forum.core import effects, text
from forum.core.markdown import render_markdown
from forum.core.pagecache import LISTS, thread
from forum.moderation import policy
from forum.moderation.models import PostRevision

from .answer_services import answer_set_status
from .models import Question, slug_for_title
from .revisions import revision_record
from .services import question_search_refresh


def post_text_write(
    *, post: Question | Answer, body: str, title: str | None, editor_id: int | None, role: str, reason: str = ""
) -> bool:
    """Give a locked post new text (a question's title too, when given), keeping the version.
    Returns False, writing nothing, when the text is what it already was."""
    is_question = isinstance(post, Question)
    body = text.clean_body(body)
    new_title = text.clean_line(title) if is_question and title else getattr(post, "title", "")
    if not revision_record(post=post, title=new_title, body=body, editor_id=editor_id, role=role, reason=reason):
        return False
    fields = ["body", "body_html", "updated_at", "text_changed_at"]
    post.body = body
    post.body_html = render_markdown(body)
    post.updated_at = post.text_changed_at or timezone.now()
    if isinstance(post, Question) and new_title != post.title:
        post.title = new_title
        post.slug = slug_for_title(new_title)
        fields += ["title", "slug"]
    post.full_clean(exclude=["tags", "duplicate_of", "search_vector"] if is_question else ["question", "author"])
    post.save(update_fields=fields)
    question_id = post.pk if isinstance(post, Question) else post.question_id
    if isinstance(post, Question) or post.status == Answer.Status.PUBLISHED:
        question_search_refresh(question_id=question_id)
    effects.pages_changed(thread(question_id), *((LISTS,) if is_question else ()))
    return True


@transaction.atomic
def answer_edit(*, answer: Answer, editor, body: str) -> Answer:
    """The author edits their answer. Words held for review send it back to review, as a new
    answer would be; a blocking word refuses the edit (the message goes next to the text)."""
    answer = Answer.objects.select_for_update(of=("self",)).select_related("question").get(pk=answer.pk)
    if answer.status == Answer.Status.REMOVED or answer.question.status == Question.Status.REMOVED:
        raise ValidationError(gettext("This answer was deleted."))
    if editor is None or answer.author_id != editor.pk:
        raise PermissionDenied(gettext("Only the author can edit this answer."))
    policy.check_member_can_post(editor)
    try:
        screening = policy.screen_post(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error
    held = screening.action == "hold"
    post_text_write(post=answer, body=body, title=None, editor_id=editor.pk, role=PostRevision.Role.AUTHOR)
    crisis_fields = policy.crisis_mark(answer, crisis=screening.crisis)
    if crisis_fields:
        answer.save(update_fields=crisis_fields)
    if held and answer.status == Answer.Status.PUBLISHED:
        answer = answer_set_status(answer=answer, status=Answer.Status.PENDING)
    return answer
