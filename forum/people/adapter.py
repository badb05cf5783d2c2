import datetime

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext, gettext_lazy

from accounts.emails import RESET_TEMPLATE, send_account_email, site_identity
from accounts.languages import current_language
from accounts.models import RESERVED_NAMES
from forum.core import effects
from forum.core.privacy import source_hash
from forum.core.text import clean_line
from forum.questions.access import forget_held_questions

# Context entries that are (or carry) a secret. An email that holds one and that the worker
# cannot write again itself (login and reset codes, which live only in the session; off here)
# is sent in the request as allauth does: it is never written to the job table.
_SECRET_NAMES = frozenset({"key", "code", "uid", "token", "activate_url"})
# What allauth adds for the template and the worker adds again itself.
_REBUILT_NAMES = frozenset({"request", "user", "email", "current_site"})


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": gettext_lazy("That display name is taken."),
    }

    def clean_username(self, username, shallow=False):
        username = clean_line(username)  # NFC, no direction overrides or zero-width characters
        if username.lower() in RESERVED_NAMES:
            raise forms.ValidationError(gettext("That display name is reserved. Please choose another."))
        return super().clean_username(username, shallow=shallow)

    def login(self, request, user):
        forget_held_questions(request)
        super().login(request, user)

    def save_user(self, request, user, form, commit=True):
        """A new member's emails start in the language they signed up in (accounts/languages.py)."""
        user.language = current_language()
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        # allauth keys its rate limits (and cache entries) by this value: give it the keyed,
        # daily-rotating hash so no address is ever written to the cache.
        return source_hash(request)

    # --- allauth's emails leave the request: a job in the task queue (accounts/emails.py) ---

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        address = emailconfirmation.email_address
        if app_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED or address.pk is None:
            return super().send_confirmation_mail(request, emailconfirmation, signup)
        prefix = "account/email/email_confirmation_signup" if signup else "account/email/email_confirmation"
        effects.task(send_account_email, template_prefix=prefix, address_id=address.pk)

    def send_password_reset_mail(self, user, email, context):
        effects.task(send_account_email, template_prefix=RESET_TEMPLATE, user_id=user.pk, email=email)

    def render_mail(self, template_prefix, email, context, headers=None):
        """Every allauth email, sent now or by the worker, greets with the site's name."""
        return super().render_mail(template_prefix, email, {**context, "current_site": site_identity()}, headers)

    def send_mail(self, template_prefix, email, context):
        """Every other email allauth sends: queued with its plain context values only."""
        if _SECRET_NAMES & context.keys():
            return super().send_mail(template_prefix, email, context)
        user = context.get("user")
        plain = {}
        for name, value in context.items():
            if isinstance(value, datetime.datetime):
                value = value.isoformat(sep=" ", timespec="seconds")
            if name not in _REBUILT_NAMES and (value is None or isinstance(value, (str, int, float, bool))):
                plain[name] = value
        effects.task(
            send_account_email,
            template_prefix=template_prefix,
            email=email,
            user_id=getattr(user, "pk", None),
            plain=plain,
            language=current_language(),  # for an address with no account (a member's own wins)
        )
