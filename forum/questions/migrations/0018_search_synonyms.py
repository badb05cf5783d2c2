"""Synonyms for search (forum/questions/synonyms.py), with starter groups written for this forum:
how people put it, and how experts and answers write it. Staff keep them in the admin."""

import django.contrib.postgres.fields
from django.db import migrations, models


STARTERS = {
    "en": [
        ["cry", "cried", "crying", "tears", "sobbing", "weep", "weeping"],
        ["postcoital dysphoria", "postcoital tristesse"],
        ["uti", "utis", "urinary tract infection", "bladder infection", "cystitis", "burns when I pee"],
        [
            "premature ejaculation",
            "coming too fast",
            "come too fast",
            "come too quickly",
            "finish too fast",
            "finish too quickly",
            "finish within a minute",
            "last longer",
        ],
        ["erectile dysfunction", "erection problems", "lose my erection", "can't get hard", "impotence"],
        ["masturbation", "masturbating", "masturbate", "touching myself", "self-pleasure"],
        ["vaginismus", "muscles tighten", "muscles clamp", "penetration is impossible"],
        ["painful sex", "pain during sex", "sex hurts", "dyspareunia"],
        ["menopause", "menopausal", "perimenopause"],
        ["libido", "sex drive", "desire"],
        ["sti", "stis", "std", "stds", "sexually transmitted infection", "sti test", "get tested"],
        ["contraception", "birth control", "contraceptive"],
        ["morning after pill", "emergency contraception", "plan b"],
        ["herpes", "hsv", "cold sores"],
        ["prep", "pre-exposure prophylaxis"],
        ["lube", "lubricant"],
        ["cheated", "cheating", "affair", "infidelity", "unfaithful"],
        ["jealousy", "jealous"],
        ["asexual", "no sexual attraction", "never felt attracted"],
        ["porn", "pornography"],
        ["daily", "every day", "each day", "everyday"],
        ["harmful", "bad for you", "unhealthy", "dangerous"],
        ["condom broke", "condom breaks", "condom broken", "condom split", "condom slipped", "condom failure"],
        ["period", "periods", "menstruation", "menstrual"],
    ],
    "es": [
        ["condón", "condon", "preservativo"],
        ["pastilla del día después", "anticoncepción de emergencia"],
        ["dolor", "duele", "me duele"],
        ["relaciones", "relaciones sexuales", "sexo"],
    ],
}


def add_starters(apps, schema_editor):
    """Idempotent: a group already there (same language and terms) is not added again (tests
    put the data migrations' rows back after a test that empties the tables)."""
    SearchSynonym = apps.get_model("questions", "SearchSynonym")
    there = {(language, tuple(terms)) for language, terms in SearchSynonym.objects.values_list("language", "terms")}
    SearchSynonym.objects.bulk_create(
        SearchSynonym(language=language, terms=terms)
        for language, groups in STARTERS.items()
        for terms in groups
        if (language, tuple(terms)) not in there
    )


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0017_search_ranking_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("es", "Español"),
                            ("ar", "العربية"),
                            ("ca", "Català"),
                            ("da", "Dansk"),
                            ("de", "Deutsch"),
                            ("el", "Ελληνικά"),
                            ("fa", "فارسی"),
                            ("fi", "Suomi"),
                            ("fr", "Français"),
                            ("he", "עברית"),
                            ("hi", "हिन्दी"),
                            ("hu", "Magyar"),
                            ("id", "Bahasa Indonesia"),
                            ("it", "Italiano"),
                            ("ja", "日本語"),
                            ("ko", "한국어"),
                            ("nl", "Nederlands"),
                            ("no", "Norsk"),
                            ("pl", "Polski"),
                            ("pt", "Português"),
                            ("ro", "Română"),
                            ("ru", "Русский"),
                            ("sv", "Svenska"),
                            ("tr", "Türkçe"),
                            ("uk", "Українська"),
                            ("vi", "Tiếng Việt"),
                            ("zh", "中文"),
                        ],
                        default="en",
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                (
                    "terms",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=60),
                        help_text="One per line, as people would type them (2 to 12, letters and spaces).",
                        size=None,
                        verbose_name="words and phrases",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "search synonym group",
                "ordering": ["language", "id"],
            },
        ),
        migrations.RunPython(add_starters, migrations.RunPython.noop),
    ]
