from django.apps import AppConfig

from forum.core import effects


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from .audit import log_action

        effects.register_audit_writer(log_action)
