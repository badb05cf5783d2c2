"""The matrix's rows for a member's own space (/me/), following threads, notification choices and
the unsubscribe link. The space's pages take no member id: each signed-in persona sees its own."""

from tests.security.authz.world import Row, everyone, none, pk, signed_in


def unsubscribe_token(channel="followed"):
    def kwargs(w):
        from forum.questions.preferences import Channel, unsubscribe_token

        return {"token": unsubscribe_token(user_id=w.member.pk, channel=Channel(channel))}

    return kwargs


def tampered(w):
    """The member's token with another member's id put in, under the member's signature."""
    from django.core.signing import b64_encode

    token = unsubscribe_token()(w)["token"]
    other = b64_encode(f'[{w.outsider.pk},"followed"]'.encode()).decode()
    return {"token": token.replace(token.split(":")[0], other)}


SETTINGS = {"my_questions_site": "on", "my_questions_email": "on", "expert_questions": "daily"}

ME_ROWS = [
    # --- following a thread (a member's button; back to the thread) -------------------------
    Row("questions:follow", pk("published"), "POST", signed_in(302)),
    Row("questions:follow", pk("published"), "GET", signed_in(405)),
    Row("questions:follow", pk("published"), "PUT", signed_in(405)),
    Row(
        "questions:follow",
        pk("hidden"),
        "POST",
        signed_in(404, member=302, moderator=302, revealing_moderator=302),
        note="hidden, member's",
    ),
    Row(
        "questions:follow",
        pk("pending"),
        "POST",
        signed_in(404, moderator=302, revealing_moderator=302),
        note="pending, visitor's",
    ),
    Row("questions:follow", lambda w: {"pk": 999999}, "POST", signed_in(404), note="no such question"),
    Row("questions:unfollow", pk("published"), "POST", signed_in(302)),
    Row("questions:unfollow", pk("published"), "GET", signed_in(405)),
    # --- the member's own space: no id in any URL, each persona sees its own -----------------
    Row("people:me", none, "GET", signed_in(200)),
    Row("people:me", none, "POST", signed_in(405)),
    Row("people:my_questions", none, "GET", signed_in(200)),
    Row("people:my_questions", none, "POST", signed_in(405)),
    Row("people:my_answers", none, "GET", signed_in(200)),
    Row("people:my_answers", none, "POST", signed_in(405)),
    Row("people:following", none, "GET", signed_in(200)),
    Row("people:following", none, "POST", signed_in(405)),
    Row("questions:notification_settings", none, "GET", signed_in(200)),
    Row("questions:notification_settings", none, "POST", signed_in(302), data=lambda w: SETTINGS),
    Row("questions:notification_settings", none, "PUT", signed_in(405)),
    # --- the unsubscribe link: no sign-in; GET only asks, POST turns one kind of email off ---
    Row("questions:unsubscribe", unsubscribe_token(), "GET", everyone(200)),
    Row("questions:unsubscribe", unsubscribe_token(), "POST", everyone(200)),
    Row("questions:unsubscribe", unsubscribe_token("expert_questions"), "POST", everyone(200), note="expert alerts"),
    Row("questions:unsubscribe", unsubscribe_token(), "PUT", everyone(405)),
    Row("questions:unsubscribe", tampered, "GET", everyone(400), note="tampered"),
    Row("questions:unsubscribe", tampered, "POST", everyone(400), note="tampered"),
    Row("questions:unsubscribe", lambda w: {"token": "not-a-token"}, "POST", everyone(400), note="garbage"),
]
