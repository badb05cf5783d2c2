"""An accountless asker's emails (forum.questions.asker_mail): leave an address, stop, and the
stop link each email carries. Three URLs, one small view each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit
from forum.core.tokens import sha256_hex

from . import asker_mail, selectors
from .forms import AskerEmailForm
from .models import Question
from .views import render_key_page


def question_for_key(pk: int, key: str) -> Question:
    """The question this key opens, if it is question `pk`. Only the key will do: the email must
    link to the private page, so a browser session that asked is not enough here."""
    question = selectors.question_for_key(sha256_hex(key)) if key else None
    if question is None or question.pk != pk:
        raise PermissionDenied(gettext("Only the person who asked can do that."))
    if question.status == Question.Status.REMOVED:
        raise Http404
    return question


@never_cache
@sensitive_post_parameters("asker_email", "key")
@require_POST
@ratelimit(key=ratelimit_key, rate="10/h", method="POST", block=True)
def asker_email_set(request, pk):
    key = request.POST.get("key", "")
    question = question_for_key(pk, key)
    form = AskerEmailForm(request.POST)
    if form.is_valid():
        try:
            asker_mail.asker_contact_set(question=question, key=key, email=form.cleaned_data["asker_email"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, gettext("Thank you. We'll email you when someone answers or asks for a clarification.")
            )
            return redirect("questions:key", key=key)
    return render_key_page(request, question, key=key, email_form=form)


@never_cache
@require_POST
def asker_email_stop(request, pk):
    key = request.POST.get("key", "")
    question = question_for_key(pk, key)
    asker_mail.asker_contact_stop(question=question)
    messages.success(request, gettext("Emails stopped. Your address is erased."))
    return redirect("questions:key", key=key)


# No CSRF check, on this view only: the link is followed from an email, and a mail client's
# one-click unsubscribe (RFC 8058) POSTs without cookies or a form token. The signed token in
# the URL is the proof; a forged POST could at most stop someone's emails, and only with a token
# that only their mailbox holds. A GET only asks (mail scanners follow links); the POST erases.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_key, rate="30/m", method="POST", block=True)
def asker_email_stop_link(request, token):
    try:
        asker_mail.contact_id_from_stop_token(token)
    except BadSignature:
        raise Http404 from None
    stopped = request.method == "POST"
    if stopped:
        asker_mail.asker_contact_stop_by_token(token=token)
    response = render(request, "questions/asker_email_stop.html", {"stopped": stopped})
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
