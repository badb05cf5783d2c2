from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from forum.core import effects


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from .audit import log_action

        effects.register_audit_writer(log_action)
