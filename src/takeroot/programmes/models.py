"""Programmes (a designed training and its follow-up), their modules and goals; cohorts (one run),
their sessions, enrolments, agreed goals and midpoint review.

Every row belongs to a workspace and uses the scoped manager from core.
"""

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, WorkspaceOwned

from .enums import ContentMatch, EnrolmentStatus, Pace, ProgrammeFormat

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0"), "validators": [MinValueValidator(0)]}
HOURS = {"max_digits": 7, "decimal_places": 2, "default": Decimal("0"), "validators": [MinValueValidator(0)]}


class Programme(WorkspaceOwned):
    """A designed training with its follow-up, and the cost model that ROI uses later."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=ProgrammeFormat, default=ProgrammeFormat.CLASSROOM)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$")],
        help_text=_("Three-letter code, e.g. PLN, SEK, CNY, EUR."),
    )
    price_per_participant = models.DecimalField(_("price per participant"), **MONEY)
    trainer_hourly_rate = models.DecimalField(_("trainer hourly rate"), **MONEY)
    trainer_hours = models.DecimalField(_("planned trainer hours"), **HOURS)
    mentor_hourly_rate = models.DecimalField(_("mentor hourly rate"), **MONEY)
    mentor_hours = models.DecimalField(_("planned mentor hours per participant"), **HOURS)
    fixed_costs = models.DecimalField(_("fixed costs"), **MONEY)
    participant_hours = models.DecimalField(
        _("participant hours"), **HOURS, help_text=_("Working time each participant spends in the training.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeGoal(WorkspaceOwned):
    """What the programme should change, optionally tied to a team's or the organisation's goal."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("goal"), max_length=500)
    organisation_goal = models.CharField(_("organisation or team goal it serves"), max_length=500, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("programme goal")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Module(WorkspaceOwned):
    """A module or stage of a programme, in order, with its learning objectives."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("module")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class LearningObjective(WorkspaceOwned):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("learning objective"), max_length=500)

    class Meta:
        verbose_name = _("learning objective")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Cohort(WorkspaceOwned):
    """One run of a programme, with its dates, people and sessions."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    midpoint_on = models.DateField(
        _("midpoint review on"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the day halfway between start and end."),
    )
    trainers = models.ManyToManyField(Person, verbose_name=_("trainers"), blank=True, related_name="cohorts_trained")
    mentors = models.ManyToManyField(Person, verbose_name=_("mentors"), blank=True, related_name="cohorts_mentored")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"

    @property
    def midpoint(self) -> datetime.date:
        return self.midpoint_on or self.starts_on + (self.ends_on - self.starts_on) / 2


class Session(WorkspaceOwned):
    """A meeting of the cohort: in a place, online, or both. Exported as a calendar event."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    # Calendar programs replace an event when the same UID arrives with a higher SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("session")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(WorkspaceOwned):
    """A participant in a cohort, with the manager at the time and the accommodations they need."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus, default=EnrolmentStatus.INVITED)
    manager = models.ForeignKey(
        Person,
        verbose_name=_("line manager at enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentor = models.ForeignKey(
        Person, verbose_name=_("mentor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    needs_sign_language = models.BooleanField(_("sign-language interpreter"), default=False)
    needs_captions = models.BooleanField(_("captions"), default=False)
    needs_screen_reader = models.BooleanField(_("screen-reader-friendly material"), default=False)
    needs_extra_time = models.BooleanField(_("extra time"), default=False)
    accommodation_notes = models.TextField(_("other accommodations"), blank=True)

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["person__user__name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_unique_in_cohort")]

    def __str__(self) -> str:
        return f"{self.person} · {self.cohort}"

    @property
    def accommodations(self) -> list[str]:
        flags = ["needs_sign_language", "needs_captions", "needs_screen_reader", "needs_extra_time"]
        found = [str(self._meta.get_field(flag).verbose_name) for flag in flags if getattr(self, flag)]
        if self.accommodation_notes:
            found.append(self.accommodation_notes)
        return found


class CohortGoal(WorkspaceOwned):
    """A goal for the cohort, proposed by a participant, a manager or a trainer and confirmed by others."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    proposed_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort goal")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class MidpointReview(WorkspaceOwned):
    """The mid-way check: does the content match the work, is the pace right, and what changes."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="review")
    opened_at = models.DateTimeField(auto_now_add=True)
    decision = models.TextField(_("decision for the rest of the cohort"), blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("midpoint review")

    def __str__(self) -> str:
        return str(self.cohort)


class ReviewAnswer(WorkspaceOwned):
    review = models.ForeignKey(MidpointReview, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    as_manager = models.BooleanField(default=False)
    content_match = models.PositiveSmallIntegerField(_("does the content match the work?"), choices=ContentMatch)
    pace = models.CharField(_("is the pace right?"), max_length=10, choices=Pace)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review answer")
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="review_answer_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.review}"


class EnrolmentImport(WorkspaceOwned):
    """An uploaded list of participants for a cohort, validated and waiting for confirmation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    notices = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
