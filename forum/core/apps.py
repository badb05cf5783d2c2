from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "forum.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # (here: auth.views, which drafts imports, needs the app registry ready)
        from . import drafts

        drafts.connect()
