"""A member's notification choices, and the one-click unsubscribe link every email carries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import ExpertProfile, User
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit

from . import preferences
from .forms import NotificationSettingsForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    expert = ExpertProfile.objects.filter(
        user=request.user, status=ExpertProfile.Status.VERIFIED, verified_until__gte=timezone.localdate()
    ).exists()
    current = preferences.preference_for(request.user.pk)
    form = NotificationSettingsForm(request.POST or None, instance=current, expert=expert)
    if request.method == "POST" and form.is_valid():
        preferences.preferences_set(user_id=request.user.pk, **form.cleaned_data)
        messages.success(request, gettext("Your notification choices are saved."))
        return redirect("questions:notification_settings")
    return render(request, "questions/notification_settings.html", {"form": form, "expert": expert})


# Mail clients send RFC 8058's one-click POST without our cookies or CSRF token, so this view
# alone is exempt: the signed token is the authority, and all it can do is turn one kind of email
# off for the member it names (docs/threat-model.md). GET only shows the button: link scanners
# that follow every link in an email must not unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_key, rate="30/m", block=True)
def unsubscribe(request, token):
    found = preferences.read_unsubscribe_token(token)
    if found is None or not User.objects.filter(pk=found[0], is_active=True).exists():
        response = render(request, "questions/unsubscribe_invalid.html", status=400)
    else:
        user_id, channel = found
        done = request.method == "POST"
        if done:
            preferences.email_off(user_id=user_id, channel=channel)
        response = render(request, "questions/unsubscribe.html", {"channel": channel, "done": done})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # the token is in the address
    return response
