"""No word a reader sees goes unmarked for translation (tests/i18n/marks.py says how it looks).

One test per file, so a failure names the file and the words: mark them ({% translate %},
gettext_lazy, gettext() in scripts), run `make messages` and translate them in locale/.
"""

import pytest

from tests.i18n import marks


def _id(path):
    return path.relative_to(marks.ROOT).as_posix()


# Files still being marked (issue 16): expected to fail, and flagged as soon as they pass.
PENDING = {
    line.strip()
    for line in (marks.ROOT / "tests" / "i18n" / "pending.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}


def _check(path, found):
    if _id(path) in PENDING:
        assert found, f"{_id(path)} is marked now: remove it from tests/i18n/pending.txt"
    else:
        assert found == []


@pytest.mark.parametrize("path", marks.templates(), ids=_id)
def test_it_marks_every_word_of_the_template(path):
    _check(path, marks.unmarked_in_template(path))


@pytest.mark.parametrize("path", marks.python_files(), ids=_id)
def test_it_marks_every_word_the_python_shows(path):
    _check(path, marks.unmarked_in_python(path))


@pytest.mark.parametrize("path", marks.scripts(), ids=_id)
def test_it_marks_every_word_the_scripts_show(path):
    _check(path, marks.unmarked_in_javascript(path))


def test_it_finds_unmarked_words(tmp_path):
    """The scanners themselves: each kind of unmarked text is found, its marked twin is not."""
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<p title="Read me">Hello there</p><p>{% translate "Marked" %}</p>'
        "{% blocktranslate %}Also {{ marked }}{% endblocktranslate %}{# a comment #}"
        '<input type="submit" value="Send it"><script>var x = "not shown";</script>'
    )
    assert marks.unmarked_in_template(page) == ['p title="Read me"', "Hello there", 'input value="Send it"']
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Hi' %}\nYour answer was accepted.\n{{ url }}\n")
    assert marks.unmarked_in_template(mail) == ["Your answer was accepted."]
    code = tmp_path / "code.py"
    code.write_text(
        "from django.utils.translation import gettext_lazy as _\n"
        "class Kind(TextChoices):\n    A = 'a', 'Shown label'\n    B = 'b', _('Marked label')\n"
        "messages.success(request, 'Saved it')\nmessages.success(request, _('Saved'))\n"
        "field = forms.CharField(label='Your title', help_text=_('Marked'))\n"
        "raise ValidationError(f'Too long by {n}')\n"
    )
    assert [line.split(":")[0] for line in marks.unmarked_in_python(code)] == ["line 3", "line 5", "line 7", "line 8"]
    script = tmp_path / "s.js"
    script.write_text(
        'button.textContent = "Copied";\nstatus.textContent = gettext("Copied");\nel.className = "copied";\n'
    )
    assert marks.unmarked_in_javascript(script) == ['line 1: "Copied"']
