from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.devtools.demo import seed


class Command(BaseCommand):
    help = "Create demo accounts and threads (development only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates accounts with known passwords.")
        for line in seed():
            self.stdout.write(line)
