from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The moderation desk: moderators' actions, the queue, the log's pages and the admin of
    moderation records. A top floor: it acts on posts and people through their services."""

    name = "forum.desk"
    label = "desk"
    verbose_name = "Moderation desk"
