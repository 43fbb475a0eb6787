"""Benchmark: the daily digest for every member of the demo workspaces (action plans, practice
tasks, discussions and wins all contribute sections), as the periodic job sends it.

Run from the repository root: ``.venv/bin/python bench/digest.py``. It builds the demo on a fresh
SQLite database, then times one ``send_due_digests`` pass with its per-person tasks run in this
process (mails rendered and sent to memory) and prints ``BENCH`` lines: the people considered,
the digests mailed, the whole pass and the time per person (what one worker spends; more
workers share the pass).
"""

import datetime
import time

from _fresh import in_fresh_installation


def run() -> None:
    from django.test import override_settings
    from django.utils import timezone

    from takeroot.core.demo import build_demo
    from takeroot.core.digest import send_due_digests
    from takeroot.core.models import OutgoingMail, Person, User
    from takeroot.core.scope import across_workspaces

    with across_workspaces():
        build_demo()
        User.objects.update(digest_frequency="daily")
        OutgoingMail.objects.all().delete()
        people = Person.objects.count()
    # Tomorrow 09:00 UTC is past 07:00 local time in every demo time zone (Europe and Asia).
    now = timezone.now().replace(hour=9, minute=0) + datetime.timedelta(days=1)
    started = time.perf_counter()
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # The tasks run in this process, one person after the other, and the mails go to memory.
    with override_settings(TASKS=immediate, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        send_due_digests(now=now)
    seconds = time.perf_counter() - started
    queued = OutgoingMail.objects.filter(template="digest").count()
    print(f"BENCH digest_people {people} people")
    print(f"BENCH digest_mails {queued} mails")
    print(f"BENCH digest_pass {seconds:.2f} s")
    print(f"BENCH digest_per_person {1000 * seconds / max(people, 1):.1f} ms")


if __name__ == "__main__":
    in_fresh_installation(run)
