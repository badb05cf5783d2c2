"""allauth's emails, sent by the task worker (forum.people.adapter.AccountAdapter queues them).

A job holds what is needed to write its email again, never the email's secret: a confirmation
job holds the email address's id; a password reset job the member's id and the address that
was asked for. The worker makes the link (a signed confirmation key, a reset token) when it
runs, so no key or reset link is ever written to the job table, and an address confirmed
(or a member gone) meanwhile gets nothing. Emails with no secret in them (unknown account,
account already exists, security notices) hold the template's name, the recipient and their
context's plain values (their public links as allauth built them). Confirmation and reset links
are built on SITE_URL, never on the Host header of the request that asked for them.

Each is written in its reader's language (allauth ships the catalogs): a member's own
(`User.language`, accounts/languages.py), or, for an address with no account behind it, the
language of the page it was typed on (the job's `language`, a code like "es": nothing personal).
"""

from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.app_settings import LoginMethod
from allauth.account.models import EmailAddress, get_emailconfirmation_model
from allauth.account.utils import filter_users_by_email, user_pk_to_url_str, user_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from forum.core.tasks import retried_task

from .languages import site_language

CONFIRMATIONS = frozenset({"account/email/email_confirmation", "account/email/email_confirmation_signup"})
RESET_TEMPLATE = "account/email/password_reset_key"


@retried_task
def send_account_email(
    *,
    template_prefix: str,
    email: str | None = None,
    user_id: int | None = None,
    address_id: int | None = None,
    plain: dict | None = None,
    language: str = "",
) -> None:
    if template_prefix in CONFIRMATIONS:
        address = EmailAddress.objects.select_related("user").filter(pk=address_id, verified=False).first()
        if address is None or not address.user.is_active:
            return  # confirmed meanwhile, or gone
        confirmation = get_emailconfirmation_model().create(address)
        email = address.email
        values = {
            "user": address.user,
            "key": confirmation.key,
            "activate_url": _absolute(reverse("account_confirm_email", args=[confirmation.key])),
        }
    elif template_prefix == RESET_TEMPLATE:
        users = filter_users_by_email(email, is_active=True, prefer_verified=True)
        user = next((user for user in users if user.pk == user_id), None)
        if user is None:
            return  # the address left the account, or the account is gone
        uid = user_pk_to_url_str(user)
        token = app_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        values = {
            "user": user,
            "uid": uid,
            "key": token,
            "password_reset_url": _absolute(path.replace("UID-KEY", quote(f"{uid}-{token}"))),
        }
        if LoginMethod.USERNAME in app_settings.LOGIN_METHODS:
            values["username"] = user_username(user)
    else:
        values = dict(plain or {})
        if user_id is not None:
            user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            if user is None:
                return
            values["user"] = user
    values = {"request": None, "email": email, "current_site": site_identity(), **values}
    member = values.get("user")
    with translation.override(site_language(getattr(member, "language", None) or language)):
        get_adapter().render_mail(template_prefix, email, values).send()


def site_identity() -> SimpleNamespace:
    """What allauth's emails call `current_site`: the site's name (SITE_NAME: "Hello from Ask Freely!"),
    never the host and port of the request that sent them, which is what allauth finds without
    django.contrib.sites."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
