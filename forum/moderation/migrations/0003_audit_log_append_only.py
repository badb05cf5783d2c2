from django.db import migrations

FORWARDS = """
CREATE FUNCTION moderation_action_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the moderation log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER moderation_action_no_update_or_delete
    BEFORE UPDATE OR DELETE ON moderation_moderationaction
    FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS moderation_action_no_update_or_delete ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_action_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_moderators_group_and_crisis_resources")]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]
