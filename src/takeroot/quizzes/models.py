"""The item bank, each participant's memory of each question, rounds and answers.

A question belongs to a programme (and optionally a module and a learning objective) and holds
its text per language in ``content``. A participant's memory of a question is a ``MemoryState``
(one per enrolment and question, created when the question is first asked) scheduled with FSRS;
a ``QuizRound`` delivers a few questions (from a touchpoint of the follow-up design, or on the
web) and each ``RoundItem`` is answered at most once (``Answer`` is one-to-one with it).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.followup.models import Touchpoint
from takeroot.programmes.models import Enrolment, LearningObjective, Module, Programme

from .enums import AnswerChannel, Confidence, Difficulty, FitOutcome, QuestionKind

DEFAULT_RETENTION = 0.9
DEFAULT_RETIRE_AFTER = 2
DEFAULT_PER_ROUND = 2


class QuizSettings(WorkspaceOwned):
    """How a programme's questions are scheduled. A programme without a row uses the defaults."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="quiz_settings")
    desired_retention = models.FloatField(
        _("desired retention"),
        default=DEFAULT_RETENTION,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text=_("The chance of remembering a question when it comes back: higher asks more often."),
    )
    questions_per_round = models.PositiveSmallIntegerField(
        _("questions per round"), default=DEFAULT_PER_ROUND, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    retire_after = models.PositiveSmallIntegerField(
        _("retire a question after this many right answers in a row"),
        default=DEFAULT_RETIRE_AFTER,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    # FSRS parameters fitted for this programme (pooled over its participants); empty: defaults.
    parameters = models.JSONField(default=list, blank=True)
    fitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("quiz settings")

    def __str__(self) -> str:
        return str(self.programme)


class ParameterFit(WorkspaceOwned):
    """One attempt to fit a programme's FSRS parameters, kept whatever its outcome."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quiz_fits")
    requested_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reviews = models.PositiveIntegerField(_("reviews used"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=FitOutcome)
    parameters = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("parameter fit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.created_at:%Y-%m-%d}"


class Question(WorkspaceOwned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quiz_questions")
    module = models.ForeignKey(
        Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind, default=QuestionKind.SINGLE)
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty, default=Difficulty.MEDIUM)
    # {"en": {"prompt": "...", "explanation": "...", "options": ["...", "..."]}, "pl": {...}}: every
    # language has the same number of options, in the same order.
    content = models.JSONField(_("text"), default=dict)
    # Choice kinds: the indexes of the right options (exactly one unless multiple choice).
    correct = models.JSONField(default=list, blank=True)
    # Numeric kind: the right number and how far an answer may be from it.
    number = models.DecimalField(_("right answer"), max_digits=20, decimal_places=6, null=True, blank=True)
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=6, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quiz question")
        ordering = ["programme", "position", "id"]
        indexes = [models.Index(fields=["programme", "archived_at", "position"], name="quiz_question_bank")]

    def __str__(self) -> str:
        return self.text_for(settings.LANGUAGE_CODE).get("prompt", "")[:80]

    def get_absolute_url(self) -> str:
        return reverse("quizzes:question_edit", args=[self.uuid])

    @property
    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES if self.content.get(code, {}).get("prompt")]

    def language_for(self, language: str) -> str:
        """The language a reader of ``language`` gets: theirs when the question has it, else
        English, else the first it exists in."""
        found = self.languages
        for candidate in (language, settings.LANGUAGE_CODE):
            if candidate in found:
                return candidate
        return found[0] if found else language

    def text_for(self, language: str) -> dict:
        return self.content.get(self.language_for(language), {})

    @property
    def options(self) -> list[str]:
        return self.text_for(settings.LANGUAGE_CODE).get("options", [])


class MemoryState(WorkspaceOwned):
    """What FSRS knows of one participant's memory of one question (``fsrs.Card`` fields)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_states")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="states")
    state = models.PositiveSmallIntegerField(default=1)  # fsrs.State
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveSmallIntegerField(default=0)
    lapses = models.PositiveSmallIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)  # right answers in a row
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("memory state")
        constraints = [models.UniqueConstraint(fields=["enrolment", "question"], name="quiz_state_once")]
        indexes = [models.Index(fields=["enrolment", "retired_at", "due"], name="quiz_state_due")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.question_id}"


class QuizRound(WorkspaceOwned):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_rounds")
    # The touchpoint that mailed it; empty for a round started on the web.
    touchpoint = models.OneToOneField(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="quiz_round"
    )
    number = models.PositiveSmallIntegerField(default=1)  # the enrolment's 1st, 2nd… round
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("quiz round")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enrolment", "created_at"], name="quiz_round_enrolment")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:round", args=[self.uuid])


class RoundItem(WorkspaceOwned):
    round = models.ForeignKey(QuizRound, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="round_items")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("round question")
        ordering = ["round", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "question"], name="quiz_round_item_once")]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.question_id}"


class Answer(WorkspaceOwned):
    """One answer to one round question, recorded once (double clicks and replays find it)."""

    item = models.OneToOneField(RoundItem, on_delete=models.CASCADE, related_name="answer")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # option indexes chosen
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    correct = models.BooleanField()
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence, blank=True)
    channel = models.CharField(max_length=5, choices=AnswerChannel, default=AnswerChannel.WEB)
    answered_at = models.DateTimeField()
    attempt = models.PositiveSmallIntegerField(default=1)  # 1: the first time this person met the question
    rating = models.PositiveSmallIntegerField()  # fsrs.Rating given to the review
    retrievability = models.FloatField(null=True, blank=True)  # predicted recall just before answering
    stability = models.FloatField(null=True, blank=True)  # after the review

    class Meta:
        verbose_name = _("quiz answer")
        ordering = ["answered_at", "id"]
        indexes = [
            models.Index(fields=["question", "answered_at"], name="quiz_answer_question"),
            models.Index(fields=["enrolment", "answered_at"], name="quiz_answer_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.question_id} · {'✓' if self.correct else '✗'}"

    @property
    def confidently_wrong(self) -> bool:
        return not self.correct and self.confidence == Confidence.SURE
