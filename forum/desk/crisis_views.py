"""The crisis lane's actions at the desk: write the asker a supportive note, mark a post as seen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from forum.answers.models import Answer, Comment
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit
from forum.moderation.access import moderator_required
from forum.questions.models import Question

from . import crisis_services
from .forms import SupportNoteForm
from .views import _reason, _run

_MODELS: dict[str, type[Question] | type[Answer] | type[Comment]] = {
    "question": Question,
    "answer": Answer,
    "comment": Comment,
}


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
@ratelimit(key=ratelimit_key, rate="30/h", method="POST", block=True)
def support_note(request, pk):
    """GET: the form, with the question and the starting points (`?start=N` fills one in, no JS
    needed); POST: write the note."""
    question = get_object_or_404(Question.objects.exclude(status=Question.Status.REMOVED), pk=pk)
    comment = None
    if request.method == "POST":
        form = SupportNoteForm(request.POST)
        if form.is_valid():
            comment_id = form.cleaned_data.get("comment")
            if comment_id:
                comment = Comment.objects.filter(pk=comment_id, question=question, by_asker=True).first()
            try:
                crisis_services.support_note_write(
                    moderator=request.user, question=question, body=form.cleaned_data["body"], comment=comment
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, gettext("Your note is on the asker's private page. The action is in the log.")
                )
                return redirect("moderation:queue")
    else:
        comment_id = request.GET.get("comment", "")
        initial = {"body": _starting_point(request), "comment": comment_id if comment_id.isdigit() else None}
        form = SupportNoteForm(initial=initial)
    canned = [gettext(note) for note in crisis_services.CANNED_NOTES]
    context = {"form": form, "question": question, "canned": canned}
    return render(request, "moderation/support_note.html", context)


def _starting_point(request) -> str:
    try:
        return gettext(crisis_services.CANNED_NOTES[int(request.GET.get("start", ""))])
    except (ValueError, IndexError):
        return ""


@require_POST
@moderator_required
def crisis_seen(request, kind, pk):
    model = _MODELS.get(kind)
    if model is None:
        raise Http404
    post = get_object_or_404(model, pk=pk)
    return _run(request, crisis_services.crisis_mark_seen, moderator=request.user, post=post, reason=_reason(request))
