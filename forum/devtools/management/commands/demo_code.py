from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.devtools.demo import demo_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo moderator and experts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only runs with DEBUG on: it is the demo accounts' second factor.")
        code, valid = demo_code()
        self.stdout.write(f"{code}  (valid for {valid} s more)")
