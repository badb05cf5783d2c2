from django.urls import path, re_path

from . import comment_views, crisis_views, thread_views, views

app_name = "moderation"
POST = r"(?P<kind>question|answer|comment)/(?P<pk>[0-9]+)"

urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/words/", views.words, name="words"),
    path("moderation/experts/", views.experts, name="experts"),
    path("moderation/experts/<int:pk>/verify/", views.expert_verify, name="expert_verify"),
    path("moderation/experts/<int:pk>/reject/", views.expert_reject, name="expert_reject"),
    path("moderation/experts/<int:pk>/revoke/", views.expert_revoke, name="expert_revoke"),
    path("moderation/words/<int:pk>/remove/", views.word_remove, name="word_remove"),
    path("moderation/edits/<int:pk>/approve/", views.edit_approve, name="edit_approve"),
    path("moderation/edits/<int:pk>/reject/", views.edit_reject, name="edit_reject"),
    path("moderation/first-posts/<int:pk>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("moderation/users/<int:user_id>/suspend/", views.suspend, name="suspend"),
    path("moderation/users/<int:user_id>/unsuspend/", views.unsuspend, name="unsuspend"),
    path("moderation/question/<int:pk>/duplicate/", thread_views.close_duplicate, name="close_duplicate"),
    path("moderation/question/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("moderation/question/<int:pk>/block/", views.block, name="block"),
    path("moderation/question/<int:pk>/suspend-author/", views.suspend_question_author, name="suspend_author"),
    path("moderation/question/<int:pk>/unsuspend-author/", views.unsuspend_question_author, name="unsuspend_author"),
    path("moderation/question/<int:pk>/approve/", views.question_approve, name="question_approve"),
    path("moderation/question/<int:pk>/reject/", views.question_reject, name="question_reject"),
    path("moderation/question/<int:pk>/hide/", views.question_hide, name="question_hide"),
    path("moderation/question/<int:pk>/restore/", views.question_restore, name="question_restore"),
    path("moderation/question/<int:pk>/delete/", thread_views.question_delete, name="question_delete"),
    path("moderation/question/<int:pk>/dismiss/", views.question_dismiss_reports, name="question_dismiss"),
    path("moderation/question/<int:pk>/lock/", views.question_lock, name="question_lock"),
    path("moderation/question/<int:pk>/unlock/", views.question_unlock, name="question_unlock"),
    path("moderation/question/<int:pk>/reopen/", views.question_reopen, name="question_reopen"),
    path("moderation/question/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("moderation/answer/<int:pk>/approve/", views.answer_approve, name="answer_approve"),
    path("moderation/answer/<int:pk>/hide/", views.answer_hide, name="answer_hide"),
    path("moderation/answer/<int:pk>/restore/", views.answer_restore, name="answer_restore"),
    path("moderation/answer/<int:pk>/delete/", thread_views.answer_delete, name="answer_delete"),
    path("moderation/answer/<int:pk>/dismiss/", views.answer_dismiss_reports, name="answer_dismiss"),
    path("moderation/answer/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path(
        "moderation/questions/<int:pk>/rollback/<int:revision_pk>/", views.question_rollback, name="question_rollback"
    ),
    path("moderation/answers/<int:pk>/rollback/<int:revision_pk>/", views.answer_rollback, name="answer_rollback"),
    path("moderation/comment/<int:pk>/approve/", comment_views.comment_approve, name="comment_approve"),
    path("moderation/comment/<int:pk>/hide/", comment_views.comment_hide, name="comment_hide"),
    path("moderation/comment/<int:pk>/restore/", comment_views.comment_restore, name="comment_restore"),
    path("moderation/comment/<int:pk>/delete/", thread_views.comment_delete, name="comment_delete"),
    path("moderation/comment/<int:pk>/dismiss/", comment_views.comment_dismiss_reports, name="comment_dismiss"),
    path("moderation/question/<int:pk>/topics/", thread_views.question_retag, name="question_retag"),
    re_path(rf"^report/{POST}/$", views.report, name="report"),
]
urlpatterns += [
    path("moderation/question/<int:pk>/support-note/", crisis_views.support_note, name="support_note"),
    re_path(rf"^moderation/{POST}/crisis-seen/$", crisis_views.crisis_seen, name="crisis_seen"),
]
