"""Experts' photos: upload and remove your own, a moderator's takedown, and the served image."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import ExpertProfile
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit
from forum.moderation.access import is_moderator_session, moderator_required

from . import photos
from .forms import ExpertPhotoForm, PhotoTakedownForm
from .views import render_apply_page

YEAR = 365 * 24 * 3600


@login_required
@require_POST
@ratelimit(key=ratelimit_key, rate="20/h", method="POST", block=True)
def photo_upload(request):
    form = ExpertPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.expert_photo_set(user=request.user, photo=form.cleaned_data["photo"])
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            apply_errors(form, error)
            return render_apply_page(request, photo_form=form, status=400)
        else:
            messages.success(request, _("Your photo is saved."))
        return redirect("people:expert_apply")
    return render_apply_page(request, photo_form=form, status=400)


@login_required
@require_POST
def photo_remove(request):
    try:
        removed = photos.expert_photo_remove(user=request.user)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your photo is removed.") if removed else _("You had no photo."))
    return redirect("people:expert_apply")


@require_POST
@moderator_required
def photo_takedown(request, username):
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), user__username=username)
    form = PhotoTakedownForm(request.POST)
    if form.is_valid():
        try:
            photos.expert_photo_takedown(moderator=request.user, profile=profile, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The photo of %(name)s is removed; the log keeps your reason.") % {"name": username}
            )
            return redirect("people:profile", username=username)
    problems = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, " ".join(problems))
    return redirect("people:profile", username=username)


@require_safe
def photo_image(request, sha256):
    """The image by its hash. Unknown, and not yours to see, are the same 404."""
    photo = photos.photo_to_serve(
        sha256, user=request.user, moderator=request.user.is_authenticated and is_moderator_session(request)
    )
    if photo is None:
        raise Http404
    response = HttpResponse(bytes(photo.image), content_type=photo.content_type)
    if photo.public:
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:  # an applicant's: for them and the moderators only, never in a shared cache
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = f'inline; filename="{photo.sha256[:12]}.jpg"'
    response["Content-Length"] = str(len(photo.image))
    return response
