"""Periods of whole weeks, the grain of the rollups."""

import datetime
from dataclasses import dataclass

from takeroot.tracking.recording import week_of

WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in dates. Rollups are kept per week (by its Monday, UTC), so a period
    counts the weeks whose Monday falls inside it; ``between`` and ``last_weeks`` make periods
    that start and end on Mondays."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("A period ends after it starts.")

    @classmethod
    def last_weeks(cls, weeks: int, *, today: datetime.date) -> "Period":
        """The ``weeks`` weeks up to and including the current one."""
        end = week_of(today) + WEEK
        return cls(end - weeks * WEEK, end)

    @classmethod
    def between(cls, first: datetime.date, last: datetime.date) -> "Period":
        """The whole weeks from the one ``first`` falls in to the one ``last`` falls in."""
        return cls(week_of(first), week_of(max(first, last)) + WEEK)

    @property
    def weeks(self) -> int:
        """Weeks in the period (a part week counts as one): the ``weeks`` of a formula."""
        return max(1, -(-(self.end - self.start).days // 7))

    def previous(self) -> "Period":
        """The period of the same length just before this one, for the trend."""
        return Period(self.start - (self.end - self.start), self.start)

    def mondays(self) -> list[datetime.date]:
        """The Mondays of the weeks in the period, in order."""
        first = week_of(self.start)
        if first < self.start:
            first += WEEK
        days = (self.end - first).days
        return [first + n * WEEK for n in range(max(0, -(-days // 7)))]

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)
