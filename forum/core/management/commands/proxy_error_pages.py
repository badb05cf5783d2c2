"""Write the page nginx shows when a web host went away mid-request, once per language.

    python manage.py proxy_error_pages DIRECTORY

nginx (scripts/cluster.py, deploy/container/nginx.conf, docs/deploy.md) answers a request whose
host died, and that no other host could take (a POST is never sent twice), with
DIRECTORY/proxy-errors/502.<language>.html: the site's layout, in the reader's language, saying
to try again. Rendered from templates/502.html without a request or the database, as the 500
page is; run it after `collectstatic`, since the page links the static files by their hashed names.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from forum.core.views import render_without_database


class Command(BaseCommand):
    help = "Write nginx's error page for a web host that went away, in each of the site's languages."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        target = directory / "proxy-errors"
        target.mkdir(parents=True, exist_ok=True)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                page = render_without_database("502.html", {}, translation.gettext("Back in a moment"))
            (target / f"502.{code}.html").write_text(page, encoding="utf-8")
        self.stdout.write(f"{len(settings.LANGUAGES)} pages in {target}")
