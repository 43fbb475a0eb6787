"""The follow-up's periodic jobs (core autodiscovers this module)."""

from datetime import timedelta
from functools import partial

from django.db import transaction

from takeroot.core.periodic import periodic


@periodic(every=timedelta(minutes=1))
def send_due_touchpoints() -> None:
    """Queue the worker's task that sends the touchpoints now due."""
    from .tasks import task_send_due_touchpoints

    transaction.on_commit(partial(task_send_due_touchpoints.enqueue))


@periodic(every=timedelta(minutes=5))
def release_stuck_touchpoints() -> None:
    """Touchpoints claimed by a worker that died mid-send go back to the queue after 15 minutes."""
    from .delivery import release_stuck

    release_stuck()
