"""The action plan pages: the participant's plans, one plan with its charts, the goal, task,
check-in, review and feedback forms, the manager's team, a cohort's plans for its trainers, the
support requests to answer, and the home panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Cohort, Enrolment
from takeroot.programmes.queries import enrolments_for_person

from .. import services
from ..charts import goal_chart
from ..forms import AnswerForm, CheckInForm, FeedbackForm, GoalForm, PlanForm, ReviewForm, TaskForm
from ..models import ActionGoal, ActionPlan, ActionTask, CheckIn
from ..queries import (
    buddy_plans,
    cheers_of,
    cohort_plans,
    cohorts_trained_by,
    goal_series,
    next_check_in_due,
    objectives_for,
    plans_awaiting_review,
    support_requests_for_user,
    team_plan_rows,
    team_plans,
    trend_of,
)
from .common import find_plan


@workspace_view("plans.view_plans")
def my_plans(request):
    """Each of the person's trainings with its action plan, or a button to open one."""
    rows = []
    if request.person is not None:
        enrolments = list(
            enrolments_for_person(request.person).select_related("action_plan").prefetch_related("action_plan__goals")
        )
        for enrolment in enrolments:
            plan = getattr(enrolment, "action_plan", None)
            rows.append((enrolment, plan, plan is None and request.user.has_perm("plans.open_plan", enrolment)))
    has_team = team_plans(request.user, workspace=request.workspace).exists()
    trained = cohorts_trained_by(request.person) if request.person is not None else []
    cheered = buddy_plans(request.person)
    context = {"rows": rows, "has_team": has_team, "trained": trained, "cheered": cheered}
    return render(request, "plans/my_plans.html", context)


@require_POST
@workspace_view("plans.view_plans")
def plan_open(request, enrolment_uuid):
    enrolment = get_or_404(
        Enrolment.objects.filter(workspace=request.workspace).select_related("person", "cohort"), uuid=enrolment_uuid
    )
    require_perm(request, "plans.open_plan", enrolment)
    try:
        plan = services.open_plan(enrolment=enrolment, actor=request.user, opened_by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:my_plans")
    messages.success(request, _("Action plan opened. Add the goals you will work on."))
    return redirect("plans:plan_detail", plan.uuid)


def _can(request, plan) -> dict:
    return {
        name: request.user.has_perm(f"plans.{name}", plan)
        for name in (
            "change_plan",
            "assign_task",
            "view_private_notes",
            "check_in",
            "review_plan",
            "give_feedback",
            "choose_buddy",
        )
    }


@workspace_view("plans.view_plans")
def plan_detail_page(request, uuid):
    plan = find_plan(request, uuid)
    goals = [(goal, goal_chart(goal), goal_series(goal)) for goal in plan.goals.all()]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "goals": goals,
            "can": _can(request, plan),
            "trend": trend_of(plan),
            "due": next_check_in_due(plan),
            "cheers": cheers_of(plan),
            "feedback_form": FeedbackForm(),
            "review_form": ReviewForm(),
        },
    )


def _form_page(request, plan, form, title: str):
    return render(request, "plans/form.html", {"plan": plan, "form": form, "title": title})


@workspace_view("plans.view_plans")
def plan_edit(request, uuid):
    plan = find_plan(request, uuid, "plans.change_plan")
    copy = ActionPlan.objects.get(pk=plan.pk)
    form = PlanForm(request.POST or None, instance=copy)
    if not request.user.has_perm("plans.view_private_notes", plan):
        del form.fields["private_notes"]
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(plan)
    return _form_page(request, plan, form, _("Plan settings"))


@workspace_view("plans.view_plans")
def goal_edit(request, uuid, goal_uuid=None):
    plan = find_plan(request, uuid, "plans.change_plan")
    goal = get_or_404(plan.goals.all(), uuid=goal_uuid) if goal_uuid else None
    instance = ActionGoal.objects.get(pk=goal.pk) if goal else None
    form = GoalForm(request.POST or None, instance=instance, objectives=objectives_for(plan))
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                services.add_goal(plan=plan, actor=request.user, **form.cleaned_data)
            else:
                services.update_goal(goal=goal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(plan)
    return _form_page(request, plan, form, _("Edit the goal") if goal else _("Add a goal"))


@workspace_view("plans.view_plans")
def goal_delete(request, uuid, goal_uuid):
    plan = find_plan(request, uuid, "plans.change_plan")
    goal = get_or_404(plan.goals.all(), uuid=goal_uuid)
    if request.method == "POST":
        services.remove_goal(goal=goal, actor=request.user)
        messages.success(request, _("Goal removed."))
        return redirect(plan)
    return render(request, "plans/confirm_delete.html", {"object": goal, "plan": plan})


@workspace_view("plans.view_plans")
def task_edit(request, uuid, task_uuid=None):
    plan = find_plan(request, uuid, "plans.assign_task")
    task = get_or_404(plan.tasks.all(), uuid=task_uuid) if task_uuid else None
    instance = ActionTask.objects.get(pk=task.pk) if task else None
    form = TaskForm(request.POST or None, instance=instance, initial={"done": bool(task and task.done_at)})
    if task is None:
        del form.fields["done"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if task is None:
                services.add_task(
                    plan=plan, actor=request.user, author=request.person, title=data["title"], due_on=data["due_on"]
                )
            else:
                services.update_task(task=task, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return redirect(plan)
    return _form_page(request, plan, form, _("Edit the step") if task else _("Add a step"))


@workspace_view("plans.view_plans")
def task_delete(request, uuid, task_uuid):
    plan = find_plan(request, uuid, "plans.assign_task")
    task = get_or_404(plan.tasks.all(), uuid=task_uuid)
    if request.method == "POST":
        services.remove_task(task=task, actor=request.user)
        messages.success(request, _("Step removed."))
        return redirect(plan)
    return render(request, "plans/confirm_delete.html", {"object": task, "plan": plan})


@require_POST
@workspace_view("plans.view_plans")
def plan_submit(request, uuid):
    plan = find_plan(request, uuid, "plans.change_plan")
    try:
        services.submit_plan(plan=plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Plan sent to your manager for review."))
    return redirect(plan)


@workspace_view("plans.view_plans")
def plan_review(request, uuid):
    plan = find_plan(request, uuid, "plans.review_plan")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if request.POST.get("decision") == "approve":
                services.approve_plan(plan=plan, actor=request.user, reviewer=request.person, comment=comment)
                messages.success(request, _("Plan approved."))
            else:
                services.send_back_plan(plan=plan, actor=request.user, reviewer=request.person, comment=comment)
                messages.success(request, _("Plan sent back with your comment."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(plan)
    return render(request, "plans/review.html", {"plan": plan, "form": form})


@workspace_view("plans.view_plans")
def check_in(request, uuid):
    plan = find_plan(request, uuid, "plans.check_in")
    goals = [goal for goal in plan.goals.all() if goal.done_at is None] or list(plan.goals.all())
    form = CheckInForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_check_in(
                plan=plan,
                actor=request.user,
                author=request.person,
                status=data["status"],
                confidence=data["confidence"],
                values=form.values(),
                changed_work=data["changed_work"],
                obstacles=data["obstacles"],
                support_needed=data["support_needed"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Check-in saved. Thank you."))
            return redirect(plan)
    return render(request, "plans/check_in.html", {"plan": plan, "form": form})


@workspace_view("plans.view_plans")
def feedback(request, uuid):
    plan = find_plan(request, uuid, "plans.give_feedback")
    on = request.GET.get("check_in") or request.POST.get("check_in")
    check_in_obj = get_or_404(CheckIn.objects.filter(plan=plan), uuid=on) if on else None
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(
                plan=plan, actor=request.user, author=request.person, check_in=check_in_obj, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Feedback saved."))
            return redirect(plan)
    return render(request, "plans/feedback.html", {"plan": plan, "form": form, "check_in": check_in_obj})


@workspace_view("plans.view_plans")
def team(request):
    """The plans of the people this person line-manages: state, last check-in, trend, gone quiet."""
    rows = team_plan_rows(team_plans(request.user, workspace=request.workspace))
    return render(request, "plans/team.html", {"rows": rows, "title": _("My team's plans"), "cohort": None})


@workspace_view("plans.view_plans")
def cohort(request, cohort_uuid):
    found = get_or_404(Cohort.objects.filter(workspace=request.workspace).select_related("programme"), uuid=cohort_uuid)
    require_perm(request, "plans.view_cohort_plans", found)
    rows = team_plan_rows(cohort_plans(found))
    title = _("Action plans of %(cohort)s") % {"cohort": found}
    return render(request, "plans/team.html", {"rows": rows, "title": title, "cohort": found})


@workspace_view("plans.view_plans")
def support_list(request):
    found = support_requests_for_user(request.user, workspace=request.workspace)
    open_ones = list(found.filter(answered_at__isnull=True))
    answered = list(found.filter(answered_at__isnull=False)[:20])
    return render(request, "plans/support_list.html", {"open": open_ones, "answered": answered})


@workspace_view("plans.view_plans")
def support_answer(request, request_uuid):
    found = get_or_404(support_requests_for_user(request.user, workspace=request.workspace), uuid=request_uuid)
    require_perm(request, "plans.answer_support", found.plan)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_support_request(
                support_request=found, actor=request.user, author=request.person, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Answer sent."))
            return redirect("plans:support_list")
    return render(request, "plans/support_answer.html", {"support": found, "form": form})


def home_panel(request):
    """For a participant: the next check-in due. For a manager: plans awaiting approval and open
    support requests."""
    me = request.person
    if me is None:
        return None
    today = timezone.localdate()
    due = []
    mine = enrolments_for_person(me).select_related("action_plan").prefetch_related("action_plan__check_ins")
    for enrolment in mine:
        plan = getattr(enrolment, "action_plan", None)
        if plan is not None and plan.state in ("approved", "submitted"):
            due.append((plan, next_check_in_due(plan)))
    awaiting = list(plans_awaiting_review(request.user, workspace=request.workspace)[:10])
    requests = support_requests_for_user(request.user, workspace=request.workspace).filter(answered_at__isnull=True)
    open_requests = requests.count()
    if not (due or awaiting or open_requests):
        return None
    return "plans/_home_panel.html", {"due": due, "today": today, "awaiting": awaiting, "open_requests": open_requests}
