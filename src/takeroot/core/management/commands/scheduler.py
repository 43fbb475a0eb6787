import signal
import time

from django.core.management.base import BaseCommand

from takeroot.core.periodic import run_due_jobs
from takeroot.settings import env_int


class Command(BaseCommand):
    help = "Run periodic jobs in a loop (one of the three Takeroot processes)."

    def handle(self, *args, **options):
        interval = env_int("SCHEDULER_INTERVAL", 30)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"scheduler: running periodic jobs every {interval} s")
        while not stopping:
            run_due_jobs()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
