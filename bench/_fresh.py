"""What every benchmark starts from: Takeroot on a fresh SQLite database in a temporary data
directory, set up and migrated, removed again afterwards; and how a figure is timed."""

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def in_fresh_installation(run: Callable[[], None]) -> None:
    data_dir = tempfile.mkdtemp(prefix="takeroot-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "takeroot.settings"
    os.environ["TAKEROOT_DATA_DIR"] = data_dir
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        run()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def timed(compute: Callable, runs: int = 3) -> tuple:
    """The result of ``compute`` and the fastest of ``runs`` computations, in seconds (the others
    met a cold cache)."""
    fastest = float("inf")
    for _run in range(runs):
        started = time.perf_counter()
        result = compute()
        fastest = min(fastest, time.perf_counter() - started)
    return result, fastest
