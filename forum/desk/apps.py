from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The moderation desk: moderators' actions, the queue, the log's pages and the admin of
    moderation records. A top floor: it acts on posts and people through their services."""

    name = "forum.desk"
    label = "desk"
    verbose_name = _("Moderation desk")
