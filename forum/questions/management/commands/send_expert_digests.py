from django.core.management.base import BaseCommand

from forum.questions.notice_emails import expert_digests_queue


class Command(BaseCommand):
    help = (
        "Queue the daily digest of new questions for each verified expert who chose it. Run once a day "
        "(cron or a systemd timer); running it again the same day sends nothing twice."
    )

    def handle(self, *args, **options):
        queued = expert_digests_queue()
        self.stdout.write(f"Queued {queued} expert digest(s).")
