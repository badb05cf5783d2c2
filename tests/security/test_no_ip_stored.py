"""Promise 2: no raw IP address is stored anywhere in the database.

First the schema: no inet/cidr column, no column named like an address. Then traffic from a
distinctive address (asking, reporting, signing up, signing in, failing to sign in, voting,
answering), after which every text-like column of every table, every decoded session and
every decoded cache entry is searched for it.
"""

import base64
import pickle
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD, UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
FORWARDED = "198.51.100.23"  # a proxy chain entry, as a client could send it
ADDRESSES = (IP, FORWARDED)
IP_NAME = re.compile(r"(^|_)(ip|ip_address|remote_addr|client_addr|x_forwarded)(_|$)", re.IGNORECASE)
ADDRESS_TYPES = {"inet", "cidr"}
# Text-like PostgreSQL types: a value cast to text could hold an address.
TEXT_TYPES = {"text", "varchar", "bpchar", "json", "jsonb", "_text", "_varchar", "_bpchar", "tsvector", "citext"}
CACHE_TABLE = "forum_cache"  # pages (Django's DatabaseCache)
COUNTER_TABLE = "forum_counter_cache"  # generation, counts and rate limits (forum.core.counter_cache)
CACHE_TABLES = (CACHE_TABLE, COUNTER_TABLE)


def _columns():
    """[(table, column, type name)] for every table in the test database, via Django's introspection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid, typname FROM pg_type")
        type_names = dict(cursor.fetchall())
        tables = connection.introspection.table_names(cursor)
        return [
            (table, column.name, type_names.get(column.type_code, str(column.type_code)))
            for table in tables
            for column in connection.introspection.get_table_description(cursor, table)
        ]


def _client():
    return Client(REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR=f"{FORWARDED}, {IP}", HTTP_X_REAL_IP=IP)


def test_it_has_no_address_column_in_the_schema():
    columns = _columns()
    assert len(columns) > 100, "introspection found the tables"
    typed = [f"{t}.{c} ({kind})" for t, c, kind in columns if kind in ADDRESS_TYPES]
    named = [f"{t}.{c}" for t, c, _ in columns if IP_NAME.search(c)]
    assert not typed, f"columns typed as network addresses: {typed}"
    assert not named, f"columns named like an address: {named}"


@pytest.fixture
def traffic(django_capture_on_commit_callbacks):
    """Everything a person does from one address, through the real views."""
    from accounts.models import User
    from forum.answers.models import Vote
    from forum.moderation.models import Flag
    from forum.questions.models import Question, Tag

    tag = Tag.objects.order_by("pk").first()
    question = make_question(title="How do we keep intimacy alive with small children?")
    answer = make_answer(question=question, author=UserFactory())

    visitor = _client()
    form = visitor.get("/questions/ask/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    response = visitor.post(
        "/questions/ask/",
        {
            "title": "Is it okay to not want sex for a few months?",
            "tags": [tag.pk],
            "form_token": token,
            "body": "Since the baby I just don't feel like it, and I worry what that means for us.",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith("/questions/key/")
    assert visitor.get(response["Location"]).status_code == 200
    asked = Question.objects.get(title="Is it okay to not want sex for a few months?")
    assert asked.source_hash, "a visitor's question keeps the keyed source hash (not the address)"
    assert visitor.post(f"/report/question/{question.pk}/", {"reason": "spam"}).status_code == 302
    assert visitor.post(f"/report/answer/{answer.pk}/", {"reason": "other", "note": "odd"}).status_code == 302
    assert Flag.objects.filter(reporter__isnull=True).count() == 2
    assert visitor.get("/search/?q=intimacy").status_code == 200
    assert visitor.post("/markdownx/markdownify/", {"content": "**hello**"}).status_code == 200

    newcomer = _client()
    response = newcomer.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "username": "newcomer-ip",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert User.objects.filter(username="newcomer-ip").exists()

    returning = UserFactory(username="returning-rae", email="returning@example.com")
    wrong = _client()
    response = wrong.post("/accounts/login/", {"login": returning.email, "password": "not the password"})
    assert response.status_code == 200 and "_auth_user_id" not in wrong.session

    member = _client()
    response = member.post("/accounts/login/", {"login": returning.email, "password": PASSWORD})
    assert response.status_code == 302 and int(member.session["_auth_user_id"]) == returning.pk
    assert member.post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 302
    assert member.post(f"/answers/{answer.pk}/vote/", {"value": 1}).status_code == 302
    assert Vote.objects.filter(user=returning).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        body = {"body": "Small rituals help: ten minutes together after the kids are asleep."}
        assert member.post(f"/questions/{question.pk}/answer/", body).status_code == 302
    assert member.get("/notifications/").status_code == 200


def _matches(table, column):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)}::text FROM {quote(table)} WHERE "
            + " OR ".join(f"{quote(column)}::text LIKE %s" for _ in ADDRESSES),
            [f"%{address}%" for address in ADDRESSES],
        )
        return [row[0][:200] for row in cursor.fetchall()]


def test_it_stores_no_address_in_any_column_or_session(traffic):
    columns = [(t, c) for t, c, kind in _columns() if kind in TEXT_TYPES and t not in CACHE_TABLES]
    found = {f"{t}.{c}": rows for t, c in columns if (rows := _matches(t, c))}
    assert not found, f"raw addresses stored in: {found}"
    assert len(columns) > 50, len(columns)

    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) >= 4, "the visitor, the newcomer and the members each have a session"
    for key in keys:
        data = repr(SessionStore(session_key=key).load())
        assert not any(address in data for address in ADDRESSES), (key, data)


def _cache_entries():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {CACHE_TABLE}")
        pages = cursor.fetchall()
        cursor.execute(f"SELECT cache_key, number, value FROM {COUNTER_TABLE}")
        counters = cursor.fetchall()
    # Our own test database's cache entries, written moments ago by the two cache backends.
    return [(key, repr(pickle.loads(base64.b64decode(value.encode())))) for key, value in pages] + [  # noqa: S301
        (key, repr(number if number is not None else pickle.loads(bytes(value))))  # noqa: S301
        for key, number, value in counters
    ]


def test_it_keeps_the_rate_limits_of_asking_reporting_and_voting_under_a_keyed_hash(traffic):
    entries = _cache_entries()
    assert entries, "rate limits wrote to the cache"
    ours = [(key, value) for key, value in entries if ":allauth:" not in key]
    assert ours, "django-ratelimit's counters are in the cache"
    leaked = [key for key, value in ours if any(a in key or a in value for a in ADDRESSES)]
    assert not leaked, leaked


def test_it_keeps_no_address_in_the_cache_table(traffic):
    entries = _cache_entries()
    leaked = [key for key, value in entries if any(a in key or a in value for a in ADDRESSES)]
    assert not leaked, leaked
    found = [f"{t}.{c}" for t, c, kind in _columns() if t in CACHE_TABLES and _matches(t, c)]
    assert not found, found
