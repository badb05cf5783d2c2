from django.db import migrations

TOPICS = [
    ("Sex and pleasure", "sex-and-pleasure", "Questions about sex itself: what feels good, what's normal, what to try.", False),
    ("Relationships", "relationships", "Partners, dating, communication, trust and breaking up.", False),
    ("Emotions and intimacy", "emotions-and-intimacy", "Feelings before, during and after sex; closeness and distance.", False),
    ("Bodies and health", "bodies-and-health", "Anatomy, changes, pain and when to see a doctor.", False),
    ("Desire and libido", "desire-and-libido", "Wanting more, wanting less, and mismatched desire.", False),
    ("Contraception", "contraception", "Methods, side effects and what to do when something goes wrong.", False),
    ("STIs and testing", "stis-and-testing", "Symptoms, testing, treatment and telling a partner.", False),
    ("Consent", "consent", "Asking, saying yes and no, and what consent means in practice.", False),
    ("LGBTQ+", "lgbtq", "Questions about sexuality, gender and queer relationships.", False),
    ("Pain and difficulties", "pain-and-difficulties", "Painful sex, erection and orgasm difficulties, anxiety.", False),
    ("Sexual assault", "sexual-assault", "Support and information after sexual assault or coercion.", True),
    ("Abuse", "abuse", "Controlling, violent or abusive relationships.", True),
]


def add_topics(apps, schema_editor):
    Tag = apps.get_model("questions", "Tag")
    for name, slug, description, sensitive in TOPICS:
        Tag.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "is_sensitive": sensitive})


def remove_topics(apps, schema_editor):
    Tag = apps.get_model("questions", "Tag")
    Tag.objects.filter(slug__in=[slug for _, slug, _, _ in TOPICS], question_count=0).delete()


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_question_tag_notification")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
