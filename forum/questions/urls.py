from django.urls import path
from django.views.decorators.http import require_safe

from . import (
    answer_views,
    asker_views,
    comment_views,
    delete_views,
    help_views,
    history_views,
    key_link_views,
    preference_views,
    views,
)
from .feeds import LatestQuestionsAtomFeed, LatestQuestionsFeed, TopicQuestionsFeed

app_name = "questions"

urlpatterns = [
    path("questions/", views.question_list, name="list"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/similar/", views.similar, name="similar"),
    path("questions/key/<str:key>/", views.key_page, name="key"),
    path("questions/<int:pk>/", views.question_detail, name="detail_noslug"),
    path("questions/<int:pk>/edit/", views.question_edit, name="edit"),
    path("questions/<int:pk>/delete/", delete_views.question_delete, name="delete"),
    path("questions/<int:pk>/email-link/", key_link_views.key_link_email, name="key_link_email"),
    path("questions/<int:pk>/asker-email/", asker_views.asker_email_set, name="asker_email"),
    path("questions/<int:pk>/asker-email/stop/", asker_views.asker_email_stop, name="asker_email_stop"),
    path("questions/asker-email/stop/<str:token>/", asker_views.asker_email_stop_link, name="asker_email_stop_link"),
    path("questions/<int:pk>/vote/", answer_views.question_vote, name="vote"),
    path("questions/<int:pk>/answer/", answer_views.answer_create, name="answer"),
    path("questions/<int:pk>/follow/", views.question_follow, name="follow"),
    path("questions/<int:pk>/unfollow/", views.question_unfollow, name="unfollow"),
    path("questions/<int:pk>/history/", history_views.question_history, name="history"),
    path("questions/<int:pk>/comment/", comment_views.question_comment, name="question_comment"),
    path("questions/<int:pk>/clarifications/", comment_views.question_comments, name="question_comments"),
    path("questions/<int:pk>/<slug:slug>/", views.question_detail, name="detail"),
    path("answers/<int:pk>/", answer_views.answer_permalink, name="answer_permalink"),
    path("answers/<int:pk>/vote/", answer_views.answer_vote, name="answer_vote"),
    path("answers/<int:pk>/accept/", answer_views.answer_accept, name="answer_accept"),
    path("answers/<int:pk>/edit/", history_views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/delete/", delete_views.answer_delete, name="answer_delete"),
    path("answers/<int:pk>/history/", history_views.answer_history, name="answer_history"),
    path("answers/<int:pk>/comment/", comment_views.answer_comment, name="answer_comment"),
    path("answers/<int:pk>/clarifications/", comment_views.answer_comments, name="answer_comments"),
    path("comments/<int:pk>/delete/", comment_views.comment_delete, name="comment_delete"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("me/notifications/settings/", preference_views.notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
    path("search/", views.search, name="search"),
    path("help/", help_views.crisis_help, name="help"),
    path("feeds/latest/", require_safe(LatestQuestionsFeed()), name="feed_latest"),
    path("feeds/latest/atom/", require_safe(LatestQuestionsAtomFeed()), name="feed_latest_atom"),
    path("feeds/tags/<slug:slug>/", require_safe(TopicQuestionsFeed()), name="feed_tag"),
]
