from django.core.management.base import BaseCommand

from forum.people.services import experts_lapse


class Command(BaseCommand):
    help = "Clear the expert flag from answers of experts whose verification has lapsed. Run daily."

    def handle(self, *args, **options):
        count = experts_lapse()
        self.stdout.write(f"{count} lapsed expert(s) checked.")
