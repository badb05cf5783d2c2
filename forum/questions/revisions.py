"""A post's history (moderation.PostRevision): writing a version, reading the versions back.

Each row is one version of the text. The first edit of a post also keeps the text it replaces
(dated when the post was posted, or when it last changed before histories were kept), so the
history always holds the original and the current text.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.models import FORMER_MEMBER
from forum.answers.models import Answer
from forum.core.textdiff import diff_html
from forum.moderation.models import PostRevision

from .models import Question

Role = PostRevision.Role
_FIELDS = ("id", "question_id", "answer_id", "title", "body", "role", "reason", "created_at")


def _target(post: Question | Answer) -> dict:
    return {"question": post} if isinstance(post, Question) else {"answer": post}


def revision_record(
    *, post: Question | Answer, title: str, body: str, editor_id: int | None, role: str, reason: str = ""
) -> bool:
    """Keep the version `post` is about to take, by `editor_id` in `role`; False when the text is
    unchanged (nothing is written). Call it inside the writer's transaction, with the post's row
    locked and still holding its old text; it sets `post.text_changed_at`, which the caller saves."""
    old_title = post.title if isinstance(post, Question) else ""
    title = title if isinstance(post, Question) else ""
    if (old_title, post.body) == (title, body):
        return False
    target = _target(post)
    now = timezone.now()
    rows = []
    if not PostRevision.objects.filter(**target).exists():
        rows.append(
            PostRevision(
                title=old_title,
                body=post.body,
                edited_by_id=post.author_id,
                role=Role.ASKER if isinstance(post, Question) else Role.AUTHOR,
                created_at=post.text_changed_at or post.created_at,
                **target,
            )
        )
    rows.append(PostRevision(title=title, body=body, edited_by_id=editor_id, role=role, reason=reason,
                             created_at=now, **target))  # fmt: skip
    for row in rows:
        row.full_clean(exclude=["question", "answer", "edited_by"])
    PostRevision.objects.bulk_create(rows)
    post.text_changed_at = now
    return True


@dataclass(frozen=True)
class Version:
    pk: int | None  # None: the post's text, never edited since histories were kept
    number: int
    who: str
    role: str
    when: datetime
    reason: str
    title: str
    body: str
    title_diff: SafeString | None  # None for the first version
    body_diff: SafeString | None
    is_current: bool


def _who(post: Question | Answer, role: str) -> str:
    """Who wrote a version, as the history shows it: never the author of an anonymous question,
    never a moderator's name."""
    if role == Role.MODERATOR:
        return "a moderator"
    if isinstance(post, Question):
        author = post.public_author
        return author.username if author is not None else "the asker"
    return post.author.username if post.author is not None else FORMER_MEMBER


def post_history(post: Question | Answer) -> list[Version]:
    """Every version of the post's text, newest first, each with its difference from the one
    before it. One query, whatever the number of versions (`post` comes with its author)."""
    rows = list(PostRevision.objects.filter(**_target(post)).order_by("created_at", "id").only(*_FIELDS))
    if not rows:
        role = Role.ASKER if isinstance(post, Question) else Role.AUTHOR
        rows = [PostRevision(title=getattr(post, "title", ""), body=post.body, role=role, created_at=post.created_at)]
    versions = []
    previous = None
    for number, row in enumerate(rows, start=1):
        versions.append(
            Version(
                pk=row.pk,
                number=number,
                who=_who(post, row.role),
                role=row.role,
                when=row.created_at,
                reason=row.reason,
                title=row.title,
                body=row.body,
                title_diff=None if previous is None else diff_html(previous.title, row.title),
                body_diff=None if previous is None else diff_html(previous.body, row.body),
                is_current=number == len(rows),
            )
        )
        previous = row
    versions.reverse()
    return versions
