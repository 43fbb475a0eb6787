"""Practice tasks tied to real work: a trainer assigns a task to a cohort or chosen people, each
participant submits a report (text and files, in versions), and the trainer and the participant's
supervisor review it. Every row is workspace-owned and uses core's scoped manager.
"""

import uuid
from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.programmes.models import Cohort, Enrolment, Module

from .enums import AssignmentState, ReviewRole, Verdict


class CohortPracticeSettings(WorkspaceOwned):
    """How a cohort's practice reports are reviewed."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="practice_settings")
    trainer_alone = models.BooleanField(
        _("the trainer's acceptance completes a task"),
        default=False,
        help_text=_("When off, the participant's supervisor must accept the report too."),
    )

    class Meta:
        verbose_name = _("practice settings")

    def __str__(self) -> str:
        return str(self.cohort)


class PracticeTask(WorkspaceOwned):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="practice_tasks")
    title = models.CharField(_("title"), max_length=300)
    instructions = models.TextField(_("instructions"))
    due_on = models.DateField(_("due on"))
    module = models.ForeignKey(
        Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practice task")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practice:task_detail", args=[self.uuid])


class PracticeAssignment(WorkspaceOwned):
    """A task for one enrolled person, from not started to completed."""

    task = models.ForeignKey(PracticeTask, on_delete=models.CASCADE, related_name="assignments")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="practice_assignments")
    state = models.CharField(
        _("state"), max_length=20, choices=AssignmentState, default=AssignmentState.NOT_STARTED, db_index=True
    )
    assigned_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("practice assignment")
        ordering = ["task__due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "enrolment"], name="practice_assignment_once")]

    def __str__(self) -> str:
        return f"{self.task} · {self.enrolment.person}"

    def get_absolute_url(self) -> str:
        return reverse("practice:assignment_detail", args=[self.uuid])

    @property
    def supervisor(self) -> Person | None:
        """The line manager named on the enrolment, else the person's manager now."""
        return self.enrolment.manager or self.enrolment.person.manager


class PracticeReport(WorkspaceOwned):
    """One version of the participant's report; a resubmission adds a version, never replaces one."""

    assignment = models.ForeignKey(PracticeAssignment, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveSmallIntegerField()
    text = models.TextField(_("report"))
    submitted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("practice report")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["assignment", "version"], name="practice_report_version_once")]

    def __str__(self) -> str:
        return f"{self.assignment} v{self.version}"


def attachment_path(instance: "PracticeAttachment", filename: str) -> str:
    # The stored name carries no part of the uploaded name but its (checked) extension.
    return f"practice/{instance.workspace.uuid}/{instance.report.uuid}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class PracticeAttachment(WorkspaceOwned):
    report = models.ForeignKey(PracticeReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practice:attachment", args=[self.uuid])


class PracticeReview(WorkspaceOwned):
    report = models.ForeignKey(PracticeReport, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(_("reviewing as"), max_length=12, choices=ReviewRole)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice review")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "role"], name="practice_review_once_per_role")]

    def __str__(self) -> str:
        return f"{self.report}: {self.role} {self.verdict}"
