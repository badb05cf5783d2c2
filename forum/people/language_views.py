"""The language switcher (POST /language/), which also remembers a signed-in member's choice.

The switcher itself is the core's (forum.core.views.set_language: Django's view, the `language`
cookie, `next` checked to stay on this host). The core floor can't know members, so the URL
points here: when the core view set the cookie and the reader is signed in, the member's
`language` follows it (accounts/languages.py), and so do their emails.

CSRF-exempt like the core view: visitors' cached pages carry no token, so the form can't send one.
A forged cross-site POST carries no session (the session cookie is SameSite=Lax), so it reaches no
member; at worst it sets the visitor's language cookie, visible on the next page and undone in one
click (docs/threat-model.md).
"""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.languages import member_language_set
from forum.core import views as core_views


@csrf_exempt
@require_POST
def set_language(request):
    response = core_views.set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and chosen.value and request.user.is_authenticated:
        member_language_set(user=request.user, language=chosen.value)
    return response
