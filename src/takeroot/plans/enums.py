from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("action plan state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("action plan state", "Waiting for review")
    APPROVED = "approved", pgettext_lazy("action plan state", "Approved")
    SENT_BACK = "sent_back", pgettext_lazy("action plan state", "Sent back")


class GoalKind(models.TextChoices):
    NUMERIC = "numeric", _("A measured number")
    RATING = "rating", _("A self-rating from 1 to 10")


class CheckInStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", pgettext_lazy("check-in status", "Done")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


class Trend(models.TextChoices):
    IMPROVING = "improving", _("Improving")
    FLAT = "flat", _("Flat")
    WORSE = "worse", _("Getting worse")
    UNKNOWN = "unknown", _("Not enough check-ins")
