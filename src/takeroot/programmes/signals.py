"""Signals other apps listen to without programmes knowing them (the follow-up scheduler re-plans
touchpoints when they arrive).

``enrolments_changed``: enrolments were created, or their status or mentor changed. Arguments:
``enrolment_ids`` (list of ints) and ``workspace_id``.

``cohort_changed``: what every enrolment of a cohort is planned from changed (dates, trainers,
mentors, sessions). Arguments: ``cohort_id`` and ``workspace_id``.

``programme_copied``: a programme was copied, so apps that own parts of its design (the follow-up
design) copy theirs too. Arguments: ``source``, ``copy`` (programmes) and ``actor``. Sent inside
the copy's transaction, so the whole copy stands or falls together.

The first two are sent after the transaction commits, so a rolled-back change sends nothing. Services send
them through ``notify_enrolments_changed`` and ``notify_cohort_changed``; code that changes many
enrolments one by one (the enrolment import) wraps the work in ``one_signal_for_many()`` so that
listeners hear once per workspace and cohort instead of once per row.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.dispatch import Signal

enrolments_changed = Signal()
cohort_changed = Signal()
programme_copied = Signal()

_collecting = threading.local()


def _send_enrolments(workspace_id: int, enrolment_ids: list[int]) -> None:
    from .models import Enrolment

    enrolments_changed.send(sender=Enrolment, enrolment_ids=enrolment_ids, workspace_id=workspace_id)


def _send_cohort(workspace_id: int, cohort_id: int) -> None:
    from .models import Cohort

    cohort_changed.send(sender=Cohort, cohort_id=cohort_id, workspace_id=workspace_id)


def notify_enrolments_changed(*, workspace_id: int, enrolment_ids: Iterable[int]) -> None:
    """Send ``enrolments_changed`` once the current transaction commits."""
    ids = sorted(set(enrolment_ids))
    if not ids:
        return
    batch = getattr(_collecting, "batch", None)
    if batch is not None:
        batch["enrolments"].setdefault(workspace_id, set()).update(ids)
        return
    transaction.on_commit(partial(_send_enrolments, workspace_id, ids))


def notify_cohort_changed(*, workspace_id: int, cohort_id: int) -> None:
    """Send ``cohort_changed`` once the current transaction commits."""
    batch = getattr(_collecting, "batch", None)
    if batch is not None:
        batch["cohorts"].add((workspace_id, cohort_id))
        return
    transaction.on_commit(partial(_send_cohort, workspace_id, cohort_id))


@contextmanager
def one_signal_for_many() -> Iterator[None]:
    """Collect the notifications sent inside the block and send each once, on commit.

    Use it inside the transaction that makes the changes; a block that raises sends nothing."""
    if getattr(_collecting, "batch", None) is not None:  # an outer block collects already
        yield
        return
    _collecting.batch = batch = {"enrolments": {}, "cohorts": set()}
    try:
        yield
    finally:
        _collecting.batch = None
    for workspace_id, cohort_id in sorted(batch["cohorts"]):
        notify_cohort_changed(workspace_id=workspace_id, cohort_id=cohort_id)
    for workspace_id, ids in batch["enrolments"].items():
        notify_enrolments_changed(workspace_id=workspace_id, enrolment_ids=ids)
