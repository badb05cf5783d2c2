"""The starter topics' names and descriptions (migration 0002), marked for translation.

A topic is a row a moderator can rename, so its name is data; but the starter topics ship with
the forum, and a Spanish or Arabic reader should not meet them in English. `Tag.label` and
`Tag.about` translate these known texts and leave any other (a moderator's own topic) as typed.
"""

from django.utils.translation import gettext_noop

STARTER_TEXTS = frozenset(
    {
        gettext_noop("Sex and pleasure"),
        gettext_noop("Questions about sex itself: what feels good, what's normal, what to try."),
        gettext_noop("Relationships"),
        gettext_noop("Partners, dating, communication, trust and breaking up."),
        gettext_noop("Emotions and intimacy"),
        gettext_noop("Feelings before, during and after sex; closeness and distance."),
        gettext_noop("Bodies and health"),
        gettext_noop("Anatomy, changes, pain and when to see a doctor."),
        gettext_noop("Desire and libido"),
        gettext_noop("Wanting more, wanting less, and mismatched desire."),
        gettext_noop("Contraception"),
        gettext_noop("Methods, side effects and what to do when something goes wrong."),
        gettext_noop("STIs and testing"),
        gettext_noop("Symptoms, testing, treatment and telling a partner."),
        gettext_noop("Consent"),
        gettext_noop("Asking, saying yes and no, and what consent means in practice."),
        gettext_noop("LGBTQ+"),
        gettext_noop("Questions about sexuality, gender and queer relationships."),
        gettext_noop("Pain and difficulties"),
        gettext_noop("Painful sex, erection and orgasm difficulties, anxiety."),
        gettext_noop("Sexual assault"),
        gettext_noop("Support and information after sexual assault or coercion."),
        gettext_noop("Abuse"),
        gettext_noop("Controlling, violent or abusive relationships."),
    }
)
