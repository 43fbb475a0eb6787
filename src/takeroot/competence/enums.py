from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlannedStatus(models.TextChoices):
    # A context of their own: "Done" about an initiative in a plan, not a task or an enrolment.
    PLANNED = "planned", pgettext_lazy("planned initiative status", "Planned")
    DONE = "done", pgettext_lazy("planned initiative status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("planned initiative status", "Cancelled")


class Weekday(models.IntegerChoices):
    """Monday is 0, as ``date.weekday()`` counts."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Recurrence(models.IntegerChoices):
    """How many weeks apart a learning time block comes back."""

    WEEKLY = 1, _("Every week")
    FORTNIGHTLY = 2, _("Every two weeks")
    FOUR_WEEKLY = 4, _("Every four weeks")
