from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WinSource(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("Goal reached")
    MARKED = "marked", _("Marked as a win")


class Sharing(models.TextChoices):
    PENDING = "pending", pgettext_lazy("win sharing", "Not decided yet")
    SHARED = "shared", pgettext_lazy("win sharing", "Shared")
    PRIVATE = "private", pgettext_lazy("win sharing", "Private")


class ReactionKind(models.TextChoices):
    APPLAUSE = "applause", _("Applause")
    INSPIRING = "inspiring", _("Inspiring")
    CONGRATS = "congrats", _("Congratulations")


# Shown beside the text label, never instead of it.
REACTION_EMOJI = {ReactionKind.APPLAUSE: "👏", ReactionKind.INSPIRING: "💡", ReactionKind.CONGRATS: "🎉"}


class DigestState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("wins digest state", "Draft")
    SENT = "sent", pgettext_lazy("wins digest state", "Sent")
