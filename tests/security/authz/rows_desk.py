"""The matrix's rows for the moderation desk: every page and action, as every persona.

Each row is (url name, kwargs builder, method, {persona: expected}); see tests.security.authz.world
for the cells (`desk` is moderator_required's ladder: sign in, 403, MFA setup, an authenticator code).
"""

from tests.security.authz.world import Row, desk, everyone, none, pk, post

REASON = {"reason": "authorization matrix"}


def desk_actions(name, kwargs):
    """A desk action: a POST the desk may make (it lands back on the desk, done or refused with a
    message), and a GET nobody may."""
    return [
        Row(name, kwargs, "POST", desk(302), data=lambda w: REASON),
        Row(name, kwargs, "GET", everyone(405)),
    ]


def desk_deletes(name, kwargs):
    """A desk deletion: a POST without confirm=yes shows the confirmation page; with it, deletes."""
    return [
        Row(name, kwargs, "POST", desk(200), data=lambda w: REASON, note="the confirmation page"),
        Row(name, kwargs, "POST", desk(302), data=lambda w: {"confirm": "yes", **REASON}),
        Row(name, kwargs, "GET", everyone(405)),
    ]


DESK_ROWS = [
    # --- the moderation desk -----------------------------------------------------------------
    Row("moderation:queue", none, "GET", desk(200)),
    Row("moderation:queue", none, "POST", everyone(405)),
    Row("moderation:log", none, "GET", desk(200)),
    Row("moderation:log", none, "POST", everyone(405)),
    Row("moderation:experts", none, "GET", desk(200)),
    Row("moderation:experts", none, "POST", everyone(405)),
    Row("moderation:words", none, "GET", desk(200)),
    Row("moderation:words", none, "POST", desk(302), data=lambda w: {"phrase": "matrixword", "action": "hold"}),
    Row("moderation:words", none, "DELETE", everyone(405)),
    Row("moderation:word_remove", pk("word"), "POST", desk(302)),
    Row("moderation:word_remove", pk("word"), "GET", everyone(405)),
    Row("moderation:edit_approve", pk("edit"), "POST", desk(302)),
    Row("moderation:edit_approve", pk("edit"), "GET", everyone(405)),
    Row("moderation:edit_reject", pk("edit"), "POST", desk(302), data=lambda w: REASON),
    Row("moderation:edit_reject", pk("edit"), "GET", everyone(405)),
    Row("moderation:mark_reviewed", pk("review"), "POST", desk(302)),
    Row("moderation:mark_reviewed", pk("review"), "GET", everyone(405)),
    Row(
        "moderation:suspend",
        lambda w: {"user_id": w.outsider.pk},
        "POST",
        desk(302),
        data=lambda w: {"days": 3, **REASON},
    ),
    Row("moderation:suspend", lambda w: {"user_id": w.outsider.pk}, "GET", everyone(405)),
    Row("moderation:suspend_author", pk("published"), "POST", desk(302), data=lambda w: {"days": 3, **REASON}),
    Row("moderation:suspend_author", pk("published"), "GET", everyone(405)),
    Row("moderation:unsuspend_author", pk("published"), "POST", desk(302)),
    Row("moderation:unsuspend_author", pk("published"), "GET", everyone(405)),
    Row("moderation:unsuspend", lambda w: {"user_id": w.suspended.pk}, "POST", desk(302)),
    Row("moderation:unsuspend", lambda w: {"user_id": w.suspended.pk}, "GET", everyone(405)),
    Row(
        "moderation:close_duplicate",
        pk("published"),
        "POST",
        desk(302),
        data=lambda w: {"duplicate_of": w.original.pk, **REASON},
    ),
    Row("moderation:close_duplicate", pk("published"), "GET", desk(200), query=lambda w: "?q=talk"),
    Row("moderation:close_duplicate", pk("published"), "PUT", everyone(405)),
    Row(
        "moderation:close_duplicate",
        pk("published"),
        "POST",
        desk(400),
        data=lambda w: {"duplicate_of": w.hidden.pk, **REASON},
        note="a hidden question is no original",
    ),
    Row("moderation:question_retag", pk("published"), "GET", desk(200)),
    Row("moderation:question_retag", pk("published"), "POST", desk(302), data=lambda w: {"tags": [w.tag.pk], **REASON}),
    Row("moderation:question_retag", pk("published"), "DELETE", everyone(405)),
    Row("moderation:block", pk("pending"), "POST", desk(302), data=lambda w: {"hours": 24, **REASON}),
    Row("moderation:block", pk("pending"), "GET", everyone(405)),
    # Without the reveal permission the form is shown, but revealing is refused.
    Row("moderation:reveal", pk("hidden"), "GET", desk(200)),
    Row("moderation:reveal", pk("hidden"), "POST", desk(200, moderator=403), data=lambda w: REASON),
    Row("moderation:reveal", pk("hidden"), "PUT", everyone(405)),
    Row("moderation:question_edit", pk("published"), "GET", desk(200)),
    Row(
        "moderation:question_edit",
        pk("published"),
        "POST",
        desk(302),
        data=lambda w: {
            "title": "How do I bring up trying something new?",
            "body": "Moderated text, long enough.",
            **REASON,
        },
    ),
    Row("moderation:question_edit", pk("published"), "DELETE", everyone(405)),
    Row("moderation:answer_edit", pk("answer"), "GET", desk(200)),
    Row("moderation:answer_edit", pk("answer"), "PUT", everyone(405)),
    *desk_actions(
        "moderation:question_rollback", lambda w: {"pk": w.original.pk, "revision_pk": w.question_revision.pk}
    ),
    *desk_actions("moderation:answer_rollback", lambda w: {"pk": w.answer.pk, "revision_pk": w.answer_revision.pk}),
    Row(
        "moderation:question_rollback",
        lambda w: {"pk": w.published.pk, "revision_pk": w.question_revision.pk},
        "POST",
        desk(404),
        data=lambda w: REASON,
        note="another post's version",
    ),
    *desk_actions("moderation:question_approve", pk("pending")),
    *desk_actions("moderation:question_reject", pk("pending")),
    *desk_actions("moderation:question_hide", pk("published")),
    *desk_actions("moderation:question_restore", pk("hidden")),
    *desk_deletes("moderation:question_delete", pk("published")),
    *desk_actions("moderation:question_dismiss", pk("published")),
    *desk_actions("moderation:question_lock", pk("published")),
    *desk_actions("moderation:question_unlock", pk("published")),
    *desk_actions("moderation:question_reopen", pk("published")),
    *desk_actions("moderation:answer_approve", pk("answer")),
    *desk_actions("moderation:answer_hide", pk("answer")),
    *desk_actions("moderation:answer_restore", pk("answer")),
    *desk_deletes("moderation:answer_delete", pk("answer")),
    *desk_actions("moderation:answer_dismiss", pk("answer")),
    *desk_actions("moderation:comment_approve", pk("comment")),
    *desk_actions("moderation:comment_hide", pk("comment")),
    *desk_actions("moderation:comment_restore", pk("comment")),
    *desk_deletes("moderation:comment_delete", pk("comment")),
    *desk_actions("moderation:comment_dismiss", pk("comment")),
    Row("moderation:comment_hide", lambda w: {"pk": 999999}, "POST", desk(404), note="no such clarification"),
    *desk_actions("moderation:expert_verify", pk("application")),
    *desk_actions("moderation:expert_reject", pk("application")),
    *desk_actions("moderation:expert_revoke", pk("expert_profile")),
    Row("moderation:question_hide", lambda w: {"pk": 999999}, "POST", desk(404), note="no such question"),
    # --- the crisis lane (issue 15) -------------------------------------------------------------
    Row("moderation:support_note", pk("published"), "GET", desk(200)),
    Row("moderation:support_note", pk("published"), "POST", desk(302),
        data=lambda w: {"body": "You are not alone: the help lines on your page can talk with you today."}),
    Row("moderation:support_note", pk("published"), "PUT", everyone(405)),
    Row("moderation:support_note", lambda w: {"pk": 999999}, "GET", desk(404), note="no such question"),
    *desk_actions("moderation:crisis_seen", post("question", "published")),
    *desk_actions("moderation:crisis_seen", post("answer", "answer")),
    *desk_actions("moderation:crisis_seen", post("comment", "comment")),
]  # fmt: skip
