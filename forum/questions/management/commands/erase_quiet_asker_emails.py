from django.core.management.base import BaseCommand

from forum.questions.asker_mail import QUIET_DAYS, erase_quiet_contacts


class Command(BaseCommand):
    help = (
        f"Erase the addresses accountless askers left for questions quiet for {QUIET_DAYS} days "
        "(or deleted). Run daily."
    )

    def handle(self, *args, **options):
        count = erase_quiet_contacts()
        self.stdout.write(f"{count} asker address(es) erased.")
