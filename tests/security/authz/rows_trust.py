"""The matrix's rows for issue 15's trust pieces: an author deleting their answer (asks first on a
page of its own), and the private page's "Email me this link" (the key itself is the proof)."""

from tests.security.authz.world import Row, everyone, pk, signed_in


def link_email_data(w):
    return {"key": w.pending.key, "link_email": "matrix-link@example.com"}


def link_email_without_key(w):
    return {"link_email": "matrix-link@example.com"}


TRUST_ROWS = [
    # The outsider wrote the answer: only they see the page and delete it; others' answers are 404.
    Row("questions:answer_delete", pk("answer"), "GET", signed_in(404, outsider=200)),
    Row("questions:answer_delete", pk("answer"), "POST", signed_in(404, outsider=302)),
    Row("questions:answer_delete", pk("answer"), "PUT", everyone(405)),
    Row("questions:answer_delete", lambda w: {"pk": 999999}, "GET", signed_in(404), note="no such answer"),
    # Emailing the private link: only with the key itself (a session that asked is not enough).
    Row("questions:key_link_email", pk("pending"), "POST", everyone(302), data=link_email_data, note="with the key"),
    Row("questions:key_link_email", pk("pending"), "POST", everyone(403), data=link_email_without_key, note="no key"),
    Row("questions:key_link_email", pk("published"), "POST", everyone(403), data=link_email_data, note="other key"),
    Row("questions:key_link_email", pk("pending"), "GET", everyone(405)),
]
