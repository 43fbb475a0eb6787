"""Signals other apps listen to without the follow-up engine knowing them.

``hold_placed``: a person paused their follow-up (the quiz scheduler moves their questions due
in or after the pause, as the engine moves their touchpoints). Argument: ``hold``.

``hold_cancelled``: a pause was called off or ended early, so what it moved and is still to come
moves back by the days not used. Argument: ``hold`` (with ``cancelled_at`` set).

Both are sent after the transaction commits, so a rolled-back change sends nothing.

``attendance_recorded``: marks of who came to a follow-up session changed (tracking counts them).
Argument: ``session``. Sent inside the marking transaction (the marks are a bulk update, which
sends no ``post_save``); listeners that write elsewhere wait for the commit themselves.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

hold_placed = Signal()
hold_cancelled = Signal()
attendance_recorded = Signal()


def notify_hold(signal: Signal, hold) -> None:
    """Send ``signal`` for ``hold`` once the current transaction commits."""
    transaction.on_commit(partial(signal.send, sender=type(hold), hold=hold))
