"""The matrix's rows for the site itself: public pages and threads, asking, the asker's tools,
members' actions and reporting, and the allauth pages our templates link to.

Each row is (url name, kwargs builder, method, {persona: expected}); see tests.security.authz.world
for the cells.
"""

from tests.security.authz.world import Row, anonymous_only, everyone, none, pk, post, signed_in, thread

CLARIFICATION = {"body": "Could you say a little more about that?"}
# A member may ask for a clarification (a suspended one is told why, beside the form); a visitor
# only on their own question, with its key.
COMMENTER = everyone(302, visitor=403, key_holder=403, suspended=400)

# allauth's own URLs are allauth's business; these are the ones our pages link to and rely on.
ALLAUTH_KEPT = {"account_login", "account_signup", "account_logout", "mfa_index"}


def ask_data(w):
    from forum.core.tokens import new_form_token

    return {
        "title": "Is it normal to feel nervous before the first time?",
        "body": "We have talked about it a lot and I still feel nervous. Is that normal?",
        "tags": [w.tag.pk],
        "form_token": new_form_token(),
        "show_anonymous": "on",
    }


def asker_email_data(w):
    return {"key": w.pending.key, "asker_email": "matrix-new@example.com"}


def email_without_key(w):
    return {"asker_email": "matrix-new@example.com"}


def key_data(w):
    return {"key": w.pending.key}


def confirmed(w):
    return {"confirm": "yes"}


def key_confirmed(w):
    return {"key": w.pending.key, "confirm": "yes"}


def stop_token(w):
    from forum.questions.asker_mail import stop_token

    return {"token": stop_token(w.asker_contact)}


def tampered_stop_token(w):
    token = stop_token(w)["token"]
    return {"token": token[:-1] + ("A" if token[-1] != "A" else "B")}


def edit_data(w):
    return {
        "title": "How do I bring up trying something new, gently?",
        "body": "An edited version of the details, still long enough to pass validation.",
        "tags": [w.tag.pk],
    }


ANSWER = {"body": "Talk about it outside the bedroom first, when you both feel relaxed."}
EXPERT_APPLICATION = {
    "title": "Couples therapist",
    "credentials": "MSc Psychology, 10 years of couples therapy",
    "licence_number": "PSY-42",
    "licence_body": "Board of Psychology",
    "jurisdiction": "Netherlands",
}


def rows_for_public_get(name, kwargs=none, query=None):
    return [
        Row(name, kwargs, "GET", everyone(200), query=query),
        Row(name, kwargs, "POST", everyone(405)),
    ]


PUBLIC_ROWS = [
    # --- public pages: everyone reads, nobody posts -------------------------------------------
    *rows_for_public_get("home"),
    Row("home", none, "DELETE", everyone(405)),
    *rows_for_public_get("questions:list", query=lambda w: f"?sort=votes&tag={w.tag.slug}&expert=1"),
    *rows_for_public_get("questions:tags"),
    *rows_for_public_get("questions:tag", lambda w: {"slug": w.tag.slug}),
    Row("questions:tag", lambda w: {"slug": "no-such-topic"}, "GET", everyone(404), note="unknown topic"),
    *rows_for_public_get("questions:search", query=lambda w: "?q=partner"),
    # A draft title never goes in a URL: a POST (CSRF-checked; this client does not enforce it).
    Row("questions:similar", none, "POST", everyone(200), data=lambda w: {"title": "bring up something new"}),
    Row("questions:similar", none, "GET", everyone(405), query=lambda w: "?title=bring+up+something+new"),
    Row("questions:similar", none, "PUT", everyone(405)),
    *rows_for_public_get("questions:feed_latest"),
    Row("questions:feed_latest", none, "DELETE", everyone(405)),
    *rows_for_public_get("questions:feed_latest_atom"),
    *rows_for_public_get("questions:feed_tag", lambda w: {"slug": w.tag.slug}),
    *rows_for_public_get("sitemap"),
    Row("sitemap", none, "PUT", everyone(405)),
    *rows_for_public_get("sitemap_section", lambda w: {"section": "questions"}),
    *rows_for_public_get("sitemap_section", lambda w: {"section": "topics"}),
    Row("sitemap_section", lambda w: {"section": "members"}, "GET", everyone(404), note="unknown section"),
    Row("sitemap_section", lambda w: {"section": "questions"}, "GET", everyone(404), query=lambda w: "?p=99"),
    *rows_for_public_get("robots_txt"),
    *rows_for_public_get("healthz"),
    Row("set_language", none, "POST", everyone(302), data=lambda w: {"language": "es", "next": "/"}),
    Row("set_language", none, "GET", everyone(405)),
    Row("javascript_catalog", lambda w: {"language": "es"}, "GET", everyone(200)),
    Row("javascript_catalog", lambda w: {"language": "xx"}, "GET", everyone(404)),
    Row("javascript_catalog", lambda w: {"language": "es"}, "POST", everyone(405)),
    Row("favicon", none, "GET", everyone(301)),
    Row("favicon", none, "POST", everyone(405)),
    *rows_for_public_get("about"),
    *rows_for_public_get("guidelines"),
    *rows_for_public_get("privacy"),
    # Help lines by country and language (issue 16): a filter that doesn't exist is a 404.
    *rows_for_public_get("questions:help", query=lambda w: "?country=MX&language=es"),
    Row("questions:help", none, "GET", everyone(404), query=lambda w: "?country=ZZ", note="unknown country"),
    *rows_for_public_get("people:experts"),
    *rows_for_public_get("people:profile", lambda w: {"username": w.member.username}),
    Row("people:profile", lambda w: {"username": "nobody-here"}, "GET", everyone(404), note="unknown member"),
    Row("markdown_preview", none, "POST", everyone(200), data=lambda w: {"content": "**bold**"}),
    Row("markdown_preview", none, "GET", everyone(405)),
    Row("markdown_preview", none, "PUT", everyone(405)),
    # --- threads -----------------------------------------------------------------------------
    *rows_for_public_get("questions:detail", thread("published")),
    # Moderators (with MFA) see pending and hidden threads, as the queue links to them.
    Row(
        "questions:detail",
        thread("pending"),
        "GET",
        everyone(404, key_holder=200, moderator=200, revealing_moderator=200),
        note="pending, visitor's",
    ),
    Row(
        "questions:detail",
        thread("hidden"),
        "GET",
        everyone(404, member=200, moderator=200, revealing_moderator=200),
        note="hidden, member's",
    ),
    # A post's history: whoever can see the post.
    *rows_for_public_get("questions:history", pk("published")),
    Row(
        "questions:history",
        pk("pending"),
        "GET",
        everyone(404, key_holder=200, moderator=200, revealing_moderator=200),
        note="pending, visitor's",
    ),
    Row(
        "questions:history",
        pk("hidden"),
        "GET",
        everyone(404, member=200, moderator=200, revealing_moderator=200),
        note="hidden, member's",
    ),
    *rows_for_public_get("questions:answer_history", pk("answer")),
    Row("questions:answer_history", lambda w: {"pk": 999999}, "GET", everyone(404), note="no such answer"),
    Row("questions:detail_noslug", pk("published"), "POST", everyone(405)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "GET", everyone(200)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "POST", everyone(405)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "DELETE", everyone(405)),
    Row("questions:key", lambda w: {"key": "A" * 22}, "GET", everyone(404), note="wrong key"),
]

MEMBER_ROWS = [
    # --- asking ------------------------------------------------------------------------------
    Row("questions:ask", none, "GET", everyone(200)),
    Row("questions:ask", none, "POST", everyone(302, suspended=200), data=ask_data),
    Row("questions:ask", none, "PUT", everyone(405)),
    # --- the asker's own tools ---------------------------------------------------------------
    Row("questions:edit", pk("published"), "GET", everyone(403, member=200), note="member's"),
    Row("questions:edit", pk("published"), "POST", everyone(403, member=302), data=edit_data, note="member's"),
    Row("questions:edit", pk("published"), "PUT", everyone(405)),
    Row("questions:edit", pk("pending"), "GET", everyone(403, key_holder=200), note="visitor's"),
    Row("questions:edit", pk("pending"), "POST", everyone(403, key_holder=302), data=edit_data, note="visitor's"),
    # Deleting asks first: a POST without `confirm` is the confirmation page, `confirm=yes` deletes.
    Row("questions:delete", pk("published"), "POST", everyone(403, member=200), note="member's, asks"),
    Row("questions:delete", pk("published"), "POST", everyone(403, member=302), data=confirmed, note="member's"),
    Row("questions:delete", pk("published"), "GET", everyone(405)),
    Row("questions:delete", pk("published"), "DELETE", everyone(405)),
    Row("questions:delete", pk("pending"), "POST", everyone(403, key_holder=200), note="visitor's, asks"),
    Row("questions:delete", pk("pending"), "POST", everyone(403, key_holder=302), data=confirmed, note="visitor's"),
    Row("questions:delete", pk("pending"), "POST", everyone(200), data=key_data, note="with the key, asks"),
    Row("questions:delete", pk("pending"), "POST", everyone(302), data=key_confirmed, note="with the key"),
    # Emails to an accountless asker: the key in the form is the proof (a session alone is not:
    # the email must link to the private page), so whoever holds it may, and no one else.
    Row("questions:asker_email", pk("pending"), "POST", everyone(302), data=asker_email_data, note="with the key"),
    Row("questions:asker_email", pk("pending"), "POST", everyone(403), data=email_without_key, note="no key"),
    Row("questions:asker_email", pk("published"), "POST", everyone(403), data=asker_email_data, note="other key"),
    Row("questions:asker_email", pk("pending"), "GET", everyone(405)),
    Row("questions:asker_email_stop", pk("pending"), "POST", everyone(302), data=key_data, note="with the key"),
    Row("questions:asker_email_stop", pk("pending"), "POST", everyone(403), note="no key"),
    Row("questions:asker_email_stop", pk("published"), "POST", everyone(403), data=key_data, note="other key"),
    Row("questions:asker_email_stop", pk("pending"), "GET", everyone(405)),
    # The stop link in each email: no sign-in and no CSRF token; GET asks, POST erases.
    Row("questions:asker_email_stop_link", stop_token, "GET", everyone(200)),
    Row("questions:asker_email_stop_link", stop_token, "POST", everyone(200)),
    Row("questions:asker_email_stop_link", stop_token, "PUT", everyone(405)),
    Row("questions:asker_email_stop_link", lambda w: {"token": "1:forged:token"}, "GET", everyone(404), note="forged"),
    Row("questions:asker_email_stop_link", tampered_stop_token, "POST", everyone(404), note="tampered"),
    # An answer's permalink sends everyone to its thread, on the right page.
    Row("questions:answer_permalink", pk("answer"), "GET", everyone(302)),
    Row("questions:answer_permalink", pk("answer"), "POST", everyone(405)),
    Row("questions:answer_permalink", lambda w: {"pk": 999999}, "GET", everyone(404), note="no such answer"),
    Row("questions:answer_accept", pk("answer"), "POST", everyone(403, member=302)),
    # The outsider wrote the answer: only they edit it.
    Row("questions:answer_edit", pk("answer"), "GET", signed_in(403, outsider=200)),
    Row("questions:answer_edit", pk("answer"), "POST", signed_in(403, outsider=302), data=lambda w: ANSWER),
    Row("questions:answer_edit", pk("answer"), "PUT", everyone(405)),
    Row("questions:answer_accept", pk("answer"), "GET", everyone(405)),
    # --- members' actions --------------------------------------------------------------------
    Row("questions:vote", pk("published"), "POST", signed_in(302, member=403), data=lambda w: {"value": 1}),
    Row("questions:vote", pk("published"), "GET", everyone(405)),
    Row("questions:vote", pk("hidden"), "POST", signed_in(404), data=lambda w: {"value": 1}, note="hidden"),
    Row("questions:answer_vote", pk("answer"), "POST", signed_in(302, outsider=403), data=lambda w: {"value": 1}),
    Row("questions:answer_vote", pk("answer"), "GET", everyone(405)),
    Row("questions:answer", pk("published"), "POST", signed_in(302, suspended=400), data=lambda w: ANSWER),
    Row("questions:answer", pk("published"), "GET", everyone(405)),
    Row("questions:answer", pk("published"), "PUT", everyone(405)),
    Row(
        "questions:answer",
        pk("hidden"),
        "POST",
        signed_in(404, member=400, moderator=400, revealing_moderator=400),
        data=lambda w: ANSWER,
        note="hidden",
    ),
    Row(
        "questions:answer",
        pk("pending"),
        "POST",
        signed_in(404, moderator=400, revealing_moderator=400),
        data=lambda w: ANSWER,
        note="pending",
    ),
    Row("questions:notifications", none, "GET", signed_in(200)),
    Row("questions:notifications", none, "POST", signed_in(405)),
    Row("questions:notifications", none, "DELETE", signed_in(405)),
    Row("questions:notifications_read", none, "POST", signed_in(302)),
    Row("questions:notifications_read", none, "GET", signed_in(405)),
    Row("people:expert_apply", none, "GET", signed_in(200)),
    Row(
        "people:expert_apply",
        none,
        "POST",
        signed_in(302, expert=200, suspended=200),
        data=lambda w: {**EXPERT_APPLICATION, "areas": [w.tag.pk]},
    ),
    Row("people:expert_apply", none, "PUT", signed_in(405)),
    # --- clarifications: members, or the asker through their key; their lists for everyone ---
    *[
        row
        for name, target in (("questions:question_comment", "published"), ("questions:answer_comment", "answer"))
        for row in (
            Row(name, pk(target), "POST", COMMENTER, data=lambda w: CLARIFICATION),
            Row(name, pk(target), "GET", everyone(405)),
        )
    ],
    Row(
        "questions:question_comment",
        pk("asked"),
        "POST",
        everyone(302, suspended=400),
        data=lambda w: {**CLARIFICATION, "key": w.asked.key},
        note="with the asker's key",
    ),
    Row("questions:question_comment", pk("hidden"), "POST", everyone(404), data=lambda w: CLARIFICATION, note="hidden"),
    Row(
        "questions:question_comment",
        pk("pending"),
        "POST",
        everyone(404),
        data=lambda w: {**CLARIFICATION, "key": w.pending.key},
        note="pending, with its key",
    ),
    Row("questions:question_comments", pk("published"), "GET", everyone(200)),
    Row("questions:question_comments", pk("published"), "POST", everyone(405)),
    Row("questions:question_comments", pk("hidden"), "GET", everyone(404), note="hidden"),
    Row("questions:answer_comments", pk("answer"), "GET", everyone(200)),
    Row("questions:answer_comments", pk("answer"), "POST", everyone(405)),
    Row("questions:comment_delete", pk("comment"), "POST", signed_in(403, member=302)),
    Row("questions:comment_delete", pk("comment"), "GET", everyone(405)),
    Row("moderation:report", post("comment", "comment"), "GET", everyone(200)),
    Row("moderation:report", post("comment", "comment"), "POST", everyone(302), data=lambda w: {"reason": "spam"}),
    # --- reporting (anyone, published posts only) --------------------------------------------
    Row("moderation:report", post("question", "published"), "GET", everyone(200)),
    Row("moderation:report", post("question", "published"), "POST", everyone(302), data=lambda w: {"reason": "spam"}),
    Row("moderation:report", post("question", "published"), "PUT", everyone(405)),
    Row("moderation:report", post("answer", "answer"), "GET", everyone(200)),
    Row("moderation:report", post("answer", "answer"), "POST", everyone(302), data=lambda w: {"reason": "unsafe"}),
    Row("moderation:report", post("question", "hidden"), "GET", everyone(404), note="hidden"),
    Row(
        "moderation:report",
        post("question", "hidden"),
        "POST",
        everyone(404),
        data=lambda w: {"reason": "spam"},
        note="hidden",
    ),
    Row("moderation:report", post("question", "pending"), "GET", everyone(404), note="pending"),
]

ALLAUTH_ROWS = [
    # --- allauth: the pages our templates link to --------------------------------------------
    Row("account_login", none, "GET", anonymous_only(200, 302)),
    Row(
        "account_login",
        none,
        "POST",
        anonymous_only(200, 302),
        data=lambda w: {"login": "nobody@example.com", "password": "not the password"},
    ),
    Row("account_signup", none, "GET", anonymous_only(200, 302)),
    Row("account_signup", none, "POST", anonymous_only(200, 302), data=lambda w: {"email": "not-an-email"}),
    Row("account_logout", none, "GET", anonymous_only(302, 200)),
    Row("account_logout", none, "POST", everyone(302)),
    Row("mfa_index", none, "GET", signed_in(200)),
]
