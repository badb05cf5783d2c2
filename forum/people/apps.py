from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """What members and experts do beyond signing in: public profiles, the experts' list and
    applications, moderators' decisions on experts, deleting an account, allauth's adapter.
    A top floor: it reads and writes posts through their apps; `accounts` below it keeps only
    the identity (the User and ExpertProfile models, MFA, the expert rule, account emails)."""

    name = "forum.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        # allauth tells us when a member adds or removes an authenticator; an expert without
        # MFA must not show as verified, so the expert flag on their answers follows at once.
        from allauth.mfa import signals

        from .services import expert_sync_answers

        def sync(sender, request=None, user=None, **kwargs):
            if user is not None and hasattr(user, "expert_profile"):
                expert_sync_answers(user=user)

        signals.authenticator_added.connect(sync, weak=False, dispatch_uid="expert-sync-on-mfa-added")
        signals.authenticator_removed.connect(sync, weak=False, dispatch_uid="expert-sync-on-mfa-removed")
