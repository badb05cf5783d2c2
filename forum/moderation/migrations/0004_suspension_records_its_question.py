# A suspension remembers the question that led to it, when a moderator suspended its author
# from it: the admin then names the question ("the author of question #N"), never the account
# behind an anonymous question.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_audit_log_append_only'),
        ('questions', '0006_search_vector_stored_inline'),
    ]

    operations = [
        migrations.AddField(
            model_name='suspension',
            name='question',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='questions.question'),
        ),
    ]
