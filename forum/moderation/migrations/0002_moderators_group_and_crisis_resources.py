from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("moderation", "moderationaction", "moderate"),
    ("moderation", "moderationaction", "view_moderationaction"),
    ("moderation", "flag", "view_flag"),
    ("moderation", "watchedword", "add_watchedword"),
    ("moderation", "watchedword", "delete_watchedword"),
    ("moderation", "watchedword", "view_watchedword"),
]

RESOURCES = [
    ("Emergency services", "If you or someone else is in immediate danger.", "Your local emergency number (112 / 911 / 999)", "", 0),
    ("Sexual assault support", "Confidential support after sexual assault, whenever it happened. RAINN (US) lists local services.",
     "", "https://www.rainn.org/", 1),
    ("Domestic abuse help lines", "Find a free, confidential help line in your country.", "", "https://www.hotpages.org/", 2),
    ("Crisis and suicide help lines", "If you are thinking about harming yourself, talk to someone now.", "",
     "https://findahelpline.com/", 3),
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderators")
    for app_label, model, codename in MODERATOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )
    # The reveal permission is deliberately not in the group: an admin grants it to named people.

    CrisisResource = apps.get_model("moderation", "CrisisResource")
    for name, description, contact, url, position in RESOURCES:
        CrisisResource.objects.get_or_create(
            name=name, defaults={"description": description, "contact": contact, "url": url, "position": position}
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="moderators").delete()
    apps.get_model("moderation", "CrisisResource").objects.filter(name__in=[r[0] for r in RESOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_moderation_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
