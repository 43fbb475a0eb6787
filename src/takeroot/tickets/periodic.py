"""The tickets' periodic job (core autodiscovers this module)."""

from datetime import timedelta
from functools import partial

from django.db import transaction

from takeroot.core.periodic import periodic


@periodic(every=timedelta(minutes=5))
def run_ticket_clock() -> None:
    """Queue the worker's task that runs the promise clock over every workspace's tickets."""
    from .tasks import task_run_clock

    transaction.on_commit(partial(task_run_clock.enqueue))
