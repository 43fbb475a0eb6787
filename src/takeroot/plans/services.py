"""Every write to action plans. Each state change is one function; each records its audit entry
(check-ins' own reflections are not copied into the audit log, only that a check-in was made).

Callers check the rules first (``plans.change_plan``, ``plans.review_plan`` …); the services
check that the plan is in a state that allows the change and that the input makes sense.
"""

import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User
from takeroot.core.services import apply_changes, record_audit
from takeroot.programmes.models import Enrolment

from .enums import CheckInStatus, Decision, GoalKind, PlanState
from .models import ActionGoal, ActionPlan, ActionTask, CheckIn, CheckInValue, Feedback, ManagerReview, SupportRequest
from .queries import manages_plan, reached
from .signals import goal_reached, notify_plan_changed

PLAN_FIELDS = ("cadence_days", "private_notes")
GOAL_FIELDS = ("kind", "title", "metric", "unit", "baseline", "target", "deadline", "objective")
TASK_FIELDS = ("title", "due_on")
RATING_MIN, RATING_MAX = 1, 10


def _audit(plan_or_part, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=plan_or_part.workspace, actor=actor, action=action, obj=plan_or_part, changes=changes)


# Plans -----------------------------------------------------------------------------------------


@transaction.atomic
def open_plan(
    *, enrolment: Enrolment, actor: User | None, opened_by: Person | None = None, cadence_days: int = 7
) -> ActionPlan:
    """Open the enrolment's action plan, as a draft. The participant or a trainer of the cohort.

    Side effects: an audit entry."""
    if ActionPlan.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("This training already has an action plan."))
    _check_cadence(cadence_days)
    plan = ActionPlan.objects.create(
        workspace_id=enrolment.workspace_id, enrolment=enrolment, opened_by=opened_by, cadence_days=cadence_days
    )
    _audit(plan, actor, AuditAction.CREATED)
    notify_plan_changed(plan)
    return plan


def _check_cadence(days) -> None:
    if not isinstance(days, int) or not 1 <= days <= 90:
        raise ValidationError({"cadence_days": _("Check in every 1 to 90 days.")})


@transaction.atomic
def update_plan(*, plan: ActionPlan, actor: User | None, **fields) -> dict:
    """Change the check-in cadence or the private notes (the notes are not written to the audit log).

    Side effects: an audit entry when the cadence changed."""
    fields = {k: v for k, v in fields.items() if k in PLAN_FIELDS}
    if "cadence_days" in fields:
        _check_cadence(fields["cadence_days"])
    changed = apply_changes(plan, fields)
    plan.save()
    public = {k: v for k, v in changed.items() if k != "private_notes"}
    if public:
        _audit(plan, actor, AuditAction.CHANGED, public)
    if "cadence_days" in changed:
        notify_plan_changed(plan)
    return changed


@transaction.atomic
def submit_plan(*, plan: ActionPlan, actor: User | None) -> None:
    """Send a draft (or sent-back) plan to the line manager for review. It needs at least one goal.

    Side effects: state, an audit entry."""
    if plan.state not in (PlanState.DRAFT, PlanState.SENT_BACK):
        raise ValidationError(_("Only a draft or a plan sent back can be submitted."))
    if not plan.goals.exists():
        raise ValidationError(_("Add at least one goal before you submit the plan."))
    _set_state(plan, actor, PlanState.SUBMITTED)
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["submitted_at"])


def _set_state(plan: ActionPlan, actor: User | None, state: str) -> None:
    before = plan.state
    plan.state = state
    plan.save(update_fields=["state", "updated_at"])
    _audit(plan, actor, AuditAction.CHANGED, {"state": (before, state)})


@transaction.atomic
def approve_plan(*, plan: ActionPlan, actor: User | None, reviewer: Person | None, comment: str = "") -> ManagerReview:
    """The line manager approves a submitted plan, optionally with a comment.

    Side effects: state, a review row, an audit entry."""
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError(_("Only a plan waiting for review can be approved."))
    _set_state(plan, actor, PlanState.APPROVED)
    return ManagerReview.objects.create(
        workspace_id=plan.workspace_id, plan=plan, reviewer=reviewer, decision=Decision.APPROVED, comment=comment
    )


@transaction.atomic
def send_back_plan(*, plan: ActionPlan, actor: User | None, reviewer: Person | None, comment: str) -> ManagerReview:
    """The line manager sends a submitted plan back with a comment saying what to change.

    Side effects: state, a review row, an audit entry."""
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError(_("Only a plan waiting for review can be sent back."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change before you send the plan back.")})
    _set_state(plan, actor, PlanState.SENT_BACK)
    return ManagerReview.objects.create(
        workspace_id=plan.workspace_id, plan=plan, reviewer=reviewer, decision=Decision.SENT_BACK, comment=comment
    )


# Goals -----------------------------------------------------------------------------------------


def _check_goal(goal: ActionGoal, *, new: bool) -> None:
    errors = {}
    goal.title = (goal.title or "").strip()
    if not goal.title:
        errors["title"] = _("Say what will change at work.")
    if goal.kind == GoalKind.NUMERIC and not (goal.metric or "").strip():
        errors["metric"] = _("Name what you will measure, for example “release lead time”.")
    if goal.baseline is None:
        errors["baseline"] = _("Enter the value today.")
    if goal.target is None:
        errors["target"] = _("Enter the value you aim for.")
    if goal.kind == GoalKind.RATING:
        for name in ("baseline", "target"):
            value = getattr(goal, name)
            if value is not None and (value != int(value) or not RATING_MIN <= value <= RATING_MAX):
                errors[name] = _("Rate from 1 to 10, in whole numbers.")
    if (
        goal.baseline is not None
        and goal.target is not None
        and goal.baseline == goal.target
        and "target" not in errors
    ):
        errors["target"] = _("The target must differ from the baseline: say what will change.")
    if new and goal.deadline and goal.deadline < timezone.localdate():
        errors["deadline"] = _("The deadline is in the past: choose today or a later day.")
    if goal.objective is not None and goal.objective.module.programme_id != goal.plan.enrolment.cohort.programme_id:
        errors["objective"] = _("Choose a learning objective of this training's programme.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_goal(*, plan: ActionPlan, actor: User | None, **fields) -> ActionGoal:
    """Add a measured or self-rated goal. Side effects: an audit entry."""
    goal = ActionGoal(
        workspace_id=plan.workspace_id, plan=plan, **{k: v for k, v in fields.items() if k in GOAL_FIELDS}
    )
    _check_goal(goal, new=True)
    goal.save()
    _audit(goal, actor, AuditAction.CREATED)
    if goal.deadline:
        notify_plan_changed(plan)
    return goal


@transaction.atomic
def update_goal(*, goal: ActionGoal, actor: User | None, **fields) -> dict:
    """Change a goal; a deadline moved into the past is refused. Side effects: an audit entry."""
    changed = apply_changes(goal, {k: v for k, v in fields.items() if k in GOAL_FIELDS})
    _check_goal(goal, new="deadline" in changed)
    goal.save()
    if changed:
        _audit(goal, actor, AuditAction.CHANGED, changed)
    if "deadline" in changed:
        notify_plan_changed(goal.plan)
    return changed


@transaction.atomic
def remove_goal(*, goal: ActionGoal, actor: User | None) -> None:
    """Remove a goal with its check-in values. Side effects: an audit entry."""
    _audit(goal, actor, AuditAction.DELETED)
    if goal.deadline:
        notify_plan_changed(goal.plan)
    goal.delete()


# Tasks -----------------------------------------------------------------------------------------


def _check_task(task: ActionTask, *, new: bool) -> None:
    errors = {}
    task.title = (task.title or "").strip()
    if not task.title:
        errors["title"] = _("Describe the step.")
    if task.due_on is None:
        errors["due_on"] = _("Choose the day it is due.")
    elif new and task.due_on < timezone.localdate():
        errors["due_on"] = _("The due date is in the past: choose today or a later day.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_task(
    *, plan: ActionPlan, actor: User | None, title: str, due_on: datetime.date, author: Person | None = None
) -> ActionTask:
    """Add a step. A step the participant's line manager adds is a "learning on the job"
    assignment and names them; anyone else's (the participant, a trainer, an admin) does not.

    Side effects: an audit entry."""
    assigned_by = author if manages_plan(author, plan) else None
    task = ActionTask(workspace_id=plan.workspace_id, plan=plan, title=title, due_on=due_on, assigned_by=assigned_by)
    _check_task(task, new=True)
    task.save()
    _audit(task, actor, AuditAction.CREATED)
    return task


@transaction.atomic
def update_task(*, task: ActionTask, actor: User | None, done: bool | None = None, **fields) -> dict:
    """Change a step, or mark it done (or not done). Side effects: an audit entry."""
    values = {k: v for k, v in fields.items() if k in TASK_FIELDS}
    if done is not None and done != (task.done_at is not None):
        values["done_at"] = timezone.now() if done else None
    changed = apply_changes(task, values)
    _check_task(task, new="due_on" in changed)
    task.save()
    if changed:
        _audit(task, actor, AuditAction.CHANGED, changed)
    return changed


@transaction.atomic
def remove_task(*, task: ActionTask, actor: User | None) -> None:
    _audit(task, actor, AuditAction.DELETED)
    task.delete()


# Check-ins, feedback, support ------------------------------------------------------------------


def value_field(goal: ActionGoal) -> str:
    """The name under which a check-in form and the API's error answer give a goal's value."""
    return f"goal_{goal.uuid}"


def _parse(goal: ActionGoal, raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({value_field(goal): _("Enter a number, for example 8.5.")})
    if goal.is_rating and (value != int(value) or not RATING_MIN <= value <= RATING_MAX):
        raise ValidationError({value_field(goal): _("Rate from 1 to 10, in whole numbers.")})
    return value


@transaction.atomic
def record_check_in(
    *,
    plan: ActionPlan,
    actor: User | None,
    author: Person | None,
    status: str,
    confidence: int,
    values: dict,
    changed_work: str = "",
    obstacles: str = "",
    support_needed: str = "",
    created_at: datetime.datetime | None = None,
) -> CheckIn:
    """Record the participant's check-in: a value per goal (``values`` maps goal uuid or goal to
    the value; goals left out or blank keep no value), status, confidence 1–5 and the three
    reflections. A goal whose value reaches its target is marked done (and ``goal_reached`` is sent
    after the commit); "support needed" opens a
    support request for the manager or trainer to answer.

    Side effects: the check-in and its values, goals done, a support request, an audit entry."""
    if plan.state not in (PlanState.APPROVED, PlanState.SUBMITTED):
        raise ValidationError(_("Check-ins start once the plan is submitted for review."))
    if status not in CheckInStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not isinstance(confidence, int) or not 1 <= confidence <= 5:
        raise ValidationError({"confidence": _("Choose your confidence from 1 to 5.")})
    goals = {str(goal.uuid): goal for goal in plan.goals.all()}
    parsed, errors = {}, {}
    for key, raw in values.items():
        goal = goals.get(str(getattr(key, "uuid", key)))
        if goal is None:
            raise ValidationError({"values": _("A value names a goal that is not in this plan.")})
        try:
            value = _parse(goal, raw)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if value is not None:
            parsed[goal] = value
    if errors:
        raise ValidationError(errors)
    when = created_at or timezone.now()
    check_in = CheckIn.objects.create(
        workspace_id=plan.workspace_id,
        plan=plan,
        author=author,
        status=status,
        confidence=confidence,
        changed_work=changed_work.strip(),
        obstacles=obstacles.strip(),
        support_needed=support_needed.strip(),
        created_at=when,
    )
    for goal, value in parsed.items():
        CheckInValue.objects.create(workspace_id=plan.workspace_id, check_in=check_in, goal=goal, value=value)
        if goal.done_at is None and reached(goal, value):
            goal.done_at = when
            goal.save(update_fields=["done_at"])
            transaction.on_commit(partial(goal_reached.send, sender=ActionGoal, goal=goal, check_in=check_in))
    if check_in.support_needed:
        SupportRequest.objects.create(
            workspace_id=plan.workspace_id, plan=plan, check_in=check_in, text=check_in.support_needed
        )
    _audit(check_in, actor, AuditAction.CREATED)
    return check_in


@transaction.atomic
def give_feedback(
    *,
    plan: ActionPlan,
    actor: User | None,
    author: Person | None,
    comment: str,
    rating: int | None = None,
    check_in: CheckIn | None = None,
) -> Feedback:
    """A manager's or trainer's feedback on the plan or one check-in, with an optional progress
    rating 1–5. Side effects: an audit entry."""
    errors = {}
    if not (comment or "").strip():
        errors["comment"] = _("Write your feedback.")
    if rating is not None and not 1 <= rating <= 5:
        errors["rating"] = _("Rate progress from 1 to 5.")
    if check_in is not None and check_in.plan_id != plan.pk:
        errors["check_in"] = _("That check-in is not in this plan.")
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        workspace_id=plan.workspace_id,
        plan=plan,
        check_in=check_in,
        author=author,
        comment=comment.strip(),
        rating=rating,
    )
    _audit(feedback, actor, AuditAction.CREATED)
    return feedback


@transaction.atomic
def answer_support_request(
    *, support_request: SupportRequest, actor: User | None, author: Person | None, answer: str
) -> None:
    """Answer a participant's request for support. Side effects: an audit entry."""
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write your answer.")})
    if support_request.answered_at is not None:
        raise ValidationError(_("This request has already been answered."))
    support_request.answer = answer.strip()
    support_request.answered_by = author
    support_request.answered_at = timezone.now()
    support_request.save(update_fields=["answer", "answered_by", "answered_at"])
    _audit(support_request, actor, AuditAction.CHANGED, {"answered_at": (None, support_request.answered_at)})
