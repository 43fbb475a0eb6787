from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssignmentState(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("practice task state", "Not started")
    SUBMITTED = "submitted", pgettext_lazy("practice task state", "Waiting for review")
    NEEDS_MORE_WORK = "needs_more_work", pgettext_lazy("practice task state", "Needs more work")
    COMPLETED = "completed", pgettext_lazy("practice task state", "Completed")


class ReviewRole(models.TextChoices):
    TRAINER = "trainer", pgettext_lazy("practice reviewer", "Trainer")
    SUPERVISOR = "supervisor", pgettext_lazy("practice reviewer", "Supervisor")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_MORE_WORK = "needs_more_work", _("Needs more work")
