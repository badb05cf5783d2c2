from django.urls import path, re_path

from . import views

app_name = "moderation"
POST = r"(?P<kind>question|answer)/(?P<pk>[0-9]+)"

urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/words/", views.words, name="words"),
    path("moderation/experts/", views.experts, name="experts"),
    path("moderation/experts/<int:pk>/<str:decision>/", views.expert_decide, name="expert_decide"),
    path("moderation/words/<int:pk>/remove/", views.word_remove, name="word_remove"),
    path("moderation/edits/<int:pk>/approve/", views.edit_approve, name="edit_approve"),
    path("moderation/edits/<int:pk>/reject/", views.edit_reject, name="edit_reject"),
    path("moderation/first-posts/<int:pk>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("moderation/users/<int:user_id>/suspend/", views.suspend, name="suspend"),
    path("moderation/users/<int:user_id>/unsuspend/", views.unsuspend, name="unsuspend"),
    path("moderation/question/<int:pk>/duplicate/", views.close_duplicate, name="close_duplicate"),
    path("moderation/question/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("moderation/question/<int:pk>/block/", views.block, name="block"),
    path("moderation/question/<int:pk>/suspend-author/", views.suspend_question_author, name="suspend_author"),
    path("moderation/question/<int:pk>/unsuspend-author/", views.unsuspend_question_author, name="unsuspend_author"),
    re_path(rf"^moderation/{POST}/edit/$", views.edit, name="edit"),
    re_path(rf"^moderation/{POST}/(?P<action>[a-z]+)/$", views.act, name="act"),
    re_path(rf"^report/{POST}/$", views.report, name="report"),
]
