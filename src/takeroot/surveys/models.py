"""Instruments (questionnaires), surveys that send one to people, and the answers.

An ``Instrument`` is a questionnaire, workspace-wide or for one programme, with its questions'
text per language in ``content`` (like quiz questions). A ``Survey`` sends an instrument to
``Recipient``s (a cohort, the raters of one person for a 360°, or anyone named) with an anonymity
mode, a closing date and reminders. A ``Response`` holds one set of answers.

Anonymity is kept by what is *not* stored:
- named: ``Response.person`` is set.
- confidential: ``Response.person`` is empty; ``Recipient.has_answered`` says only that the person
  answered (to stop reminders). Nothing records when they answered.
- anonymous: ``Response.person`` is empty and ``Recipient.has_answered`` stays false; a person
  answers once through a single-use ``Ballot`` whose digest names no one.
A response keeps its rater group, team and the week it came in (never a time of day), so results
can be broken down without pointing at a person (``results`` applies the thresholds).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, WorkspaceOwned
from takeroot.programmes.models import Cohort, Module, Programme

from .enums import Anonymity, InstrumentKind, Measure, RaterGroup, SurveyQuestionKind, SurveyState

DEFAULT_MIN_RESPONSES = 5
LOWEST_MIN_RESPONSES = 3
DEFAULT_MIN_COMMENTS = 8


def text_in(content: dict, language: str) -> dict:
    """``content[language]``, else English, else any language it has."""
    for code in (language, "en", *content):
        if content.get(code):
            return content[code]
    return {}


class SurveySettings(WorkspaceOwned):
    """A workspace's anonymity thresholds. A workspace without a row uses the defaults."""

    min_responses = models.PositiveSmallIntegerField(
        _("fewest responses a result is shown for"),
        default=DEFAULT_MIN_RESPONSES,
        validators=[MinValueValidator(LOWEST_MIN_RESPONSES), MaxValueValidator(50)],
    )
    min_comments = models.PositiveSmallIntegerField(
        _("fewest responses free-text comments are shown for"),
        default=DEFAULT_MIN_COMMENTS,
        validators=[MinValueValidator(LOWEST_MIN_RESPONSES), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("survey settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="one_survey_settings_per_workspace"),
            models.CheckConstraint(
                condition=models.Q(min_responses__gte=LOWEST_MIN_RESPONSES), name="survey_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=models.Q(min_comments__gte=models.F("min_responses")),
                name="comment_threshold_not_below_results",
            ),
        ]

    def __str__(self) -> str:
        return str(_("survey settings"))


class Instrument(WorkspaceOwned):
    """A questionnaire. ``template`` names the ready template it was made from ("" if none)."""

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="instruments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind, default=InstrumentKind.CUSTOM)
    template = models.CharField(max_length=40, blank=True)
    # {"en": {"title": "...", "introduction": "..."}, "pl": {...}}
    content = models.JSONField(_("content"), default=dict)
    anonymity = models.CharField(_("anonymity"), max_length=12, choices=Anonymity, default=Anonymity.CONFIDENTIAL)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        ordering = ["archived", "-created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return text_in(self.content, get_language() or "en").get("title") or str(self.get_kind_display())


class SurveyQuestion(WorkspaceOwned):
    """One question of an instrument.

    ``content`` per language: ``prompt``; ``options`` (single and multiple choice); ``rows`` (the
    statements of a matrix, rated on ``scale_points``); ``low`` and ``high`` (the labels of a
    scale's ends)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=SurveyQuestionKind)
    content = models.JSONField(_("content"), default=dict)
    # A matrix's scale (5 or 7 points of agreement or frequency).
    scale_points = models.PositiveSmallIntegerField(
        _("points on the scale"), default=5, validators=[MinValueValidator(5), MaxValueValidator(7)]
    )
    required = models.BooleanField(_("an answer is required"), default=False)
    measure = models.CharField(_("what it measures"), max_length=30, choices=Measure, blank=True, default="")
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # 360° and behaviour follow-ups: the rater groups that see the question (empty: everyone).
    rater_groups = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("survey question")
        ordering = ["instrument", "position", "id"]

    def __str__(self) -> str:
        return text_in(self.content, get_language() or "en").get("prompt", "")


class Survey(WorkspaceOwned):
    """An instrument sent to people. ``cohort`` for a cohort's survey; ``subject`` for a 360° or a
    behaviour follow-up about one person; ``step`` when the follow-up engine sends it."""

    instrument = models.ForeignKey(Instrument, on_delete=models.RESTRICT, related_name="surveys")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys")
    subject = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys_about", verbose_name=_("about")
    )
    step = models.ForeignKey("followup.Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    anonymity = models.CharField(_("anonymity"), max_length=12, choices=Anonymity, default=Anonymity.CONFIDENTIAL)
    state = models.CharField(_("state"), max_length=10, choices=SurveyState, default=SurveyState.DRAFT)
    closes_at = models.DateTimeField(_("closes at"))
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind those who have not answered every (days)"),
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "cohort"], condition=models.Q(step__isnull=False), name="one_survey_per_step_and_cohort"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Recipient(WorkspaceOwned):
    """A person asked to answer a survey, in a rater group.

    ``has_answered`` is kept for named and confidential surveys only (to stop reminders);
    ``ballot_issued`` for anonymous ones (the person has been given their single ballot)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    rater_group = models.CharField(_("rater group"), max_length=12, choices=RaterGroup, default=RaterGroup.PARTICIPANT)
    has_answered = models.BooleanField(default=False)
    ballot_issued = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey recipient")
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_survey_invitation_per_person")]

    def __str__(self) -> str:
        return str(self.person)


class Ballot(WorkspaceOwned):
    """A single-use right to answer an anonymous survey. Only a digest of the secret is stored, and
    nothing says whose it is."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="ballots")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")

    def __str__(self) -> str:
        return self.digest[:8]


class Response(WorkspaceOwned):
    """One person's answers. ``person`` only for named surveys; ``week`` (the Monday of the week it
    came in) instead of a time, so the order of arrival cannot be matched to the recipients."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rater_group = models.CharField(_("rater group"), max_length=12, choices=RaterGroup, default=RaterGroup.PARTICIPANT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    week = models.DateField()

    class Meta:
        verbose_name = _("survey response")
        # Not by id: arrival order must not be readable from listings of confidential surveys.
        ordering = ["survey", "uuid"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], condition=models.Q(person__isnull=False), name="one_named_response"
            )
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class SurveyAnswer(WorkspaceOwned):
    """One answer: ``number`` for a scale and a single choice (the option's index), ``choices``
    for a multiple choice, ``row`` and ``number`` for each row of a matrix, ``text`` for free
    text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    row = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "row"], name="one_answer_per_row"),
            models.UniqueConstraint(
                fields=["response", "question"], condition=models.Q(row__isnull=True), name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.number if self.number is not None else self.text[:40]}"
