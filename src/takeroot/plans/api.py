"""Action plans over JSON. Same queries, rules and services as the pages.

Objects named in the path are looked up among the plans the caller may see (else 404); then the
rule decides (403). Objects named in a body that are unknown answer 400 on that field.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm
from takeroot.programmes.models import Enrolment

from . import services
from .models import ActionGoal, ActionPlan, CheckIn, SupportRequest
from .queries import (
    gone_quiet,
    last_check_in,
    objectives_for,
    plan_detail,
    plans_for_user,
    plans_for_workspace,
    support_requests_for_user,
    trend_of,
)
from .schemas import (
    AnswerIn,
    CheckInIn,
    CheckInOut,
    FeedbackIn,
    FeedbackOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPatch,
    PlanSummaryOut,
    ReviewIn,
    SupportOut,
    TaskIn,
    TaskOut,
    TaskPatch,
)

router = Router(tags=["action plans"])

# What an API key may do here. Private notes and check-ins are the participant's own: no key.
API_KEY_SCOPES.update(
    {
        "plans.view_plans": "action-plans:read",
        "plans.view_plan": "action-plans:read",
        "plans.view_cohort_plans": "action-plans:read",
        "plans.open_plan": "action-plans:write",
        "plans.change_plan": "action-plans:write",
        "plans.assign_task": "action-plans:write",
        "plans.review_plan": "action-plans:write",
        "plans.give_feedback": "action-plans:write",
        "plans.answer_support": "action-plans:write",
    }
)


def _visible(request, workspace):
    if is_api_key(request):
        return plans_for_workspace(workspace)
    return plans_for_user(request.user, workspace=workspace)


def _plan(request, plan_id: UUID, perm: str = "plans.view_plan") -> ActionPlan:
    workspace = api_workspace(request)
    visible = _visible(request, workspace).values("pk")
    plan = plan_detail(workspace).filter(pk__in=visible, uuid=plan_id).first()
    if plan is None:
        raise Http404
    require_api_perm(request, perm, plan)
    return plan


def _me(request):
    return membership(request.user, api_workspace(request)) if request.user.is_authenticated else None


def _name(person) -> str | None:
    return person.user.name if person is not None else None


def goal_out(goal: ActionGoal) -> dict:
    return {
        "id": goal.uuid,
        "kind": goal.kind,
        "title": goal.title,
        "metric": goal.metric,
        "unit": goal.unit,
        "baseline": goal.baseline,
        "target": goal.target,
        "deadline": goal.deadline,
        "objective": goal.objective.uuid if goal.objective else None,
        "done_at": goal.done_at,
    }


def _task_out(task) -> dict:
    return {
        "id": task.uuid,
        "title": task.title,
        "due_on": task.due_on,
        "assigned_by": _name(task.assigned_by),
        "done_at": task.done_at,
    }


def _check_in_out(check_in: CheckIn, goals: dict) -> dict:
    return {
        "id": check_in.uuid,
        "created_at": check_in.created_at,
        "status": check_in.status,
        "confidence": check_in.confidence,
        "changed_work": check_in.changed_work,
        "obstacles": check_in.obstacles,
        "support_needed": check_in.support_needed,
        "values": [{"goal": goals[v.goal_id], "value": v.value} for v in check_in.values.all() if v.goal_id in goals],
    }


def _summary_out(plan: ActionPlan) -> dict:
    last = last_check_in(plan)
    return {
        "id": plan.uuid,
        "enrolment": plan.enrolment.uuid,
        "participant": plan.enrolment.person.user.name,
        "cohort": plan.enrolment.cohort.uuid,
        "state": plan.state,
        "cadence_days": plan.cadence_days,
        "last_check_in": last.created_at if last else None,
        "trend": trend_of(plan),
        "gone_quiet": gone_quiet(plan),
    }


def _plan_out(request, plan: ActionPlan) -> dict:
    plan = plan_detail(plan.workspace).get(pk=plan.pk)
    goals = {goal.pk: goal.uuid for goal in plan.goals.all()}
    check_ins = {c.pk: c.uuid for c in plan.check_ins.all()}
    own = principal_has_perm(request, "plans.view_private_notes", plan)
    return _summary_out(plan) | {
        "private_notes": plan.private_notes if own else None,
        "goals": [goal_out(goal) for goal in plan.goals.all()],
        "tasks": [_task_out(task) for task in plan.tasks.all()],
        "check_ins": [_check_in_out(c, goals) for c in plan.check_ins.all()],
        "reviews": [
            {"decision": r.decision, "reviewer": _name(r.reviewer), "comment": r.comment, "created_at": r.created_at}
            for r in plan.reviews.all()
        ],
        "feedback": [
            {
                "id": f.uuid,
                "check_in": check_ins.get(f.check_in_id),
                "author": _name(f.author),
                "comment": f.comment,
                "rating": f.rating,
                "created_at": f.created_at,
            }
            for f in plan.feedback.all()
        ],
    }


# Plans -----------------------------------------------------------------------------------------


@router.get(
    "action-plans",
    response={200: list[PlanSummaryOut], **READ_ERRORS},
    summary="List the action plans you may see; filter by state or cohort",
)
@paginate(Pages, page_size=50)
def list_plans(request, filters: Query[PlanFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "plans.view_plans", workspace)
    plans = plan_detail(workspace).filter(pk__in=_visible(request, workspace).values("pk"))
    if filters.state:
        plans = plans.filter(state=filters.state)
    if filters.cohort:
        plans = plans.filter(enrolment__cohort__uuid=filters.cohort)
    return [_summary_out(plan) for plan in plans.order_by("enrolment__person__user__name", "pk")]


@router.post("action-plans", response={201: PlanOut, **WRITE_ERRORS}, summary="Open the action plan of an enrolment")
def create_plan(request, payload: PlanIn):
    workspace = api_workspace(request)
    require_api_perm(request, "plans.view_plans", workspace)
    enrolment = (
        Enrolment.objects.filter(workspace=workspace, uuid=payload.enrolment).select_related("person", "cohort").first()
    )
    if enrolment is None:
        raise ValidationError({"enrolment": [_("There is no enrolment with this id in the workspace.")]})
    require_api_perm(request, "plans.open_plan", enrolment)
    plan = services.open_plan(
        enrolment=enrolment, actor=api_actor(request), opened_by=_me(request), cadence_days=payload.cadence_days
    )
    return Status(201, _plan_out(request, plan))


@router.get("action-plans/{plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="Read an action plan")
def read_plan(request, plan_id: UUID):
    return _plan_out(request, _plan(request, plan_id))


@router.patch(
    "action-plans/{plan_id}",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Change the check-in cadence or (participant only) the private notes",
)
def update_plan(request, plan_id: UUID, payload: PlanPatch):
    plan = _plan(request, plan_id, "plans.change_plan")
    fields = payload.dict(exclude_unset=True)
    if "private_notes" in fields:
        require_api_perm(request, "plans.view_private_notes", plan)
    services.update_plan(plan=plan, actor=api_actor(request), **fields)
    return _plan_out(request, plan)


@router.post("action-plans/{plan_id}/submit", response={200: PlanOut, **WRITE_ERRORS}, summary="Submit for review")
def submit_plan(request, plan_id: UUID):
    plan = _plan(request, plan_id, "plans.change_plan")
    services.submit_plan(plan=plan, actor=api_actor(request))
    return _plan_out(request, plan)


@router.post(
    "action-plans/{plan_id}/review",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Approve the plan, or send it back with a comment (line manager)",
)
def review_plan(request, plan_id: UUID, payload: ReviewIn):
    plan = _plan(request, plan_id, "plans.review_plan")
    decide = services.approve_plan if payload.decision == "approve" else services.send_back_plan
    decide(plan=plan, actor=api_actor(request), reviewer=_me(request), comment=payload.comment)
    return _plan_out(request, plan)


# Goals and tasks -------------------------------------------------------------------------------


def _objective(plan: ActionPlan, objective_id):
    if objective_id is None:
        return None
    found = objectives_for(plan).filter(uuid=objective_id).first()
    if found is None:
        raise ValidationError({"objective": [_("There is no such learning objective in this training's programme.")]})
    return found


def _part(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@router.post("action-plans/{plan_id}/goals", response={201: GoalOut, **WRITE_ERRORS}, summary="Add a goal")
def add_goal(request, plan_id: UUID, payload: GoalIn):
    plan = _plan(request, plan_id, "plans.change_plan")
    fields = payload.dict() | {"objective": _objective(plan, payload.objective)}
    goal = services.add_goal(plan=plan, actor=api_actor(request), **fields)
    return Status(201, goal_out(goal))


@router.patch(
    "action-plans/{plan_id}/goals/{goal_id}", response={200: GoalOut, **WRITE_ERRORS}, summary="Change a goal"
)
def update_goal(request, plan_id: UUID, goal_id: UUID, payload: GoalPatch):
    plan = _plan(request, plan_id, "plans.change_plan")
    goal = _part(ActionGoal.objects.filter(plan=plan).select_related("objective"), uuid=goal_id)
    fields = payload.dict(exclude_unset=True)
    if "objective" in fields:
        fields["objective"] = _objective(plan, fields["objective"])
    services.update_goal(goal=goal, actor=api_actor(request), **fields)
    return goal_out(goal)


@router.delete("action-plans/{plan_id}/goals/{goal_id}", response={204: None, **WRITE_ERRORS}, summary="Remove a goal")
def remove_goal(request, plan_id: UUID, goal_id: UUID):
    plan = _plan(request, plan_id, "plans.change_plan")
    services.remove_goal(goal=_part(ActionGoal.objects.filter(plan=plan), uuid=goal_id), actor=api_actor(request))
    return Status(204, None)


@router.post("action-plans/{plan_id}/tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="Add a step")
def add_task(request, plan_id: UUID, payload: TaskIn):
    plan = _plan(request, plan_id, "plans.assign_task")
    task = services.add_task(
        plan=plan, actor=api_actor(request), author=_me(request), title=payload.title, due_on=payload.due_on
    )
    return Status(201, _task_out(task))


@router.patch(
    "action-plans/{plan_id}/tasks/{task_id}", response={200: TaskOut, **WRITE_ERRORS}, summary="Change a step"
)
def update_task(request, plan_id: UUID, task_id: UUID, payload: TaskPatch):
    plan = _plan(request, plan_id, "plans.assign_task")
    task = _part(plan.tasks.all(), uuid=task_id)
    services.update_task(task=task, actor=api_actor(request), **payload.dict(exclude_unset=True))
    return _task_out(task)


@router.delete("action-plans/{plan_id}/tasks/{task_id}", response={204: None, **WRITE_ERRORS}, summary="Remove a step")
def remove_task(request, plan_id: UUID, task_id: UUID):
    plan = _plan(request, plan_id, "plans.assign_task")
    services.remove_task(task=_part(plan.tasks.all(), uuid=task_id), actor=api_actor(request))
    return Status(204, None)


# Check-ins, feedback, support ------------------------------------------------------------------


@router.get(
    "action-plans/{plan_id}/check-ins",
    response={200: list[CheckInOut], **READ_ERRORS},
    summary="The plan's check-ins, newest first",
)
def list_check_ins(request, plan_id: UUID):
    plan = _plan(request, plan_id)
    goals = {goal.pk: goal.uuid for goal in plan.goals.all()}
    return [_check_in_out(c, goals) for c in plan.check_ins.all()]


@router.post(
    "action-plans/{plan_id}/check-ins",
    response={201: CheckInOut, **WRITE_ERRORS},
    summary="Record a check-in (the participant)",
)
def record_check_in(request, plan_id: UUID, payload: CheckInIn):
    plan = _plan(request, plan_id, "plans.check_in")
    check_in = services.record_check_in(
        plan=plan,
        actor=api_actor(request),
        author=_me(request),
        status=payload.status,
        confidence=payload.confidence,
        values={str(goal): value for goal, value in payload.values.items()},
        changed_work=payload.changed_work,
        obstacles=payload.obstacles,
        support_needed=payload.support_needed,
    )
    goals = {goal.pk: goal.uuid for goal in plan.goals.all()}
    return Status(201, _check_in_out(CheckIn.objects.prefetch_related("values").get(pk=check_in.pk), goals))


@router.post(
    "action-plans/{plan_id}/feedback",
    response={201: FeedbackOut, **WRITE_ERRORS},
    summary="Give feedback on the plan or one check-in (line manager or trainer)",
)
def give_feedback(request, plan_id: UUID, payload: FeedbackIn):
    plan = _plan(request, plan_id, "plans.give_feedback")
    check_in = None
    if payload.check_in is not None:
        check_in = plan.check_ins.filter(uuid=payload.check_in).first()
        if check_in is None:
            raise ValidationError({"check_in": [_("That check-in is not in this plan.")]})
    note = services.give_feedback(
        plan=plan,
        actor=api_actor(request),
        author=_me(request),
        comment=payload.comment,
        rating=payload.rating,
        check_in=check_in,
    )
    return Status(
        201,
        {
            "id": note.uuid,
            "check_in": check_in.uuid if check_in else None,
            "author": _name(note.author),
            "comment": note.comment,
            "rating": note.rating,
            "created_at": note.created_at,
        },
    )


def _support_out(item: SupportRequest) -> dict:
    return {
        "id": item.uuid,
        "plan": item.plan.uuid,
        "participant": item.plan.enrolment.person.user.name,
        "text": item.text,
        "answer": item.answer,
        "answered_by": _name(item.answered_by),
        "answered_at": item.answered_at,
        "created_at": item.created_at,
    }


def _support_requests(request, workspace):
    if is_api_key(request):
        return SupportRequest.objects.filter(workspace=workspace).select_related(
            "plan__enrolment__person__user", "answered_by__user"
        )
    return support_requests_for_user(request.user, workspace=workspace)


@router.get(
    "action-plans-support",
    response={200: list[SupportOut], **READ_ERRORS},
    summary="Support requests you may answer; ?open=true for the unanswered ones",
)
@paginate(Pages, page_size=50)
def list_support_requests(request, open: bool = False):
    workspace = api_workspace(request)
    require_api_perm(request, "plans.view_plans", workspace)
    found = _support_requests(request, workspace)
    if open:
        found = found.filter(answered_at__isnull=True)
    return [_support_out(item) for item in found.order_by("-created_at", "-pk")]


@router.post(
    "action-plans-support/{request_id}/answer",
    response={200: SupportOut, **WRITE_ERRORS},
    summary="Answer a support request (line manager or trainer)",
)
def answer_support_request(request, request_id: UUID, payload: AnswerIn):
    workspace = api_workspace(request)
    item = _part(_support_requests(request, workspace), uuid=request_id)
    require_api_perm(request, "plans.answer_support", item.plan)
    services.answer_support_request(
        support_request=item, actor=api_actor(request), author=_me(request), answer=payload.answer
    )
    return _support_out(item)
