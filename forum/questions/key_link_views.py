"""The private page's "Email me this link" (forum.questions.key_link_mail): one URL, one view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit

from . import key_link_mail
from .asker_views import question_for_key
from .forms import KeyLinkEmailForm
from .views import render_key_page

SENT = gettext_noop(
    "Sent. Look for an email from us with your link (check the spam folder too). We did not keep your address."
)


@never_cache
@sensitive_post_parameters("link_email", "key")
@require_POST
@ratelimit(key=ratelimit_key, rate="5/h", method="POST", block=True)
def key_link_email(request, pk):
    key = request.POST.get("key", "")
    question = question_for_key(pk, key)
    form = KeyLinkEmailForm(request.POST)
    if form.is_valid():
        try:
            key_link_mail.key_link_email(question=question, key=key, email=form.cleaned_data["link_email"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext(SENT))
            return redirect("questions:key", key=key)
    return render_key_page(request, question, key=key, link_form=form, status=400)
