from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tooling: demo content (`seed_demo`), benchmark data (`seed_bulk`), the bench's no-op view.

    The top floor: it imports the apps, and nothing of the product imports it. forum/urls.py
    routes its views only when FORUM_BENCH=1, by the module's name.
    """

    name = "forum.devtools"
    label = "devtools"
    verbose_name = "Development tools"
