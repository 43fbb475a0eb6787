"""Competence-development plans over JSON. Same queries, rules and services as the pages.

Objects named in the path are looked up in the caller's workspace (another workspace's answer
exactly like a missing one: 404); then the rule decides (403). Objects named in a body that are
unknown in the plan answer 400 on that field.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from takeroot.catalogue.queries import initiatives_for_workspace
from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import teams_for_workspace
from takeroot.core.rules import API_KEY_SCOPES

from . import services
from .models import CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative
from .phrases import describe_block
from .queries import organisation_rollup, plan_detail, plan_progress, plans_for_user, plans_for_workspace
from .schemas import (
    BlockIn,
    BlockOut,
    BlockPatch,
    GoalIn,
    GoalOut,
    GoalPatch,
    PlanFilters,
    PlanIn,
    PlannedInitiativeIn,
    PlannedInitiativeOut,
    PlannedInitiativePatch,
    PlanOut,
    PlanPatch,
    PlanSummaryOut,
    RollupFilters,
    RollupOut,
)

router = Router(tags=["competence plans"])

# What an API key may do here.
API_KEY_SCOPES.update(
    {
        "competence.view_plans": "competence-plans:read",
        "competence.view_plan": "competence-plans:read",
        "competence.view_rollup": "competence-plans:read",
        "competence.create_plan": "competence-plans:write",
        "competence.plan_for_team": "competence-plans:write",
        "competence.change_plan": "competence-plans:write",
    }
)


def _plan(request, plan_id: UUID, perm: str) -> CompetencePlan:
    workspace = api_workspace(request)
    plan = plan_detail(workspace).filter(uuid=plan_id).first()
    if plan is None:
        raise Http404
    require_api_perm(request, perm, plan)
    return plan


def _part(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def _plan_out(plan: CompetencePlan) -> dict:
    """A plan with its goals, initiatives, blocks and progress (read again with ``plan_detail``)."""
    plan = plan_detail(plan.workspace).get(pk=plan.pk)
    progress = plan_progress(plan)
    by_goal = {row.goal.pk: row for row in progress.goals}
    return {
        "id": plan.uuid,
        "team": plan.team.uuid,
        "team_name": plan.team.name,
        "year": plan.year,
        "timezone": plan.timezone,
        "summary": plan.summary,
        "goals": [
            {
                "id": goal.uuid,
                "position": goal.position,
                "title": goal.title,
                "description": goal.description,
                "progress": {"planned": by_goal[goal.pk].planned, "done": by_goal[goal.pk].done},
                "initiatives": [_item_out(item, goal) for item in goal.items.all()],
            }
            for goal in plan.goals.all()
        ],
        "blocks": [_block_out(block) for block in plan.blocks.all()],
        "progress": {
            "planned": progress.planned,
            "done": progress.done,
            "members": len(progress.members),
            "hours_reserved_per_member": progress.reserved_per_member,
            "hours_reserved": progress.reserved,
            "hours_used": progress.used,
        },
    }


def _item_out(item: PlannedInitiative, goal: PlanGoal | None = None) -> dict:
    return {
        "id": item.uuid,
        "goal": (goal or item.goal).uuid,
        "initiative": item.initiative.uuid,
        "initiative_title": item.initiative.title,
        "status": item.status,
        "planned_hours": item.planned_hours,
    }


def _block_out(block: LearningTimeBlock) -> dict:
    return {
        "id": block.uuid,
        "title": block.title,
        "weekday": block.weekday,
        "starts_at": block.starts_at,
        "ends_at": block.ends_at,
        "every_weeks": block.every_weeks,
        "starts_on": block.starts_on,
        "ends_on": block.ends_on,
        "sequence": block.sequence,
        "description": describe_block(block),
        "hours_per_member": len(block.occurrences()) * block.hours,
    }


def _goal_field(plan: CompetencePlan, goal_id: UUID) -> PlanGoal:
    goal = plan.goals.filter(uuid=goal_id).first()
    if goal is None:
        raise ValidationError({"goal": [_("There is no such goal in this plan.")]})
    return goal


# Plans -----------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[PlanSummaryOut], **READ_ERRORS},
    summary="List the plans you may see; filter by year or team",
)
@paginate(Pages, page_size=50)
def list_plans(request, filters: Query[PlanFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "competence.view_plans", workspace)
    if request.api_key is not None:
        plans = plans_for_workspace(workspace)
    else:
        plans = plans_for_user(request.user, workspace=workspace)
    if filters.year:
        plans = plans.filter(year=filters.year)
    if filters.team:
        plans = plans.filter(team__uuid=filters.team)
    return plans.order_by("-year", "team__name", "pk")


@router.post("", response={201: PlanOut, **WRITE_ERRORS}, summary="Start a team's plan for a year")
def create_plan(request, payload: PlanIn):
    workspace = api_workspace(request)
    require_api_perm(request, "competence.create_plan", workspace)
    team = teams_for_workspace(workspace).filter(uuid=payload.team).first()
    if team is None:
        raise ValidationError({"team": [_("There is no team with this id in the workspace.")]})
    require_api_perm(request, "competence.plan_for_team", team)
    actor = api_actor(request)
    with transaction.atomic():
        previous = None
        if payload.copy_previous:
            previous = plans_for_workspace(workspace).filter(team=team, year=payload.year - 1).first()
        if previous is not None:
            plan = services.copy_plan(source=previous, actor=actor, year=payload.year)
            services.update_plan(
                plan=plan,
                actor=actor,
                timezone=payload.timezone or plan.timezone,
                summary=payload.summary or plan.summary,
            )
        else:
            plan = services.create_plan(
                workspace=workspace,
                actor=actor,
                team=team,
                year=payload.year,
                timezone=payload.timezone or "",
                summary=payload.summary,
            )
    return Status(201, _plan_out(plan))


@router.get(
    "/rollup",
    response={200: RollupOut, **READ_ERRORS},
    summary="The organisation's roll-up for a year",
)
def get_rollup(request, filters: Query[RollupFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "competence.view_rollup", workspace)
    rollup = organisation_rollup(workspace, filters.year or timezone.localdate().year)
    totals = rollup.totals
    return {
        "year": rollup.year,
        "plans": totals["plans"],
        "goals": totals["goals"],
        "planned": totals["planned"],
        "done": totals["done"],
        "hours_reserved": totals["reserved"],
        "hours_used": totals["used"],
        "teams": [
            {
                "team": row.team.uuid,
                "team_name": row.team.name,
                "plan": row.plan.uuid if row.plan else None,
                "members": row.members,
                "goals": row.goals,
                "planned": row.planned,
                "done": row.done,
                "hours_reserved": row.reserved,
                "hours_used": row.used,
            }
            for row in rollup.rows
        ],
    }


@router.get("/{plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="One plan with its progress")
def get_plan(request, plan_id: UUID):
    return _plan_out(_plan(request, plan_id, "competence.view_plan"))


@router.patch("/{plan_id}", response={200: PlanOut, **WRITE_ERRORS}, summary="Change a plan")
def update_plan(request, plan_id: UUID, payload: PlanPatch):
    plan = _plan(request, plan_id, "competence.change_plan")
    services.update_plan(plan=plan, actor=api_actor(request), **payload.model_dump(exclude_unset=True))
    return _plan_out(plan)


@router.delete("/{plan_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a plan")
def delete_plan(request, plan_id: UUID):
    plan = _plan(request, plan_id, "competence.change_plan")
    services.delete_plan(plan=plan, actor=api_actor(request))
    return Status(204, None)


# Goals -----------------------------------------------------------------------------------------


@router.post("/{plan_id}/goals", response={201: GoalOut, **WRITE_ERRORS}, summary="Add a goal to a plan")
def create_goal(request, plan_id: UUID, payload: GoalIn):
    plan = _plan(request, plan_id, "competence.change_plan")
    goal = services.add_goal(plan=plan, actor=api_actor(request), **payload.model_dump())
    return Status(201, _goal_out(plan, goal))


def _goal_out(plan: CompetencePlan, goal: PlanGoal) -> dict:
    return next(g for g in _plan_out(plan)["goals"] if g["id"] == goal.uuid)


@router.patch("/{plan_id}/goals/{goal_id}", response={200: GoalOut, **WRITE_ERRORS}, summary="Change a goal")
def update_goal(request, plan_id: UUID, goal_id: UUID, payload: GoalPatch):
    plan = _plan(request, plan_id, "competence.change_plan")
    goal = _part(PlanGoal.objects.filter(plan=plan).select_related("plan__workspace"), uuid=goal_id)
    data = payload.model_dump(exclude_unset=True)
    position = data.pop("position", None)
    with transaction.atomic():
        services.update_goal(goal=goal, actor=api_actor(request), **data)
        if position is not None:
            services.move_goal(goal=goal, actor=api_actor(request), position=position)
    return _goal_out(plan, goal)


@router.delete("/{plan_id}/goals/{goal_id}", response={204: None, **WRITE_ERRORS}, summary="Remove a goal")
def delete_goal(request, plan_id: UUID, goal_id: UUID):
    plan = _plan(request, plan_id, "competence.change_plan")
    goal = _part(PlanGoal.objects.filter(plan=plan).select_related("plan__workspace"), uuid=goal_id)
    services.remove_goal(goal=goal, actor=api_actor(request))
    return Status(204, None)


# Planned initiatives ---------------------------------------------------------------------------


@router.post(
    "/{plan_id}/initiatives",
    response={201: PlannedInitiativeOut, **WRITE_ERRORS},
    summary="Plan an initiative for a goal: one of the catalogue or a new one",
)
def create_planned_initiative(request, plan_id: UUID, payload: PlannedInitiativeIn):
    plan = _plan(request, plan_id, "competence.change_plan")
    initiative = None
    if payload.initiative is not None:
        initiative = initiatives_for_workspace(plan.workspace).filter(uuid=payload.initiative).first()
        if initiative is None:
            raise ValidationError({"initiative": [_("There is no such initiative in the catalogue.")]})
    item = services.add_planned_initiative(
        plan=plan,
        actor=api_actor(request),
        goal=_goal_field(plan, payload.goal),
        initiative=initiative,
        new_initiative=payload.new_initiative.model_dump() if payload.new_initiative else None,
        status=payload.status,
        planned_hours=payload.planned_hours,
    )
    return Status(201, _item_out(item))


@router.patch(
    "/{plan_id}/initiatives/{item_id}",
    response={200: PlannedInitiativeOut, **WRITE_ERRORS},
    summary="Change a planned initiative: its goal, status or planned hours",
)
def update_planned_initiative(request, plan_id: UUID, item_id: UUID, payload: PlannedInitiativePatch):
    plan = _plan(request, plan_id, "competence.change_plan")
    item = _part(
        PlannedInitiative.objects.filter(plan=plan).select_related("plan__workspace", "goal", "initiative"),
        uuid=item_id,
    )
    data = payload.model_dump(exclude_unset=True)
    if "goal" in data:
        data["goal"] = _goal_field(plan, data["goal"])
    services.update_planned_initiative(item=item, actor=api_actor(request), **data)
    item.refresh_from_db()  # hours as stored, with two decimals
    return _item_out(item)


@router.delete(
    "/{plan_id}/initiatives/{item_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take an initiative out of the plan (the catalogue keeps it)",
)
def delete_planned_initiative(request, plan_id: UUID, item_id: UUID):
    plan = _plan(request, plan_id, "competence.change_plan")
    item = _part(PlannedInitiative.objects.filter(plan=plan).select_related("plan__workspace"), uuid=item_id)
    services.remove_planned_initiative(item=item, actor=api_actor(request))
    return Status(204, None)


# Learning time blocks --------------------------------------------------------------------------


@router.post(
    "/{plan_id}/blocks",
    response={201: BlockOut, **WRITE_ERRORS},
    summary="Reserve recurring learning time",
)
def create_block(request, plan_id: UUID, payload: BlockIn):
    plan = _plan(request, plan_id, "competence.change_plan")
    block = services.add_block(plan=plan, actor=api_actor(request), **payload.model_dump())
    return Status(201, _block_out(block))


@router.patch(
    "/{plan_id}/blocks/{block_id}",
    response={200: BlockOut, **WRITE_ERRORS},
    summary="Change learning time",
)
def update_block(request, plan_id: UUID, block_id: UUID, payload: BlockPatch):
    plan = _plan(request, plan_id, "competence.change_plan")
    block = _part(LearningTimeBlock.objects.filter(plan=plan).select_related("plan__workspace"), uuid=block_id)
    services.update_block(block=block, actor=api_actor(request), **payload.model_dump(exclude_unset=True))
    return _block_out(block)


@router.delete(
    "/{plan_id}/blocks/{block_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Release learning time",
)
def delete_block(request, plan_id: UUID, block_id: UUID):
    plan = _plan(request, plan_id, "competence.change_plan")
    block = _part(LearningTimeBlock.objects.filter(plan=plan).select_related("plan__workspace"), uuid=block_id)
    services.remove_block(block=block, actor=api_actor(request))
    return Status(204, None)
