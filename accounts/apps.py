from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The identity floor: the User and ExpertProfile models, MFA, the expert rule and account
    emails. It imports no app of ours but the core."""

    name = "accounts"
    verbose_name = "Accounts"
