from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeFormat(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom workshop")
    LIVE_ONLINE = "live_online", _("Live online")
    SELF_PACED = "self_paced", _("Self-paced e-learning")
    BLENDED = "blended", _("Blended")
    MENTOR_LED = "mentor_led", _("Mentor-led")
    EXTERNAL = "external", _("External course or conference")


class EnrolmentStatus(models.TextChoices):
    # A context of their own: "Active" about taking part reads differently from an active account.
    INVITED = "invited", pgettext_lazy("enrolment status", "Invited")
    ACTIVE = "active", pgettext_lazy("enrolment status", "Active")
    COMPLETED = "completed", pgettext_lazy("enrolment status", "Completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment status", "Withdrawn")


class Pace(models.TextChoices):
    TOO_SLOW = "too_slow", _("Too slow")
    RIGHT = "right", _("About right")
    TOO_FAST = "too_fast", _("Too fast")


class ContentMatch(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Not at all")
    LITTLE = 2, _("A little")
    PARTLY = 3, _("Partly")
    MOSTLY = 4, _("Mostly")
    FULLY = 5, _("Fully")
