from django.core.management.base import BaseCommand

from forum.questions.search_backend import backend_line, rum_available


class Command(BaseCommand):
    help = "Say which path search ranks on: the RUM index, or plain PostgreSQL (GIN + ts_rank)."

    def handle(self, *args, **options):
        rum_available.cache_clear()  # the database as it is now, not as this process first saw it
        self.stdout.write(backend_line())
