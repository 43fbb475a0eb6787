"""The accountability buddy: the participant chooses one; the buddy follows the goals and cheers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors, workspace_view

from .. import buddies
from ..charts import goal_chart
from ..forms import BuddyForm, CheerForm
from ..queries import buddy_candidates, goal_series
from .common import find_plan, find_plan_with_buddy


@workspace_view("plans.view_plans")
def choose(request, uuid):
    plan = find_plan(request, uuid, "plans.choose_buddy")
    form = BuddyForm(request.POST or None, candidates=buddy_candidates(plan), initial={"buddy": plan.buddy})
    if request.method == "POST" and form.is_valid():
        try:
            buddies.choose_buddy(plan=plan, actor=request.user, buddy=form.cleaned_data["buddy"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your buddy was saved."))
            return redirect(plan)
    title = _("Your accountability buddy")
    return render(request, "plans/form.html", {"plan": plan, "form": form, "title": title})


def _buddy_page(request, plan, form: CheerForm | None):
    goals = [(goal, goal_chart(goal), goal_series(goal)) for goal in plan.goals.all()]
    context = {"plan": plan, "goals": goals, "form": form}
    return render(request, "plans/buddy_view.html", context, status=400 if form is not None and form.errors else 200)


@workspace_view("plans.view_plans")
def buddy_view(request, uuid):
    """The goals and their progress, and the cheers: what a buddy sees of someone's plan."""
    plan = find_plan_with_buddy(request, uuid, "plans.view_goals")
    return _buddy_page(request, plan, CheerForm(plan=plan) if request.user.has_perm("plans.cheer", plan) else None)


@workspace_view("plans.view_plans")
def cheer(request, uuid):
    plan = find_plan_with_buddy(request, uuid, "plans.cheer")
    if request.method != "POST":
        return redirect("plans:buddy_view", plan.uuid)
    form = CheerForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            buddies.cheer(plan=plan, actor=request.user, author=request.person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your cheer was sent."))
            return redirect("plans:buddy_view", plan.uuid)
    return _buddy_page(request, plan, form)
