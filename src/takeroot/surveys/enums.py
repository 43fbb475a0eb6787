from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyQuestionKind(models.TextChoices):
    LIKERT_5 = "likert5", _("Agreement, 5 points")
    LIKERT_7 = "likert7", _("Agreement, 7 points")
    SCALE_10 = "scale10", _("Scale from 0 to 10")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")
    MATRIX = "matrix", _("Matrix (several statements on one scale)")


# Kinds answered with one number each (a matrix: one number per row).
SCALE_KINDS = (SurveyQuestionKind.LIKERT_5, SurveyQuestionKind.LIKERT_7, SurveyQuestionKind.SCALE_10)
POINTS = {SurveyQuestionKind.LIKERT_5: 5, SurveyQuestionKind.LIKERT_7: 7}


class InstrumentKind(models.TextChoices):
    REACTION = "reaction", _("Reaction (level 1)")
    BEHAVIOUR = "behaviour", _("Behaviour follow-up (level 3)")
    FEEDBACK_360 = "360", _("360° feedback")
    FEEDBACK_SESSION = "feedback_session", _("Feedback session")
    PULSE = "pulse", _("Mid-training pulse")
    CUSTOM = "custom", pgettext_lazy("instrument kind", "Custom")


class Measure(models.TextChoices):
    """What a question measures, so indicators and the impact chain can find it by meaning."""

    NONE = "", pgettext_lazy("survey measure", "Nothing in particular")
    USEFULNESS = "usefulness", _("Usefulness")
    RELEVANCE = "relevance", _("Relevance")
    TRAINER_EFFECTIVENESS = "trainer_effectiveness", _("Trainer effectiveness")
    CONFIDENCE = "confidence", _("Confidence to apply")
    COMMITMENT = "commitment", _("Commitment to apply")
    RECOMMENDATION = "recommendation", _("Would recommend")
    BEHAVIOUR_FREQUENCY = "behaviour_frequency", _("How often the new behaviour is used")
    PACE = "pace", _("Pace")


class Anonymity(models.TextChoices):
    NAMED = "named", _("Named: the organisation sees who answered what")
    CONFIDENTIAL = "confidential", _("Confidential: only whether someone answered is kept, apart from the answers")
    ANONYMOUS = "anonymous", _("Anonymous: nothing links a person to the survey's answers")


class SurveyState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey state", "Draft")
    OPEN = "open", pgettext_lazy("survey state", "Open")
    CLOSED = "closed", pgettext_lazy("survey state", "Closed")


class RaterGroup(models.TextChoices):
    PARTICIPANT = "participant", _("Participants")
    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    PEER = "peer", _("Peers")
    REPORT = "report", _("Direct reports")
