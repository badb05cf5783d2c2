"""The desk's actions on clarifications: one URL and one small view each (see views.py for posts)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from forum.answers.models import Comment
from forum.moderation.access import moderator_required

from . import comment_services, services
from .views import _reason, _run


@require_POST
@moderator_required
def comment_approve(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    return _run(request, comment_services.comment_approve, moderator=request.user, comment=comment,
                reason=_reason(request))  # fmt: skip


@require_POST
@moderator_required
def comment_hide(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    return _run(request, comment_services.comment_hide, moderator=request.user, comment=comment,
                reason=_reason(request))  # fmt: skip


@require_POST
@moderator_required
def comment_restore(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    return _run(request, comment_services.comment_restore, moderator=request.user, comment=comment,
                reason=_reason(request))  # fmt: skip


@require_POST
@moderator_required
def comment_dismiss_reports(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    return _run(request, services.flags_dismiss, moderator=request.user, post=comment, reason=_reason(request))
