from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    NUMERIC = "numeric", _("Numeric answer")


# Kinds whose options are listed (and so can be answered from a mail with one click per option).
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


class Difficulty(models.TextChoices):
    EASY = "easy", pgettext_lazy("question difficulty", "Easy")
    MEDIUM = "medium", pgettext_lazy("question difficulty", "Medium")
    HARD = "hard", pgettext_lazy("question difficulty", "Hard")


class Confidence(models.TextChoices):
    SURE = "sure", _("Sure")
    THINK_SO = "think_so", _("I think so")
    GUESSING = "guessing", _("Guessing")


class AnswerChannel(models.TextChoices):
    MAIL = "mail", _("From a mail")
    WEB = "web", _("On the web")
    API = "api", _("Through the API")


class FitOutcome(models.TextChoices):
    APPLIED = "applied", _("Fitted and applied")
    TOO_FEW = "too_few", _("Not enough reviews")
    UNAVAILABLE = "unavailable", _("Optimizer not installed")
    FAILED = "failed", pgettext_lazy("parameter fit", "Failed")
