from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue (one of the three Takeroot processes)."

    def handle(self, *args, **options):
        call_command("db_worker", interval=1, verbosity=options["verbosity"])
