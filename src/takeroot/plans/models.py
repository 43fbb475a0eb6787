"""Action plans: what a participant will change at work after a training (goals, measured or
self-rated), the steps to get there (tasks), regular check-ins, and the line manager's review and
feedback. One plan per enrolment; every row is workspace-owned and uses core's scoped manager.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.programmes.models import Enrolment, LearningObjective

from .enums import CheckInStatus, Decision, GoalKind, PlanState

NUMBER = {"max_digits": 14, "decimal_places": 4}


class ActionPlan(WorkspaceOwned):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="action_plan")
    state = models.CharField(_("state"), max_length=12, choices=PlanState, default=PlanState.DRAFT)
    cadence_days = models.PositiveSmallIntegerField(
        _("check in every (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    private_notes = models.TextField(
        _("private notes"), blank=True, help_text=_("Only you see these notes, not your manager or trainer.")
    )
    opened_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    buddy = models.ForeignKey(
        Person,
        verbose_name=_("accountability buddy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_plans",
        help_text=_("A colleague who sees your goals and progress (not your notes or check-ins) and cheers you on."),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return str(self.enrolment)

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.uuid])


class ActionGoal(WorkspaceOwned):
    """What will change at work: a measured number (metric, unit, baseline → target by a
    deadline) or a self-rating from 1 to 10 (baseline → target)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind of goal"), max_length=10, choices=GoalKind, default=GoalKind.NUMERIC)
    title = models.CharField(_("what will change at work"), max_length=300)
    metric = models.CharField(_("measure"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), **NUMBER)
    target = models.DecimalField(_("target"), **NUMBER)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rating(self) -> bool:
        return self.kind == GoalKind.RATING


class ActionTask(WorkspaceOwned):
    """A concrete step with a due date; a manager's "learning on the job" assignment names them."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("step"), max_length=300)
    due_on = models.DateField(_("due on"))
    assigned_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class CheckIn(WorkspaceOwned):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=CheckInStatus, default=CheckInStatus.ON_TRACK)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    changed_work = models.TextField(_("How has it changed your daily work?"), blank=True)
    obstacles = models.TextField(_("What got in the way?"), blank=True)
    support_needed = models.TextField(_("What support do you need?"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("check-in")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.created_at:%Y-%m-%d}"


class CheckInValue(WorkspaceOwned):
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="values")
    goal = models.ForeignKey(ActionGoal, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), **NUMBER)

    class Meta:
        verbose_name = _("check-in value")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["check_in", "goal"], name="check_in_value_once_per_goal")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value}"


class ManagerReview(WorkspaceOwned):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("manager review")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.decision}"


class Feedback(WorkspaceOwned):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="feedback")
    check_in = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("feedback"))
    rating = models.PositiveSmallIntegerField(
        _("progress rating (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.comment[:60]


class Cheer(WorkspaceOwned):
    """The accountability buddy's encouragement: on the plan or one goal, with an optional comment."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="cheers")
    goal = models.ForeignKey(ActionGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="cheers")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cheer")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.comment[:60] or "👏"


class SupportRequest(WorkspaceOwned):
    """Made by a check-in that says what support is needed; the manager or a trainer answers."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="support_requests")
    check_in = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="support_request")
    text = models.TextField(_("support needed"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request for help")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]
