"""WSGI entry point (gunicorn forum.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the settings: ~100,000 objects) lives as long as the
# process. Frozen, the collector's full passes no longer walk it: they had cost ~30 ms each,
# every few requests, which was most of a search's p95 beyond its median (docs/architecture.md,
# "Speed").
gc.freeze()
