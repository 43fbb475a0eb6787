"""Periodic jobs: registered here, run by ``takeroot runperiodic`` (the scheduler calls it).

Each job is idempotent and throttled through the shared cache with an atomic ``add``, so two
schedulers (or a cron entry beside one) never run the same job twice in its interval.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], None]


JOBS: dict[str, PeriodicJob] = {}


def periodic(*, every: timedelta):
    """Register a function as a periodic job (apps call this in their ``periodic`` module)."""

    def register(func):
        JOBS[func.__name__] = PeriodicJob(func.__name__, every, func)
        return func

    return register


def run_due_jobs(*, force: bool = False) -> list[str]:
    """Run every job whose interval has passed; return the names that ran."""
    ran = []
    for job in JOBS.values():
        if force or cache.add(
            f"takeroot:periodic:{job.name}", timezone.now().isoformat(), timeout=int(job.every.total_seconds())
        ):
            try:
                job.run()
            except Exception:
                # One failing job must not stop the others; it is logged and tried next interval.
                log.exception("periodic job %s failed", job.name)
            else:
                ran.append(job.name)
    return ran


@periodic(every=timedelta(minutes=5))
def requeue_stuck_mail() -> None:
    """Mail claimed by a worker that died mid-send goes back to the queue after 15 minutes."""
    from .enums import MailState
    from .mail import enqueue_on_commit
    from .models import OutgoingMail

    cutoff = timezone.now() - timedelta(minutes=15)
    stuck = OutgoingMail.objects.filter(state=MailState.SENDING, created_at__lt=cutoff)
    for mail in stuck:
        if OutgoingMail.objects.filter(pk=mail.pk, state=MailState.SENDING).update(state=MailState.PENDING):
            enqueue_on_commit(mail)


@periodic(every=timedelta(minutes=1))
def retry_due_mail() -> None:
    """Queue mail whose retry time has come (for task backends without delayed tasks)."""
    from django.db.models import Q

    from .enums import MailState
    from .mail import enqueue_on_commit
    from .models import OutgoingMail

    now = timezone.now()
    due = OutgoingMail.objects.filter(state=MailState.PENDING).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=10))
    )
    for mail in due:
        enqueue_on_commit(mail)


@periodic(every=timedelta(hours=24))
def prune_task_results() -> None:
    """Finished background-task records older than a week are removed."""
    call_command("prune_db_task_results", min_age_days=7, verbosity=0)


@periodic(every=timedelta(minutes=15))
def send_digests() -> None:
    """Each person's digest at 07:00 their time, daily or weekly as they chose."""
    from .digest import send_due_digests

    send_due_digests()
