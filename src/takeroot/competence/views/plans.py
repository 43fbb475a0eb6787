"""The plans: a list per year, one plan's page with its progress, the plan form, the calendar file,
the organisation roll-up for admins, and the home panel for team members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors, require_perm, workspace_view

from .. import services
from ..calendar import plan_calendar
from ..forms import PlanForm
from ..models import FIRST_YEAR, LAST_YEAR, CompetencePlan
from ..phrases import describe_block
from ..queries import (
    blocks_this_week,
    organisation_rollup,
    plan_detail,
    plan_progress,
    plans_for_user,
    plans_for_workspace,
    plans_progress,
    teams_for_new_plans,
)
from .common import find_plan

ICS = "text/calendar; charset=utf-8"


def _year(request) -> int:
    year = request.GET.get("year", "")
    if year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR:
        return int(year)
    return timezone.localdate().year


@workspace_view("competence.view_plans")
def plan_list(request):
    """The plans this person may see for a year, with their progress at a glance."""
    year = _year(request)
    visible = plans_for_user(request.user, workspace=request.workspace).filter(year=year).values("pk")
    rows = plans_progress(list(plan_detail(request.workspace).filter(pk__in=visible).order_by("team__name")))
    years = set(plans_for_user(request.user, workspace=request.workspace).values_list("year", flat=True))
    years |= {year, timezone.localdate().year}
    return render(
        request,
        "competence/plan_list.html",
        {
            "year": year,
            "years": sorted(years, reverse=True),
            "rows": rows,
            "can_create": request.user.has_perm("competence.create_plan", request.workspace),
            "can_rollup": request.user.has_perm("competence.view_rollup", request.workspace),
        },
    )


@workspace_view("competence.create_plan")
def plan_create(request):
    teams = teams_for_new_plans(request.user, workspace=request.workspace)
    initial = {"year": _year(request), "timezone": request.user.timezone}
    form = PlanForm(request.POST or None, initial=initial, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require_perm(request, "competence.plan_for_team", data["team"])
        try:
            plan = _create(request, data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan created."))
            return redirect("competence:plan_detail", plan.uuid)
    return render(request, "competence/plan_form.html", {"form": form, "plan": None})


@transaction.atomic
def _create(request, data) -> CompetencePlan:
    previous = None
    if data.get("copy_previous"):
        previous = plans_for_workspace(request.workspace).filter(team=data["team"], year=data["year"] - 1).first()
    if previous is not None:
        plan = services.copy_plan(source=previous, actor=request.user, year=data["year"])
        services.update_plan(
            plan=plan, actor=request.user, timezone=data["timezone"], summary=data["summary"] or plan.summary
        )
        return plan
    return services.create_plan(
        workspace=request.workspace,
        actor=request.user,
        team=data["team"],
        year=data["year"],
        timezone=data["timezone"],
        summary=data["summary"],
    )


@workspace_view("competence.view_plans")
def plan_detail_page(request, uuid):
    plan = find_plan(request, uuid)
    progress = plan_progress(plan)
    blocks = [(block, describe_block(block)) for block in plan.blocks.all()]
    return render(
        request,
        "competence/plan_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "blocks": blocks,
            "can_change": request.user.has_perm("competence.change_plan", plan),
            "can_view_catalogue": request.user.has_perm("catalogue.view_catalogue", request.workspace),
            "goal_count": len(progress.goals),
        },
    )


@workspace_view("competence.view_plans")
def plan_edit(request, uuid):
    plan = find_plan(request, uuid, "competence.change_plan")
    copy = CompetencePlan.objects.select_related("team").get(pk=plan.pk)
    form = PlanForm(request.POST or None, instance=copy, teams=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("competence:plan_detail", plan.uuid)
    return render(request, "competence/plan_form.html", {"form": form, "plan": plan})


@workspace_view("competence.view_plans")
def plan_delete(request, uuid):
    plan = find_plan(request, uuid, "competence.change_plan")
    if request.method == "POST":
        services.delete_plan(plan=plan, actor=request.user)
        messages.success(request, _("Plan deleted."))
        return redirect(f"{reverse('competence:plan_list')}?year={plan.year}")
    return render(request, "competence/confirm_delete.html", {"object": plan, "plan": plan, "back": plan})


@workspace_view("competence.view_plans")
def plan_ics(request, uuid):
    plan = find_plan(request, uuid)
    response = HttpResponse(plan_calendar(plan), content_type=ICS)
    filename = f"{slugify(str(plan)) or 'plan'}.ics"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@workspace_view("competence.view_rollup")
def rollup(request):
    """Every team's plan for a year side by side, with the organisation's totals."""
    year = _year(request)
    years = set(plans_for_workspace(request.workspace).values_list("year", flat=True)) | {year}
    return render(
        request,
        "competence/rollup.html",
        {"rollup": organisation_rollup(request.workspace, year), "year": year, "years": sorted(years, reverse=True)},
    )


def home_panel(request):
    """For a team member: the team's learning time this week and the goals of this year's plan."""
    me = request.person
    if me is None or me.team_id is None:
        return None
    today = timezone.localdate()
    plan = plan_detail(request.workspace).filter(team_id=me.team_id, year=today.year).first()
    if plan is None or not request.user.has_perm("competence.view_plan", plan):
        return None
    week = [(day, block, describe_block(block)) for day, block in blocks_this_week(plan, today)]
    return "competence/_home_panel.html", {"plan": plan, "week": week, "goals": list(plan.goals.all())}
