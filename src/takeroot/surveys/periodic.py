"""The surveys' periodic job (core autodiscovers this module)."""

from datetime import timedelta
from functools import partial

from django.db import transaction

from takeroot.core.periodic import periodic


@periodic(every=timedelta(hours=1))
def close_and_remind_surveys() -> None:
    """Queue the worker's task that closes surveys past their date and sends due reminders.
    Idempotent: a survey closes once, and each person is reminded at most every interval."""
    from .tasks import task_close_and_remind_surveys

    transaction.on_commit(partial(task_close_and_remind_surveys.enqueue))
