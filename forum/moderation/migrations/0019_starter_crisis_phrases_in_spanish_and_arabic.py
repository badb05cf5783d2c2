"""Starter crisis phrases in the forum's other languages (Spanish, Arabic), so that a frightened
person writing in them reaches the crisis lane and the help lines as an English writer does
(0016). Matching is on whole words and exact letters, so common spellings without accents and
Arabic's attached article are listed too. Moderators keep the list in the admin; this only adds
what is missing and never removes an edit."""

from django.db import migrations

STARTER_CRISIS_PHRASES = (
    # Spanish
    "quiero morir",
    "me quiero morir",
    "quiero matarme",
    "suicidarme",
    "suicidio",
    "suicida",
    "quitarme la vida",
    "acabar con mi vida",
    "hacerme daño",
    "hacerme dano",
    "autolesión",
    "autolesion",
    "autolesiones",
    "cortarme las venas",
    "no estoy a salvo en casa",
    "me va a matar",
    # Arabic
    "انتحار",
    "الانتحار",
    "أنتحر",
    "أريد أن أموت",
    "أقتل نفسي",
    "قتل نفسي",
    "أؤذي نفسي",
    "إيذاء النفس",
    "سيقتلني",
)


def add_phrases(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    for phrase in STARTER_CRISIS_PHRASES:
        WatchedWord.objects.get_or_create(phrase=phrase, action="crisis")


def remove_phrases(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    WatchedWord.objects.filter(phrase__in=STARTER_CRISIS_PHRASES, action="crisis", created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0018_crisis_resources_per_country_and_moderators")]

    operations = [migrations.RunPython(add_phrases, remove_phrases)]
