"""Every write to practice tasks. Each state change of an assignment is one function; each records
its audit entry (report texts and review comments are not copied into the audit log).

Callers check the rules first (``practice.manage_task``, ``practice.submit_report`` …); the
services check that the assignment is in a state that allows the change and that the input makes
sense. Assignment states: not started → submitted → needs more work → submitted … → completed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User
from takeroot.core.services import apply_changes, record_audit
from takeroot.programmes.models import Cohort, Enrolment, Module

from .enums import AssignmentState, ReviewRole, Verdict
from .files import check_files
from .models import (
    CohortPracticeSettings,
    PracticeAssignment,
    PracticeAttachment,
    PracticeReport,
    PracticeReview,
    PracticeTask,
)
from .queries import OPEN, assignable_enrolments, trainer_alone

TASK_FIELDS = ("title", "instructions", "due_on", "module")


def _audit(obj, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


# Settings and tasks ----------------------------------------------------------------------------


@transaction.atomic
def save_practice_settings(*, cohort: Cohort, actor: User | None, trainer_alone: bool) -> CohortPracticeSettings:
    """Say whether the trainer's acceptance alone completes the cohort's practice tasks.

    Side effects: the settings row, an audit entry when it changed."""
    settings, _created = CohortPracticeSettings.objects.get_or_create(cohort=cohort, workspace_id=cohort.workspace_id)
    changed = apply_changes(settings, {"trainer_alone": bool(trainer_alone)})
    if changed:
        settings.save()
        _audit(settings, actor, AuditAction.CHANGED, changed)
    return settings


def _check_task(task: PracticeTask, *, new_due: bool) -> None:
    errors = {}
    task.title = (task.title or "").strip()
    task.instructions = (task.instructions or "").strip()
    if not task.title:
        errors["title"] = _("Give the task a title.")
    if not task.instructions:
        errors["instructions"] = _("Say what to do at work and what the report should contain.")
    if task.due_on is None:
        errors["due_on"] = _("Choose the day it is due.")
    elif new_due and task.due_on < timezone.localdate():
        errors["due_on"] = _("The due date is in the past: choose today or a later day.")
    if task.module is not None and task.module.programme_id != task.cohort.programme_id:
        errors["module"] = _("Choose a module of this cohort's programme.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_task(
    *,
    cohort: Cohort,
    actor: User | None,
    created_by: Person | None,
    title: str,
    instructions: str,
    due_on: datetime.date | None,
    module: Module | None = None,
) -> PracticeTask:
    """Create a practice task for the cohort (a trainer of it or an admin); assign it separately.

    Side effects: an audit entry."""
    task = PracticeTask(
        workspace_id=cohort.workspace_id,
        cohort=cohort,
        title=title,
        instructions=instructions,
        due_on=due_on,
        module=module,
        created_by=created_by,
    )
    _check_task(task, new_due=True)
    task.save()
    _audit(task, actor, AuditAction.CREATED)
    return task


@transaction.atomic
def update_task(*, task: PracticeTask, actor: User | None, **fields) -> dict:
    """Change the title, instructions, due date or module. Side effects: an audit entry."""
    changed = apply_changes(task, {k: v for k, v in fields.items() if k in TASK_FIELDS})
    _check_task(task, new_due="due_on" in changed)
    task.save()
    if changed:
        _audit(task, actor, AuditAction.CHANGED, {k: v for k, v in changed.items() if k != "instructions"})
    return changed


@transaction.atomic
def assign_task(
    *,
    task: PracticeTask,
    actor: User | None,
    assigned_by: Person | None,
    enrolments: list[Enrolment] | None = None,
    notify: bool = True,
) -> list[PracticeAssignment]:
    """Assign the task to chosen people of its cohort, or (``enrolments=None``) to everyone
    enrolled who has not withdrawn. People who already have it are left as they are.

    Side effects: one assignment, audit entry and (unless ``notify`` is off, as in the demo) mail
    ("practice_assigned") per new person. Returns the new assignments."""
    allowed = {e.pk: e for e in assignable_enrolments(task.cohort)}
    if enrolments is None:
        chosen = list(allowed.values())
    else:
        if not enrolments:
            raise ValidationError({"enrolments": _("Choose at least one person.")})
        if any(e.pk not in allowed for e in enrolments):
            raise ValidationError({"enrolments": _("Choose people enrolled in this cohort.")})
        chosen = [allowed[e.pk] for e in enrolments]
    already = set(task.assignments.values_list("enrolment_id", flat=True))
    created = []
    for enrolment in chosen:
        if enrolment.pk in already:
            continue
        assignment = PracticeAssignment.objects.create(
            workspace_id=task.workspace_id, task=task, enrolment=enrolment, assigned_by=assigned_by
        )
        _audit(assignment, actor, AuditAction.CREATED)
        if notify:
            _notify_assigned(assignment)
        created.append(assignment)
    return created


def _notify_assigned(assignment: PracticeAssignment) -> None:
    task, enrolment = assignment.task, assignment.enrolment
    queue_mail(
        recipient=enrolment.person.user,
        template="practice_assigned",
        context={
            "task": task.title,
            "cohort": task.cohort.name,
            "due_on": task.due_on.isoformat(),
            "path": assignment.get_absolute_url(),
        },
        workspace=task.workspace,
    )


# The participant's report ----------------------------------------------------------------------


def _set_state(assignment: PracticeAssignment, actor: User | None, state: str, **stamps) -> None:
    before = assignment.state
    assignment.state = state
    for name, value in stamps.items():
        setattr(assignment, name, value)
    assignment.save(update_fields=["state", *stamps])
    _audit(assignment, actor, AuditAction.CHANGED, {"state": (before, state)})


@transaction.atomic
def submit_report(
    *, assignment: PracticeAssignment, actor: User | None, author: Person | None, text: str, files=()
) -> PracticeReport:
    """The participant submits a report (text and up to five files), first or after "needs more
    work"; earlier versions stay. Every file is checked before anything is saved.

    Side effects: a report version, its files in the default storage, the state, an audit entry.
    No mail: reviewers see it in their digest and on their "to review" list."""
    if assignment.state not in OPEN:
        raise ValidationError(_("A report can be submitted before the first review or after “needs more work”."))
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write what you did and what happened.")
    try:
        checked = check_files(list(files))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    version = (assignment.reports.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    report = PracticeReport.objects.create(
        workspace_id=assignment.workspace_id,
        assignment=assignment,
        version=version,
        text=text,
        submitted_by=author,
        submitted_at=now,
    )
    stored = []
    try:
        for upload, content_type in checked:
            attachment = PracticeAttachment(
                workspace_id=assignment.workspace_id,
                report=report,
                name=upload.name.rsplit("/", 1)[-1][:255],
                content_type=content_type,
                size=upload.size,
            )
            attachment.file.save(upload.name, upload, save=False)
            stored.append(attachment.file)
            attachment.save()
    except Exception:
        for file in stored:  # the rows roll back; the stored files must go too
            file.storage.delete(file.name)
        raise
    _audit(report, actor, AuditAction.CREATED)
    _set_state(assignment, actor, AssignmentState.SUBMITTED, submitted_at=now)
    return report


# Reviews ---------------------------------------------------------------------------------------


def latest_report(assignment: PracticeAssignment) -> PracticeReport | None:
    return assignment.reports.order_by("-version").first()


def needs_supervisor(assignment: PracticeAssignment) -> bool:
    """Whether the supervisor's acceptance is needed: not when the cohort is set to the trainer
    alone, nor when the participant has no supervisor."""
    return assignment.supervisor is not None and not trainer_alone(assignment.task.cohort)


def _record_review(assignment, actor, reviewer, role: str, verdict: str, comment: str) -> PracticeReview:
    if assignment.state != AssignmentState.SUBMITTED:
        raise ValidationError(_("Only a report waiting for review can be reviewed."))
    if role not in ReviewRole.values:
        raise ValidationError({"role": _("Choose whether you review as the trainer or the supervisor.")})
    report = latest_report(assignment)
    if report.reviews.filter(role=role).exists():
        raise ValidationError(_("This version has already been reviewed in that role."))
    # One person holding both roles (an admin who is also the supervisor) still gives one verdict.
    if reviewer is not None and report.reviews.filter(reviewer=reviewer).exists():
        raise ValidationError(_("You have already reviewed this version."))
    review = PracticeReview.objects.create(
        workspace_id=assignment.workspace_id,
        report=report,
        reviewer=reviewer,
        role=role,
        verdict=verdict,
        comment=(comment or "").strip(),
    )
    _audit(review, actor, AuditAction.CREATED, {"verdict": (None, verdict)})
    return review


@transaction.atomic
def accept_report(
    *, assignment: PracticeAssignment, actor: User | None, reviewer: Person | None, role: str, comment: str = ""
) -> PracticeReview:
    """Accept the latest report as the trainer or the supervisor. The task is completed when the
    trainer has accepted and so has the supervisor — unless the cohort is set to the trainer alone
    or the participant has no supervisor.

    Side effects: a review, the state (completed) when that was the last acceptance needed, audit
    entries."""
    review = _record_review(assignment, actor, reviewer, role, Verdict.ACCEPTED, comment)
    accepted = set(review.report.reviews.filter(verdict=Verdict.ACCEPTED).values_list("role", flat=True))
    needed = {ReviewRole.TRAINER, ReviewRole.SUPERVISOR} if needs_supervisor(assignment) else {ReviewRole.TRAINER}
    if needed <= accepted:
        _set_state(assignment, actor, AssignmentState.COMPLETED, completed_at=timezone.now())
    return review


@transaction.atomic
def request_more_work(
    *, assignment: PracticeAssignment, actor: User | None, reviewer: Person | None, role: str, comment: str
) -> PracticeReview:
    """Send the report back to the participant with a comment saying what is missing, as the
    trainer or the supervisor.

    Side effects: a review, the state (needs more work), audit entries."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what is missing before you ask for more work.")})
    review = _record_review(assignment, actor, reviewer, role, Verdict.NEEDS_MORE_WORK, comment)
    _set_state(assignment, actor, AssignmentState.NEEDS_MORE_WORK)
    return review


def review_report(*, verdict: str, **kwargs) -> PracticeReview:
    """Accept or ask for more work, by the verdict."""
    if verdict == Verdict.ACCEPTED:
        return accept_report(**kwargs)
    if verdict == Verdict.NEEDS_MORE_WORK:
        return request_more_work(**kwargs)
    raise ValidationError({"verdict": _("Choose a verdict.")})
