"""The benchmark's ceiling: a view that does nothing, routed only when FORUM_BENCH=1 (forum/urls.py).

It goes through the whole middleware stack like every page, but touches no database, session
or template, so its requests per second are what the server, WSGI and Django alone can do.
"""

from django.http import HttpResponse


def noop(request):
    return HttpResponse(b"ok\n", content_type="text/plain")
