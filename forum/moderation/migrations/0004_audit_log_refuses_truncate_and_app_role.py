"""The audit log refuses TRUNCATE too, and the app's own database role may only insert and read it.

0003's row triggers refuse UPDATE and DELETE; TRUNCATE fires no row trigger, so a statement-level
trigger refuses it here. One narrow exception, for the test harness only: pytest-django empties
every table after a transactional test, as the table's owner, on connections that carry
`forum.allow_audit_truncate=on` (tests/conftest.py). Anyone may set that custom parameter, so it is
not the gate: the trigger also requires the owner's privileges, and the app role has neither
ownership nor the TRUNCATE privilege (revoked below). The owner could drop the trigger anyway; the
check keeps an owner's `manage.py flush` or a stray TRUNCATE from wiping the log by accident.

The REVOKE runs for PUBLIC and for the app role (settings.DATABASE_APP_ROLE, `forum_app` by default)
when that role exists and does not own the table: a single-role server keeps working, with the
triggers as its only guard. Running it in a migration means a freshly migrated database, such as
the test database, gets it too, whatever default privileges handed out.
"""

from django.conf import settings
from django.db import migrations

FORWARDS = """
CREATE FUNCTION moderation_action_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('forum.allow_audit_truncate', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the moderation log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER moderation_action_no_truncate
    BEFORE TRUNCATE ON moderation_moderationaction
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_action_refuse_truncate();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS moderation_action_no_truncate ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_action_refuse_truncate();
"""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def revoke_changes_from_the_app(apps, schema_editor):
    role = getattr(settings, "DATABASE_APP_ROLE", "forum_app")
    grantees = ["PUBLIC"]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s AND oid <> "
            "(SELECT relowner FROM pg_class WHERE oid = 'moderation_moderationaction'::regclass)",
            [role],
        )
        if cursor.fetchone():
            grantees.append(quote_ident(role))
    schema_editor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON moderation_moderationaction FROM {', '.join(grantees)}")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_audit_log_append_only")]

    operations = [
        migrations.RunSQL(FORWARDS, BACKWARDS),
        # Backwards leaves the privileges as they are: giving the app UPDATE or DELETE back is never wanted.
        migrations.RunPython(revoke_changes_from_the_app, migrations.RunPython.noop),
    ]
