"""The web process's database role may add to the audit log and read it, never change or empty it.

The web process connects as the app role (settings.DATABASE_APP_ROLE, `forum_app`); migrations
run as the owner (README, "Database roles"). `make test` creates both roles on its throwaway
cluster and runs the tests as the owner. These tests log in as the app role to the test database
(a real connection, every statement rolled back), or `SET ROLE` to it on Django's own connection
so that the site's code runs as the app would. Without the app role on the server they are skipped.
"""

import psycopg2
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.sql import InsertQuery

from forum.core.tokens import new_form_token
from forum.moderation.models import ModerationAction
from forum.questions.models import Question, Tag

pytestmark = pytest.mark.django_db

AUDIT = ModerationAction._meta.db_table
DENIED = f"permission denied for table {AUDIT}"
NOT_OWNER = "must be owner of"  # "… of table t" or "… of relation t"


@pytest.fixture
def app_role(db):
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            pytest.skip(f"no database role {role!r} on this server (make test creates it)")
    return role


@pytest.fixture
def as_app(app_role):
    """A login as the app role to the test database, on the same server as Django's connection."""
    params = connection.settings_dict
    conn = psycopg2.connect(
        dbname=params["NAME"], user=app_role, host=params["HOST"] or None, port=params["PORT"] or None
    )
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture
def can_set_role(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", [app_role])
        if not cursor.fetchone()[0]:
            pytest.skip(f"the test role cannot SET ROLE {app_role} (make test's owner can)")
    return app_role


def attempt(conn, sql, params=None):
    """Run one statement and roll it back. Returns the error it raised, or None."""
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
        return None
    except psycopg2.Error as error:
        return error
    finally:
        conn.rollback()


def insert_statement(action):
    """The INSERT Django would send for `action` (whatever columns the model has today)."""
    query = InsertQuery(ModerationAction)
    query.insert_values([f for f in ModerationAction._meta.local_concrete_fields if not f.primary_key], [action])
    [(sql, params)] = query.get_compiler(connection=connection).as_sql()
    return sql, params


def test_it_lets_the_app_role_add_to_the_audit_log_and_read_it(as_app):
    sql, params = insert_statement(ModerationAction(kind="approve", reason="written by the app role"))
    with as_app.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(f"SELECT count(*) FROM {AUDIT} WHERE reason = 'written by the app role'")
        assert cursor.fetchone()[0] == 1
    as_app.rollback()


def test_it_refuses_the_app_role_any_change_to_the_audit_log(as_app):
    for sql in (
        f"UPDATE {AUDIT} SET reason = 'rewritten'",
        f"DELETE FROM {AUDIT}",
        f"TRUNCATE {AUDIT}",
        f"SET forum.allow_audit_truncate = on; TRUNCATE {AUDIT}",  # the tests' setting is no key for it
    ):
        error = attempt(as_app, sql)
        assert error is not None and DENIED in str(error), sql
    for sql in (
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER USER",
        f"DROP TRIGGER moderation_action_no_update_or_delete ON {AUDIT}",
        f"ALTER TABLE {AUDIT} ADD COLUMN note text",
        f"DROP TABLE {AUDIT}",
    ):
        error = attempt(as_app, sql)
        assert error is not None and NOT_OWNER in str(error), sql


def test_it_keeps_the_app_role_from_granting_itself_more(as_app, app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = '{AUDIT}'::regclass")
        owner = cursor.fetchone()[0]
    assert "permission denied to set role" in str(attempt(as_app, f'SET ROLE "{owner}"'))
    with as_app.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON {AUDIT} TO {app_role}")  # a warning, nothing granted
        cursor.execute(f"SELECT has_table_privilege(current_user, '{AUDIT}', 'UPDATE, DELETE, TRUNCATE')")
        assert cursor.fetchone()[0] is False
    as_app.rollback()


def test_it_lets_the_app_role_write_other_tables_but_not_change_the_schema(as_app):
    with as_app.cursor() as cursor:
        cursor.execute("INSERT INTO questions_tag (name, slug, description, is_sensitive, question_count) "
                       "VALUES ('App role', 'app-role', '', false, 0) RETURNING id")  # fmt: skip
        tag_id = cursor.fetchone()[0]
        cursor.execute("UPDATE questions_tag SET description = 'changed' WHERE id = %s", [tag_id])
        assert cursor.rowcount == 1
        cursor.execute("DELETE FROM questions_tag WHERE id = %s", [tag_id])
        assert cursor.rowcount == 1
    as_app.rollback()
    for sql, refusal in (
        ("CREATE TABLE app_made (id int)", "permission denied for schema public"),
        ("CREATE FUNCTION app_made() RETURNS int AS 'SELECT 1' LANGUAGE sql", "permission denied for schema public"),
        ("ALTER TABLE questions_tag ADD COLUMN note text", NOT_OWNER),
        ("DROP TABLE questions_tag", NOT_OWNER),
        ("TRUNCATE questions_tag", "permission denied for table questions_tag"),
    ):
        error = attempt(as_app, sql)
        assert error is not None and refusal in str(error), sql


def test_it_gives_the_app_role_what_the_site_needs_on_every_table_and_no_more(app_role):
    """Default privileges cover every table the migrations and createcachetable made: sessions,
    allauth, the cache tables included. Only the audit log is read-and-append."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_userbyid(c.relowner), "
            "       has_table_privilege(%(role)s, c.oid, 'SELECT'), has_table_privilege(%(role)s, c.oid, 'INSERT'), "
            "       has_table_privilege(%(role)s, c.oid, 'UPDATE'), has_table_privilege(%(role)s, c.oid, 'DELETE'), "
            "       has_table_privilege(%(role)s, c.oid, 'TRUNCATE') "
            "FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')",
            {"role": app_role},
        )
        tables = {name: (owner, privileges) for name, owner, *privileges in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname, has_sequence_privilege(%s, c.oid, 'USAGE') "
            "FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'",
            [app_role],
        )
        unusable_sequences = [name for name, usable in cursor.fetchall() if not usable]
    cache_tables = {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith(".DatabaseCache")}
    assert {"django_session", "account_emailaddress", "questions_tag", AUDIT, *cache_tables} <= set(tables)
    assert all(owner != app_role for owner, _ in tables.values())
    assert tables.pop(AUDIT)[1] == [True, True, False, False, False]
    assert {name: p for name, (_, p) in tables.items() if p != [True, True, True, True, False]} == {}
    assert unusable_sequences == []


def test_it_refuses_truncate_to_the_owner_unless_the_test_harness_asks(moderator_user):
    action = ModerationAction.objects.create(moderator=moderator_user, kind="approve", reason="kept")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('forum.allow_audit_truncate', true)")
        assert cursor.fetchone()[0] == "on"  # tests/conftest.py, for pytest-django's flush
    refused = pytest.raises(DatabaseError, match="append-only: TRUNCATE")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL forum.allow_audit_truncate = off")
        cursor.execute(f"TRUNCATE {AUDIT}")
    assert ModerationAction.objects.filter(pk=action.pk).exists()
    with transaction.atomic():  # the owner with the setting on: allowed, then rolled back
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {AUDIT}")
        assert not ModerationAction.objects.exists()
        transaction.set_rollback(True)
    assert ModerationAction.objects.filter(pk=action.pk).exists()


def test_it_refuses_truncate_to_anyone_but_the_owner_even_with_the_privilege(can_set_role, moderator_user):
    """Were TRUNCATE ever granted to the app by mistake, the trigger still refuses it."""
    ModerationAction.objects.create(moderator=moderator_user, kind="approve")
    refused = pytest.raises(DatabaseError, match="append-only: TRUNCATE")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON {AUDIT} TO {can_set_role}")  # rolled back with the block
        cursor.execute(f"SET LOCAL ROLE {can_set_role}")
        cursor.execute(f"TRUNCATE {AUDIT}")
    assert ModerationAction.objects.count() == 1


@pytest.fixture
def site_as_app_role(can_set_role):
    """Django's own connection runs as the app role until the test ends."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {can_set_role}")
    yield can_set_role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_it_serves_asking_and_moderating_as_the_app_role(settings, moderator, visitor, site_as_app_role):
    settings.FORUM_PAGE_CACHE_SECONDS = 60  # visitors' pages go to the cache table too
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == site_as_app_role
    assert visitor.get("/").status_code == 200
    assert visitor.get("/questions/ask/").status_code == 200
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:2])
    asked = visitor.post(
        "/questions/ask/",
        {"title": "Is it normal to feel nothing afterwards?", "body": "A question asked through the app role, "
         "with enough words to pass the form.", "tags": tags, "form_token": new_form_token()},
    )  # fmt: skip
    assert asked.status_code == 302 and asked["Location"].startswith("/questions/key/")
    question = Question.objects.get(title="Is it normal to feel nothing afterwards?")
    assert moderator.post(f"/moderation/question/{question.pk}/approve/").status_code == 302
    assert moderator.post(f"/moderation/question/{question.pk}/lock/", {"reason": "Enough said"}).status_code == 302
    assert visitor.get(question.get_absolute_url()).status_code == 200
    log = moderator.get("/moderation/log/")
    assert log.status_code == 200 and "Locked" in log.content.decode()
    logged = ModerationAction.objects.filter(question=question)
    assert sorted(logged.values_list("kind", flat=True)) == ["approve", "lock"]
    with pytest.raises(DatabaseError, match=DENIED), transaction.atomic():
        logged.update(reason="rewritten by the app")
    with pytest.raises(DatabaseError, match=DENIED), transaction.atomic():
        logged.delete()
