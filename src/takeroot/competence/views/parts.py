"""The parts of a plan: goals (add, edit, move, remove), planned initiatives and learning time
blocks. Every page here needs ``competence.change_plan`` on the plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import services
from ..forms import BlockForm, GoalForm, PlannedInitiativeEditForm, PlannedInitiativeForm
from ..models import LearningTimeBlock, PlanGoal, PlannedInitiative
from .common import find_plan

CHANGE = "competence.change_plan"


def _back(plan, anchor: str = ""):
    return redirect(plan.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _saved(request, plan, message: str, anchor: str = ""):
    messages.success(request, message)
    return _back(plan, anchor)


# Goals -----------------------------------------------------------------------------------------


@workspace_view("competence.view_plans")
def goal_edit(request, uuid, goal_uuid=None):
    plan = find_plan(request, uuid, CHANGE)
    goal = get_or_404(PlanGoal.objects.filter(plan=plan), uuid=goal_uuid) if goal_uuid else None
    copy = PlanGoal.objects.get(pk=goal.pk) if goal else None
    form = GoalForm(request.POST or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        try:
            if goal:
                services.update_goal(goal=goal, actor=request.user, **form.cleaned_data)
            else:
                services.add_goal(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, plan, _("Goal saved."), "goals")
    return render(request, "competence/part_form.html", {"form": form, "plan": plan, "part": goal, "kind": "goal"})


@require_POST
@workspace_view("competence.view_plans")
def goal_move(request, uuid, goal_uuid):
    plan = find_plan(request, uuid, CHANGE)
    goal = get_or_404(PlanGoal.objects.filter(plan=plan), uuid=goal_uuid)
    goals = list(plan.goals.all())
    index = [g.pk for g in goals].index(goal.pk)
    position = index - 1 if request.POST.get("direction") == "up" else index + 1
    services.move_goal(goal=goal, actor=request.user, position=max(position, 0))
    return _saved(request, plan, _("Goal moved."), "goals")


@workspace_view("competence.view_plans")
def goal_delete(request, uuid, goal_uuid):
    plan = find_plan(request, uuid, CHANGE)
    goal = get_or_404(PlanGoal.objects.filter(plan=plan), uuid=goal_uuid)
    if request.method == "POST":
        services.remove_goal(goal=goal, actor=request.user)
        return _saved(request, plan, _("Goal removed."), "goals")
    note = _("The initiatives planned for this goal leave the plan too; the catalogue keeps them.")
    return render(request, "competence/confirm_delete.html", {"object": goal, "plan": plan, "note": note})


# Planned initiatives ---------------------------------------------------------------------------


@workspace_view("competence.view_plans")
def item_add(request, uuid):
    plan = find_plan(request, uuid, CHANGE)
    goal_uuid = request.GET.get("goal", "")
    initial = {"goal": next((g for g in plan.goals.all() if str(g.uuid) == goal_uuid), None)}
    form = PlannedInitiativeForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = {"title": data["new_title"], "kind": data["new_kind"] or "workshop"} if data["new_title"] else None
        try:
            services.add_planned_initiative(
                plan=plan,
                actor=request.user,
                goal=data["goal"],
                initiative=data["initiative"],
                new_initiative=new,
                status=data["status"],
                planned_hours=data["planned_hours"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, plan, _("Initiative planned."), "goals")
    return render(request, "competence/part_form.html", {"form": form, "plan": plan, "part": None, "kind": "item"})


@workspace_view("competence.view_plans")
def item_edit(request, uuid, item_uuid):
    plan = find_plan(request, uuid, CHANGE)
    item = get_or_404(PlannedInitiative.objects.filter(plan=plan).select_related("initiative", "plan"), uuid=item_uuid)
    copy = PlannedInitiative.objects.select_related("plan", "initiative").get(pk=item.pk)
    form = PlannedInitiativeEditForm(request.POST or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_planned_initiative(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, plan, _("Planned initiative saved."), "goals")
    return render(request, "competence/part_form.html", {"form": form, "plan": plan, "part": item, "kind": "item"})


@workspace_view("competence.view_plans")
def item_delete(request, uuid, item_uuid):
    plan = find_plan(request, uuid, CHANGE)
    item = get_or_404(PlannedInitiative.objects.filter(plan=plan).select_related("initiative"), uuid=item_uuid)
    if request.method == "POST":
        services.remove_planned_initiative(item=item, actor=request.user)
        return _saved(request, plan, _("Initiative taken out of the plan."), "goals")
    note = _("The initiative stays in the catalogue.")
    return render(request, "competence/confirm_delete.html", {"object": item, "plan": plan, "note": note})


# Learning time blocks --------------------------------------------------------------------------


@workspace_view("competence.view_plans")
def block_edit(request, uuid, block_uuid=None):
    plan = find_plan(request, uuid, CHANGE)
    block = get_or_404(LearningTimeBlock.objects.filter(plan=plan), uuid=block_uuid) if block_uuid else None
    copy = LearningTimeBlock.objects.get(pk=block.pk) if block else None
    form = BlockForm(request.POST or None, instance=copy, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            if block:
                services.update_block(block=block, actor=request.user, **form.cleaned_data)
            else:
                services.add_block(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, plan, _("Learning time saved."), "learning-time")
    return render(request, "competence/part_form.html", {"form": form, "plan": plan, "part": block, "kind": "block"})


@workspace_view("competence.view_plans")
def block_delete(request, uuid, block_uuid):
    plan = find_plan(request, uuid, CHANGE)
    block = get_or_404(LearningTimeBlock.objects.filter(plan=plan), uuid=block_uuid)
    if request.method == "POST":
        services.remove_block(block=block, actor=request.user)
        return _saved(request, plan, _("Learning time removed."), "learning-time")
    note = _("It disappears from the team members' calendars.")
    return render(request, "competence/confirm_delete.html", {"object": block, "plan": plan, "note": note})
