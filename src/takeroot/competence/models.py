"""The annual competence-development plan of a team: its goals, the initiatives planned for them
(from the initiative catalogue), and learning time reserved as recurring calendar blocks.

Every row belongs to a workspace and uses the scoped manager from core.
"""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from takeroot.catalogue.models import Initiative
from takeroot.core.models import Team, User, WorkspaceOwned, validate_timezone

from .enums import PlannedStatus, Recurrence, Weekday

FIRST_YEAR, LAST_YEAR = 2000, 2100
HOURS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class CompetencePlan(WorkspaceOwned):
    """One team's plan for one calendar year."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="competence_plans")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("Learning time blocks are at these local times, across daylight saving."),
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competence-development plan")
        ordering = ["-year", "team__name"]
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="plan_unique_per_team_and_year")]

    def __str__(self) -> str:
        return f"{self.team} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("competence:plan_detail", args=[self.uuid])

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


class PlanGoal(WorkspaceOwned):
    """What the team wants to be able to do by the end of the year, and how success will show."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("how success shows"), blank=True)

    class Meta:
        verbose_name = _("plan goal")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlannedInitiative(WorkspaceOwned):
    """A catalogue initiative the team plans for one of its goals."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="items")
    goal = models.ForeignKey(PlanGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="items")
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="planned_in"
    )
    status = models.CharField(_("status"), max_length=10, choices=PlannedStatus, default=PlannedStatus.PLANNED)
    planned_hours = models.DecimalField(_("planned hours per person"), null=True, blank=True, **HOURS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("planned initiative")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "initiative"], name="planned_initiative_once_per_plan")]

    def __str__(self) -> str:
        return str(self.initiative)


class LearningTimeBlock(WorkspaceOwned):
    """Time reserved for learning that repeats every one, two or four weeks, at a local time of the
    plan's time zone. It lands in each team member's calendar feed."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="blocks")
    title = models.CharField(_("title"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday, default=Weekday.FRIDAY)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    every_weeks = models.PositiveSmallIntegerField(_("repeats"), choices=Recurrence, default=Recurrence.WEEKLY)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Calendar programs replace an event when the same UID arrives with a higher SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learning time block")
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="block_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="block_last_day_after_first"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> float:
        """The length of one occurrence in hours, by the wall clock."""
        start = datetime.datetime.combine(datetime.date(2000, 1, 3), self.starts_at)
        end = datetime.datetime.combine(datetime.date(2000, 1, 3), self.ends_at)
        return (end - start).total_seconds() / 3600

    def occurrences(self, first: datetime.date | None = None, last: datetime.date | None = None) -> list[datetime.date]:
        """The days it takes place, optionally only those between ``first`` and ``last``."""
        day = self.starts_on + datetime.timedelta(days=(self.weekday - self.starts_on.weekday()) % 7)
        step = datetime.timedelta(weeks=self.every_weeks)
        days = []
        while day <= self.ends_on:
            if (first is None or day >= first) and (last is None or day <= last):
                days.append(day)
            day += step
        return days
