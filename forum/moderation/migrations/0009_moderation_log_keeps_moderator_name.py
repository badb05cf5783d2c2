# The log names the moderator as they were, even after their account is deleted.
#
# Existing rows are filled in from the accounts. The log is append-only (a trigger refuses
# UPDATE and DELETE, migration 0003), so the backfill switches the table's own triggers off
# and on again around the one UPDATE, inside this migration's transaction: no other session
# ever sees the table without them. It needs the table's owner, who runs the migrations.

from django.db import migrations, models

BACKFILL = """
ALTER TABLE moderation_moderationaction DISABLE TRIGGER USER;
UPDATE moderation_moderationaction AS action
   SET moderator_name = account.username
  FROM accounts_user AS account
 WHERE account.id = action.moderator_id AND action.moderator_name = '';
ALTER TABLE moderation_moderationaction ENABLE TRIGGER USER;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0008_records_outlive_deleted_accounts'),
        ('accounts', '0003_expert_website_http_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='moderationaction',
            name='moderator_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
