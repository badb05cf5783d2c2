from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import ExpertProfile, User
from forum.core.forms import apply_errors

from . import selectors, services
from .forms import ExpertApplicationForm


@require_safe
def expert_list(request):
    return render(request, "accounts/experts.html", {"experts": selectors.verified_experts()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def expert_apply(request):
    profile = ExpertProfile.objects.filter(user=request.user).first()
    form = ExpertApplicationForm(request.POST or None, instance=None, initial=_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_apply(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Thank you. A moderator will review your application; you'll see the decision here."
            )
            return redirect("people:expert_apply")
    return render(request, "accounts/expert_apply.html", {"form": form, "profile": profile})


def _initial(profile):
    if profile is None:
        return {}
    fields = ["title", "credentials", "licence_number", "licence_body", "jurisdiction", "website", "bio"]
    return {**{name: getattr(profile, name) for name in fields}, "areas": list(profile.areas.all())}


@require_safe
def profile(request, username):
    user = get_object_or_404(User, username=username, is_active=True)
    return render(request, "accounts/profile.html", {"member": user, **selectors.profile_page(user)})
