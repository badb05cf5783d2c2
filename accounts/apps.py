from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The identity floor: the User and ExpertProfile models, MFA, the expert rule and account
    emails. It imports no app of ours but the core."""

    name = "accounts"
    verbose_name = _("Accounts")
