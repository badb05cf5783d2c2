"""A starter list of crisis phrases, so that a new forum puts a frightened person's post in the
crisis lane (and shows them the help lines) from its first day. Moderators keep the list in the
admin and on the desk's words page; this only adds what is missing and never removes an edit."""

from django.db import migrations

STARTER_CRISIS_PHRASES = (
    "kill myself",
    "killing myself",
    "end my life",
    "want to die",
    "suicide",
    "suicidal",
    "hurt myself",
    "self-harm",
    "self harm",
    "cut myself",
    "not safe at home",
    "going to kill me",
)


def add_phrases(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    for phrase in STARTER_CRISIS_PHRASES:
        WatchedWord.objects.get_or_create(phrase=phrase, action="crisis")


def remove_phrases(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    WatchedWord.objects.filter(phrase__in=STARTER_CRISIS_PHRASES, action="crisis", created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0015_log_kinds_for_the_crisis_lane")]

    operations = [migrations.RunPython(add_phrases, remove_phrases)]
