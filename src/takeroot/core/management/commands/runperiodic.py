from django.core.management.base import BaseCommand

from takeroot.core.periodic import run_due_jobs


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (safe to run from several places and often)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every job now, ignoring intervals.")

    def handle(self, *args, force=False, **options):
        ran = run_due_jobs(force=force)
        if options["verbosity"] > 1:
            self.stdout.write("ran: " + (", ".join(ran) or "nothing due"))
