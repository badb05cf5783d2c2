"""Text with values in it, translated when it is shown rather than when the module is imported.

A form's labels, help texts and error messages are made once, at import, in no language; those
that hold a number (a limit, a count) are built with `lazy_format`, so each reader gets them in
their own language, the number formatted for it (`grouped(10_000)`: "10,000", "10 000").
"""

from django.utils.formats import number_format
from django.utils.functional import lazy


def _format(message, values: dict) -> str:
    return str(message) % {name: str(value) for name, value in values.items()}


_lazy_format = lazy(_format, str)


def lazy_format(message, **values) -> str:
    """`message % values`, done when the text is shown: `lazy_format(_("Up to %(max)s."), max=MAX)`."""
    return _lazy_format(message, values)


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


grouped = lazy(_grouped, str)
