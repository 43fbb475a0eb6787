import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from takeroot.settings import env_int, env_str


def gunicorn_argv() -> list[str]:
    port = env_int("PORT", 8000)
    bind = env_str("BIND", f"127.0.0.1:{port}")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "takeroot.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(env_int("WEB_WORKERS", 2)),
        "--threads",
        str(env_int("WEB_THREADS", 4)),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        # Beside the data, so two installations on one machine do not share a control socket.
        "--control-socket",
        str(settings.DATA_DIR / "gunicorn.ctl"),
    ]


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (one of the three Takeroot processes)."

    def handle(self, *args, **options):
        argv = gunicorn_argv()
        os.execv(argv[0], argv)
