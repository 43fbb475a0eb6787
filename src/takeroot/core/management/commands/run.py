"""``takeroot run``: prepare the data directory and start web, worker and scheduler together."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from takeroot.core.models import Workspace
from takeroot.settings import env_int

from .serve import gunicorn_argv


class Command(BaseCommand):
    help = "Migrate, create the demo workspace on an empty database, and run web, worker and scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not create demo data on an empty database.")

    def handle(self, *args, no_demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not Workspace.objects.exists():
            from takeroot.core.demo import build_demo

            self.stdout.write("Creating the demo workspace…")
            build_demo()
        self._print_welcome()
        self._supervise()

    def _print_welcome(self) -> None:
        from takeroot.core.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_exists

        url = f"http://127.0.0.1:{env_int('PORT', 8000)}/"
        self.stdout.write(self.style.SUCCESS(f"\nTakeroot is starting on {url}"))
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        if demo_exists():
            self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
            for role, email in DEMO_LOGINS:
                self.stdout.write(f"  {role:<12} {email}")
        self.stdout.write("Press Ctrl-C to stop.\n")

    def _supervise(self) -> None:
        takeroot = [sys.executable, "-m", "takeroot.cli"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "takeroot.settings")}
        children = {
            "web": subprocess.Popen(gunicorn_argv(), env=env),
            "worker": subprocess.Popen([*takeroot, "worker"], env=env),
            "scheduler": subprocess.Popen([*takeroot, "scheduler"], env=env),
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{name} stopped (exit code {child.returncode}); stopping the others.")
                    exit_code, stopping = child.returncode or 1, True
                    break
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Takeroot stopped.")
        sys.exit(exit_code)
