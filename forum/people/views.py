from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.mfa import has_mfa
from accounts.models import ExpertProfile, User
from forum.core.forms import apply_errors
from forum.moderation.access import is_moderator_session

from . import selectors, services
from .forms import ExpertApplicationForm, ExpertPhotoForm, PhotoTakedownForm


@require_safe
def expert_list(request):
    return render(request, "accounts/experts.html", {"experts": selectors.verified_experts()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def expert_apply(request):
    profile = selectors.own_expert_profile(request.user)
    form = ExpertApplicationForm(request.POST or None, request.FILES or None, instance=None, initial=_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_apply(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. A moderator will review your application; you'll see the decision here.")
            )
            return redirect("people:expert_apply")
    return render_apply_page(request, form=form, profile=profile, status=200)


def render_apply_page(request, *, form=None, photo_form=None, profile=None, status: int = 200):
    """The application page: the member's application and photo, with the forms (and their errors)."""
    profile = profile or selectors.own_expert_profile(request.user)
    context = {
        "form": form or ExpertApplicationForm(initial=_initial(profile)),
        "photo_form": photo_form or ExpertPhotoForm(),
        "profile": profile,
        # Told, not silently unflagged: the badge needs two-factor authentication.
        "needs_mfa": profile is not None and profile.status in _BADGE_STATUSES and not has_mfa(request.user),
    }
    return render(request, "accounts/expert_apply.html", context, status=status)


_BADGE_STATUSES = (ExpertProfile.Status.PENDING, ExpertProfile.Status.VERIFIED)


def _initial(profile):
    if profile is None:
        return {}
    fields = ["title", "credentials", "licence_number", "licence_body", "jurisdiction", "website", "bio"]
    return {**{name: getattr(profile, name) for name in fields}, "areas": list(profile.areas.all())}


@require_safe
def profile(request, username):
    user = get_object_or_404(User, username=username, is_active=True)
    page = selectors.profile_page(user)
    moderator = request.user.is_authenticated and is_moderator_session(request)
    takedown = PhotoTakedownForm() if moderator and page["photo_sha256"] else None
    return render(request, "accounts/profile.html", {"member": user, "takedown_form": takedown, **page})
