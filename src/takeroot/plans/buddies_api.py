"""The accountability buddy over JSON: who it is, the goals' progress and the cheers.

Choosing a buddy and cheering are a person's own acts: a signed-in session, never an API key.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES

from . import buddies
from .api import goal_out
from .models import ActionPlan, Cheer
from .queries import buddy_plans, cheers_of, goal_series, plans_for_user, plans_for_workspace
from .schemas import BuddyIn, BuddyOut, CheeredPlanOut, CheerIn, CheerOut, GoalProgressOut

router = Router(tags=["action plans"])
API_KEY_SCOPES.update({"plans.view_goals": "action-plans:read"})


def _plan(request, plan_id: UUID, perm: str) -> ActionPlan:
    """A plan the caller sees (their own ones, as the buddy too), else 404; then the rule (403)."""
    workspace = api_workspace(request)
    found = plans_for_workspace(workspace).filter(uuid=plan_id)
    if not is_api_key(request):
        mine = plans_for_user(request.user, workspace=workspace).values("pk")
        cheered = buddy_plans(membership(request.user, workspace)).values("pk")
        found = found.filter(Q(pk__in=mine) | Q(pk__in=cheered))
    plan = found.select_related("buddy__user").first()
    if plan is None:
        raise Http404
    require_api_perm(request, perm, plan)
    return plan


def _buddy_out(plan: ActionPlan) -> dict:
    buddy = plan.buddy
    return {"buddy": {"id": buddy.uuid, "name": buddy.user.name} if buddy else None}


def _goals_out(plan: ActionPlan) -> list[dict]:
    goals = plan.goals.select_related("objective").prefetch_related("values__check_in")
    return [
        goal_out(goal) | {"values": [{"goal": goal.uuid, "value": value} for _when, value in goal_series(goal)]}
        for goal in goals
    ]


def _cheer_out(cheer: Cheer) -> dict:
    return {
        "id": cheer.uuid,
        "goal": cheer.goal.uuid if cheer.goal else None,
        "author": cheer.author.user.name if cheer.author else None,
        "comment": cheer.comment,
        "created_at": cheer.created_at,
    }


@router.get("action-plans/{plan_id}/buddy", response={200: BuddyOut, **READ_ERRORS}, summary="Read the buddy")
def read_buddy(request, plan_id: UUID):
    return _buddy_out(_plan(request, plan_id, "plans.view_goals"))


@router.put(
    "action-plans/{plan_id}/buddy",
    response={200: BuddyOut, **WRITE_ERRORS},
    summary="Choose the buddy (the participant, signed in)",
)
def choose_buddy(request, plan_id: UUID, payload: BuddyIn):
    plan = _plan(request, plan_id, "plans.choose_buddy")
    person = None
    if payload.person is not None:
        person = Person.objects.filter(workspace=plan.workspace, uuid=payload.person).first()
        if person is None:
            raise ValidationError({"person": _("No such person in this workspace.")})
    buddies.choose_buddy(plan=plan, actor=api_actor(request), buddy=person)
    return _buddy_out(ActionPlan.objects.select_related("buddy__user").get(pk=plan.pk))


@router.get(
    "action-plans/{plan_id}/goal-progress",
    response={200: list[GoalProgressOut], **READ_ERRORS},
    summary="Read the goals and their check-in values (what the buddy sees)",
)
def goal_progress(request, plan_id: UUID):
    return _goals_out(_plan(request, plan_id, "plans.view_goals"))


@router.get("action-plans/{plan_id}/cheers", response={200: list[CheerOut], **READ_ERRORS}, summary="Read cheers")
def list_cheers(request, plan_id: UUID):
    return [_cheer_out(cheer) for cheer in cheers_of(_plan(request, plan_id, "plans.view_goals"))]


@router.post(
    "action-plans/{plan_id}/cheers",
    response={201: CheerOut, **WRITE_ERRORS},
    summary="Cheer the participant on (the buddy, signed in)",
)
def add_cheer(request, plan_id: UUID, payload: CheerIn):
    plan = _plan(request, plan_id, "plans.cheer")
    goal = None
    if payload.goal is not None:
        goal = plan.goals.filter(uuid=payload.goal).first()
        if goal is None:
            raise ValidationError({"goal": _("That goal is not in this plan.")})
    cheer = buddies.cheer(
        plan=plan,
        actor=api_actor(request),
        author=membership(request.user, plan.workspace),
        goal=goal,
        comment=payload.comment,
    )
    return Status(201, _cheer_out(cheer))


@router.get(
    "action-plans-cheered",
    response={200: list[CheeredPlanOut], **READ_ERRORS},
    summary="The plans the signed-in person follows as the buddy",
)
def list_cheered(request):
    workspace = api_workspace(request)
    require_api_perm(request, "plans.view_plans", workspace)
    me = membership(request.user, workspace) if request.user.is_authenticated else None
    return [
        {
            "id": plan.uuid,
            "participant": plan.enrolment.person.user.name,
            "programme": plan.enrolment.cohort.programme.name,
            "goals": _goals_out(plan),
        }
        for plan in buddy_plans(me)
    ]
