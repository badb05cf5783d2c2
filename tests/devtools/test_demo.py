import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from forum.answers.models import Answer, Comment
from forum.questions.models import Question

pytestmark = pytest.mark.django_db


def test_it_refuses_to_seed_demo_data_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


@override_settings(DEBUG=True)
def test_it_seeds_demo_accounts_and_threads_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    output = capsys.readouterr().out
    assert User.objects.filter(username__in=["sam", "riley", "mod-jordan", "dr-amara"]).count() == 4
    assert User.objects.get(username="mod-jordan").has_perm("moderation.moderate")
    crying = Question.objects.get(title__startswith="She cried after sex")
    assert crying.status == "published" and crying.author is None
    assert Answer.objects.filter(question=crying, is_accepted=True).count() == 1
    assert Question.objects.published().count() == 5
    shown = Comment.objects.filter(status=Comment.Status.PUBLISHED)
    assert shown.count() == 3 and shown.filter(question=crying, by_asker=True, author=None).count() == 1
    assert "/questions/key/" in output and "jordan@demo.invalid" in output
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in output and "make demo-code" in output  # the second factor
    assert re.search(r"the code \d{6} \(valid \d+ s more", output)
