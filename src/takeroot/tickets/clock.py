"""The promise clock: when an answer is due and how much of the promise is left, counted around
the clock or in the workspace's working hours.

Working hours are ``day_starts``–``day_ends`` in the settings' time zone, on the follow-up's
working days that are not holidays (``followup.schedule.DeliveryRules``). Each working day's
window is built as local wall times and converted to UTC, so a daylight-saving change neither adds
nor loses a working hour. All arithmetic happens in UTC.
"""

import copy
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from takeroot.core.models import Workspace
from takeroot.followup.models import DeliverySettings
from takeroot.followup.schedule import DeliveryRules

from .enums import Clock
from .models import TicketSettings

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
ZERO = datetime.timedelta(0)
# Working days are at least one a week; this bounds any loop well beyond the longest promise.
MAX_DAYS = 3700


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def settings_for(workspace: Workspace) -> TicketSettings:
    """The workspace's ticket settings, or unsaved defaults when it has no row."""
    return TicketSettings.objects.filter(workspace=workspace).first() or TicketSettings(workspace=workspace)


def rules_for(workspace: Workspace) -> DeliveryRules:
    """The workspace's working days and holidays (the follow-up's delivery settings)."""
    return DeliveryRules.of(DeliverySettings.objects.filter(workspace=workspace).first())


def _windows(
    start: datetime.datetime, settings: TicketSettings, rules: DeliveryRules
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """The working windows (UTC) from the local day of ``start`` on, in order."""
    zone = _zone(settings.timezone)
    day = start.astimezone(zone).date()
    for _attempt in range(MAX_DAYS):
        if rules.is_working_day(day):
            opens = datetime.datetime.combine(day, settings.day_starts, tzinfo=zone).astimezone(UTC)
            closes = datetime.datetime.combine(day, settings.day_ends, tzinfo=zone).astimezone(UTC)
            if closes > opens:
                yield opens, closes
        day += DAY


def due_at(start: datetime.datetime, settings: TicketSettings, rules: DeliveryRules) -> datetime.datetime:
    """``start`` plus the promise (``settings.promise_hours``) in the workspace's clock."""
    promise = datetime.timedelta(hours=settings.promise_hours)
    start = start.astimezone(UTC)
    if settings.clock != Clock.WORKING_HOURS:
        return start + promise
    left = promise
    for opens, closes in _windows(start, settings, rules):
        if closes <= start:
            continue
        begin = max(opens, start)
        if closes - begin >= left:
            return begin + left
        left -= closes - begin
    return start + promise  # no working window for ten years: fall back to the wall clock


def elapsed(
    start: datetime.datetime, end: datetime.datetime, settings: TicketSettings, rules: DeliveryRules
) -> datetime.timedelta:
    """The time between ``start`` and ``end`` in the workspace's clock (zero when ``end`` is not
    after ``start``)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return ZERO
    if settings.clock != Clock.WORKING_HOURS:
        return end - start
    total = ZERO
    for opens, closes in _windows(start, settings, rules):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        if overlap > ZERO:
            total += overlap
    return total


@dataclass(frozen=True)
class Promise:
    """A workspace's promise, read once: its settings and its working days and holidays."""

    settings: TicketSettings
    rules: DeliveryRules

    @classmethod
    def of(cls, workspace: Workspace) -> "Promise":
        return cls(settings=settings_for(workspace), rules=rules_for(workspace))

    def remaining(self, due_at: datetime.datetime, now: datetime.datetime) -> datetime.timedelta:
        """Time left until ``due_at`` in the workspace's clock; negative once it has passed (by how
        much, in the same clock)."""
        if due_at >= now:
            return elapsed(now, due_at, self.settings, self.rules)
        return -elapsed(due_at, now, self.settings, self.rules)

    def elapsed(self, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
        return elapsed(start, end, self.settings, self.rules)

    def warning_line(self, now: datetime.datetime) -> datetime.datetime:
        """The moment ``warn_before_hours`` from now in the workspace's clock: a ticket due before
        it is breaching soon."""
        window = copy.copy(self.settings)
        window.promise_hours = self.settings.warn_before_hours
        return due_at(now, window, self.rules)

    @property
    def working_hours(self) -> bool:
        return self.settings.clock == Clock.WORKING_HOURS


def hours_text(duration: datetime.timedelta) -> str:
    """A duration as people read it on a clock: "3 h 20 min", "45 min", "2 days 3 h" beyond
    48 h (always positive; the caller says "left" or "overdue")."""
    minutes = int(abs(duration).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return ngettext("%(days)d day %(hours)d h", "%(days)d days %(hours)d h", days) % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def promise_text(settings: TicketSettings) -> str:
    """The promise as a learner reads it: "within 24 hours" / "within 24 working hours"."""
    hours = settings.promise_hours
    if settings.clock == Clock.WORKING_HOURS:
        return ngettext("within %(hours)d working hour", "within %(hours)d working hours", hours) % {"hours": hours}
    return ngettext("within %(hours)d hour", "within %(hours)d hours", hours) % {"hours": hours}
