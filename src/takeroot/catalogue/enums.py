from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeKind(models.TextChoices):
    STUDY_DAY = "study_day", _("Internal study day")
    CONFERENCE = "conference", _("Conference")
    ONLINE_COURSE = "online_course", _("Online course")
    EXTERNAL_COURSE = "external_course", _("External course")
    HIRED_EXPERT = "hired_expert", _("Hired expert")
    STUDY_TRIP = "study_trip", _("Study trip")
    BOOK_CIRCLE = "book_circle", _("Book circle")
    WORKSHOP = "workshop", _("Workshop")
    MENTORING = "mentoring", _("Mentoring programme")
    COACHING = "coaching", _("Coaching")
    OTHER = "other", _("Other")
