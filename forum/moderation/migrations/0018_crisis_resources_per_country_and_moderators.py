"""Moderators keep the crisis resources (add, change, view; deleting stays with the admins), and
a few well-known lines per country and language, each described in its own language.

Only services whose number is certain; the international lines of 0002 stay as they were.
Arabic readers get the international directory (findahelpline.com) described in Arabic.
"""

from django.db import migrations

CRISIS_PERMISSIONS = ["add_crisisresource", "change_crisisresource", "view_crisisresource"]

# (name, description, contact, url, language, country)
RESOURCES = [
    ("988 Suicide & Crisis Lifeline",
     "Free, confidential support for anyone in distress, 24 hours a day. Call or text 988, or chat online.",
     "Call or text 988", "https://988lifeline.org/", "en", "US"),
    ("988 Línea de Prevención del Suicidio y Crisis",
     "Apoyo gratuito y confidencial, las 24 horas. Llama al 988 y marca 2 para hablar en español.",
     "988 (marca 2)", "https://988lifeline.org/", "es", "US"),
    ("Samaritans",
     "Someone to talk to, whatever you are going through, day or night. Free to call.",
     "116 123", "https://www.samaritans.org/", "en", "GB"),
    ("Samaritans Ireland",
     "Someone to talk to, whatever you are going through, day or night. Free to call.",
     "116 123", "https://www.samaritans.org/", "en", "IE"),
    ("Línea 024",
     "Línea de atención a la conducta suicida: gratuita, confidencial y disponible las 24 horas, todos los días.",
     "024", "", "es", "ES"),
    ("Línea de la Vida",
     "Orientación y apoyo emocional gratuitos y confidenciales, las 24 horas, todos los días.",
     "800 911 2000", "", "es", "MX"),
    ("Centro de Asistencia al Suicida",
     "Te escuchan y te acompañan si estás pensando en quitarte la vida. Gratis desde CABA y el Gran Buenos Aires.",
     "135", "", "es", "AR"),
    ("Encuentra una línea de ayuda",
     "Directorio internacional de líneas de ayuda gratuitas y confidenciales: busca la de tu país.",
     "", "https://findahelpline.com/", "es", ""),
    ("ابحث عن خط مساعدة (Find A Helpline)",
     "دليل دولي لخطوط المساعدة المجانية والسرية في بلدان كثيرة: ابحث عن الخط المتاح في بلدك.",
     "", "https://findahelpline.com/", "ar", ""),
]  # fmt: skip


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderators")
    for codename in CRISIS_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label="moderation", codename=codename))

    CrisisResource = apps.get_model("moderation", "CrisisResource")
    for name, description, contact, url, language, country in RESOURCES:
        CrisisResource.objects.get_or_create(
            name=name,
            defaults={"description": description, "contact": contact, "url": url, "language": language,
                      "country": country},
        )  # fmt: skip


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="moderators"):
        group.permissions.remove(*group.permissions.filter(codename__in=CRISIS_PERMISSIONS))
    apps.get_model("moderation", "CrisisResource").objects.filter(name__in=[r[0] for r in RESOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0017_crisis_resources_by_language_and_country"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
