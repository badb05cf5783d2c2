"""reverse() for the links a page repeats many times (every row's thread, topic, vote form).

Django's reverse() re-resolves the pattern on every call (~25 µs); a list or a long thread makes
dozens to hundreds of calls. quick_reverse() reverses each URL name once per process and script
prefix into a format string, then fills in the quoted arguments: the same result, from urls.py.
"""

import functools
from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS

# Digits pass every path converter (int, slug, str); this run of them never occurs in a route.
_MARKER = "9081726354{}"


@functools.lru_cache(maxsize=256)
def _pattern(prefix: str, name: str, literal: tuple, count: int) -> str | None:
    markers = [_MARKER.format(n) for n in range(count)]
    try:
        url = reverse(name, args=[*literal, *markers]).replace("{", "{{").replace("}", "}}")
    except NoReverseMatch:
        return None  # a route whose arguments must match a regex: reverse() each time
    for n, marker in enumerate(markers):
        url = url.replace(marker, f"{{{n}}}", 1)
    return url


def quick_reverse(name: str, *args, literal: int = 0) -> str:
    """reverse(name, args=args) for int, slug and str converters, quoted as reverse() quotes them.

    The first `literal` arguments are taken as they are, once per value: for a route whose
    argument must match a regex (report/<question|answer>/<pk>/).
    """
    pattern = _pattern(get_script_prefix(), name, tuple(args[:literal]), len(args) - literal)
    if pattern is None:
        return reverse(name, args=args)
    return pattern.format(*(quote(str(arg), safe=RFC3986_SUBDELIMS + "~:@") for arg in args[literal:]))
