"""A frightened person writing in Spanish or Arabic reaches the crisis lane, as an English writer
does: the starter crisis phrases (moderation migrations 0016 and 0019) cover the forum's languages."""

import pytest

from forum.moderation.policy import screen_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "A veces quiero morir y no sé con quién hablar",
        "He pensado en el suicidio después de la ruptura",
        "Me da miedo hacerme daño otra vez",
        "Me da miedo hacerme dano otra vez",  # typed without the tilde
        "No estoy a salvo en casa con mi pareja",
        "أفكر في الانتحار منذ أسابيع",
        "أحيانًا أريد أن أموت",
        "لا أعرف لماذا أؤذي نفسي",
    ],
)
def test_it_puts_a_spanish_or_arabic_cry_for_help_in_the_crisis_lane(text):
    assert screen_post(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "¿Es normal llorar después del sexo?",
        "Quiero hablar con mi pareja sobre lo que me gusta",
        "هل من الطبيعي البكاء بعد العلاقة؟",
    ],
)
def test_it_leaves_ordinary_questions_in_those_languages_alone(text):
    assert not screen_post(text).crisis
