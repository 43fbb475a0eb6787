from django.db import models
from django.utils.translation import gettext_lazy as _


class RetrospectiveState(models.TextChoices):
    OPEN = "open", _("Open for ratings")
    CLOSED = "closed", _("Closed")


class StuckLevel(models.IntegerChoices):
    """How well an initiative stuck, from the rater's point of view; higher is better."""

    FORGOTTEN = 0, _("Forgotten")
    REMEMBERED = 1, _("Remembered")
    CHANGED_MY_WORK = 2, _("Changed how I work")
    CHANGED_OUR_WORK = 3, _("Changed how we work")


class WhyTag(models.TextChoices):
    """Why an initiative stuck or was forgotten: the factors the report compares."""

    REAL_NEED = "real_need", _("A real need or problem")
    MEMORABLE_DELIVERY = "memorable_delivery", _("Memorable delivery")
    DISCUSSION = "discussion", _("Discussion that turned ideas into practice")
    PRACTICE_TASKS = "practice_tasks", _("Concrete practice tasks")
    MANAGER_FOLLOW_UP = "manager_follow_up", _("Manager follow-up")
    PEER_SUPPORT = "peer_support", _("Peer support")
    OTHER = "other", _("Other")


class RaterGroup(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership group")
    PARTICIPANT = "participant", _("Participant")
