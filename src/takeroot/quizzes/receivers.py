"""Holds shift quiz questions the way they shift touchpoints.

A person on hold answers nothing, so their questions due on or after the hold's first day move
by the hold's length: the spacing between them is kept and the forgetting curve is not punished
for the pause. Cancelling a hold early moves what it moved back by the days not used. Imported
from ``QuizzesConfig.ready``; the signals arrive after the hold's transaction committed.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.dispatch import receiver

from takeroot.core.scope import workspace_scope
from takeroot.followup.models import Hold
from takeroot.followup.schedule import zone_of
from takeroot.followup.signals import hold_cancelled, hold_placed

from .models import MemoryState


def _midnight(hold: Hold, day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the person's time zone: holds are whole local days."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone_of(hold.person))


def _shift(hold: Hold, *, due_from: datetime.datetime, days: int) -> int:
    """Move the person's live questions due on or after ``due_from`` by ``days`` (may be negative)."""
    with workspace_scope(hold.workspace), transaction.atomic():
        states = MemoryState.objects.filter(enrolment__person=hold.person, retired_at__isnull=True, due__gte=due_from)
        return states.update(due=F("due") + datetime.timedelta(days=days))


@receiver(hold_placed, dispatch_uid="quizzes_hold_placed")
def shift_for_hold(sender, *, hold: Hold, **kwargs) -> None:
    length = (hold.ends_on - hold.starts_on).days + 1
    _shift(hold, due_from=_midnight(hold, hold.starts_on), days=length)


@receiver(hold_cancelled, dispatch_uid="quizzes_hold_cancelled")
def shift_back_unused(sender, *, hold: Hold, **kwargs) -> None:
    """What the hold moved landed on or after the day after it; it comes back by the days of the
    hold not used (all of them when it is cancelled before it starts)."""
    cancelled_on = hold.cancelled_at.astimezone(zone_of(hold.person)).date()
    resumes_on = max(cancelled_on, hold.starts_on)
    unused = (hold.ends_on - resumes_on).days + 1
    if unused > 0:
        _shift(hold, due_from=_midnight(hold, hold.ends_on + datetime.timedelta(days=1)), days=-unused)
