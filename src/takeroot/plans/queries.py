"""Reads that the plan pages, the API and the home panel share."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, LearningObjective

from .enums import PlanState, Trend
from .models import ActionGoal, ActionPlan, CheckIn, Cheer, SupportRequest


def plans_for_workspace(workspace: Workspace) -> QuerySet[ActionPlan]:
    """Every plan of the workspace, before any role rule: to tell 403 (here) from 404 (elsewhere)."""
    return ActionPlan.objects.filter(workspace=workspace).select_related(
        "enrolment__person__user", "enrolment__cohort__programme", "enrolment__manager", "workspace"
    )


def _visible(me: Person) -> Q:
    return (
        Q(enrolment__person=me)
        | Q(enrolment__manager=me)
        | Q(enrolment__person__manager=me)
        | Q(enrolment__cohort__trainers=me)
    )


def plans_for_user(user: User, *, workspace: Workspace) -> QuerySet[ActionPlan]:
    """Plans this person may open: their own; those of the people they line-manage (the manager
    named on the enrolment or the person's manager now); those of the cohorts they train; admins all."""
    me = membership(user, workspace)
    plans = plans_for_workspace(workspace)
    if me is None:
        return plans.none()
    if me.is_admin:
        return plans
    return plans.filter(pk__in=ActionPlan.objects.filter(_visible(me)).values("pk"))


def plan_detail(workspace: Workspace) -> QuerySet[ActionPlan]:
    """Plans with goals (and their values), tasks, check-ins, reviews and feedback."""
    check_ins = CheckIn.objects.select_related("author__user", "support_request").prefetch_related(
        "values", "feedback__author__user"
    )
    return plans_for_workspace(workspace).prefetch_related(
        Prefetch("goals", queryset=ActionGoal.objects.select_related("objective").prefetch_related("values__check_in")),
        "tasks__assigned_by__user",
        Prefetch("check_ins", queryset=check_ins),
        "reviews__reviewer__user",
        "feedback__author__user",
    )


def manages_plan(person: Person | None, plan: ActionPlan) -> bool:
    enrolment = plan.enrolment
    return bool(person) and person.pk in {enrolment.manager_id, enrolment.person.manager_id}


# Progress --------------------------------------------------------------------------------------


def goal_series(goal: ActionGoal) -> list[tuple[datetime.datetime, Decimal]]:
    """The goal's check-in values, oldest first."""
    return sorted(((v.check_in.created_at, v.value) for v in goal.values.all()), key=lambda pair: pair[0])


def progress_share(goal: ActionGoal, value: Decimal) -> float:
    """How far a value is from the baseline toward the target: 0 at the baseline, 1 at the target."""
    span = goal.target - goal.baseline
    return float((value - goal.baseline) / span) if span else 0.0


def reached(goal: ActionGoal, value: Decimal) -> bool:
    return value >= goal.target if goal.target > goal.baseline else value <= goal.target


def trend_of(plan: ActionPlan) -> str:
    """Compare the last two check-ins over the goals that have a value in both: improving when
    they moved toward the targets on average, worse when away, flat otherwise."""
    check_ins = sorted(plan.check_ins.all(), key=lambda c: c.created_at)[-2:]
    if len(check_ins) < 2:
        return Trend.UNKNOWN
    goals = {goal.pk: goal for goal in plan.goals.all()}
    before = {v.goal_id: v.value for v in check_ins[0].values.all()}
    after = {v.goal_id: v.value for v in check_ins[1].values.all()}
    shared = [pk for pk in after if pk in before and pk in goals]
    if not shared:
        return Trend.UNKNOWN
    change = sum(progress_share(goals[pk], after[pk]) - progress_share(goals[pk], before[pk]) for pk in shared)
    if abs(change) < 1e-9:
        return Trend.FLAT
    return Trend.IMPROVING if change > 0 else Trend.WORSE


def last_check_in(plan: ActionPlan) -> CheckIn | None:
    return max(plan.check_ins.all(), key=lambda c: c.created_at, default=None)


def next_check_in_due(plan: ActionPlan) -> datetime.date:
    last = last_check_in(plan)
    since = last.created_at if last else plan.created_at
    return timezone.localdate(since) + datetime.timedelta(days=plan.cadence_days)


def gone_quiet(plan: ActionPlan, *, today: datetime.date | None = None) -> bool:
    """No check-in (nor, without any, the plan's opening) for twice the cadence."""
    today = today or timezone.localdate()
    last = last_check_in(plan)
    since = timezone.localdate(last.created_at if last else plan.created_at)
    return (today - since).days > 2 * plan.cadence_days


@dataclass
class TeamRow:
    plan: ActionPlan
    last: CheckIn | None
    trend: str
    quiet: bool
    open_requests: int

    @property
    def trend_label(self) -> str:
        return Trend(self.trend).label


def team_plan_rows(plans, *, today: datetime.date | None = None) -> list[TeamRow]:
    """One row per plan (read with ``plan_detail``): state, last check-in, trend, gone quiet."""
    rows = []
    for plan in plans:
        requests = sum(1 for c in plan.check_ins.all() if _open_request(c))
        rows.append(TeamRow(plan, last_check_in(plan), trend_of(plan), gone_quiet(plan, today=today), requests))
    return rows


def _open_request(check_in: CheckIn) -> bool:
    try:
        return check_in.support_request.answered_at is None
    except SupportRequest.DoesNotExist:
        return False


def team_plans(user: User, *, workspace: Workspace) -> QuerySet[ActionPlan]:
    """The plans of the people this person line-manages."""
    me = membership(user, workspace)
    if me is None:
        return ActionPlan.objects.none()
    mine = ActionPlan.objects.filter(Q(enrolment__manager=me) | Q(enrolment__person__manager=me)).values("pk")
    return plan_detail(workspace).filter(pk__in=mine).order_by("enrolment__person__user__name", "pk")


def cohort_plans(cohort: Cohort) -> QuerySet[ActionPlan]:
    return plan_detail(cohort.workspace).filter(enrolment__cohort=cohort).order_by("enrolment__person__user__name")


def plans_awaiting_review(user: User, *, workspace: Workspace) -> QuerySet[ActionPlan]:
    return team_plans(user, workspace=workspace).filter(state=PlanState.SUBMITTED)


def support_requests_for_user(user: User, *, workspace: Workspace) -> QuerySet[SupportRequest]:
    """Support requests this person must answer: of the plans they line-manage or whose cohort they
    train (admins: all), newest first. The participant's own ones are not among them."""
    me = membership(user, workspace)
    found = SupportRequest.objects.filter(workspace=workspace).select_related(
        "plan__enrolment__person__user", "plan__enrolment__cohort", "check_in", "answered_by__user"
    )
    if me is None:
        return found.none()
    if not me.is_admin:
        answerable = Q(plan__enrolment__manager=me) | Q(plan__enrolment__person__manager=me)
        answerable |= Q(plan__enrolment__cohort__trainers=me)
        found = found.filter(pk__in=SupportRequest.objects.filter(answerable).values("pk"))
    return found.exclude(plan__enrolment__person=me)


def objectives_for(plan: ActionPlan) -> QuerySet[LearningObjective]:
    """The learning objectives a goal of this plan may be linked to: those of its programme."""
    return LearningObjective.objects.filter(module__programme_id=plan.enrolment.cohort.programme_id).order_by(
        "module__position", "position", "id"
    )


def cohorts_trained_by(person: Person) -> QuerySet[Cohort]:
    """The cohorts this person trains, newest first: each has a page of its participants' plans."""
    return Cohort.objects.filter(trainers=person).select_related("programme").order_by("-starts_on", "pk")


# Accountability buddies ---------------------------------------------------------------------------


def buddy_candidates(plan: ActionPlan) -> QuerySet[Person]:
    """Whom a participant may name as their buddy: the other participants of their cohort and the
    members of their team."""
    enrolment = plan.enrolment
    same_cohort = Q(
        enrolments__cohort_id=enrolment.cohort_id,
        enrolments__status__in=[EnrolmentStatus.INVITED, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED],
    )
    same_team = Q(team_id=enrolment.person.team_id) if enrolment.person.team_id else Q(pk__in=[])
    found = Person.objects.filter(workspace_id=plan.workspace_id).filter(same_cohort | same_team)
    return (
        Person.objects.filter(pk__in=found.values("pk"), user__is_active=True)
        .exclude(pk=enrolment.person_id)
        .select_related("user")
        .order_by("user__name", "pk")
    )


def buddy_plans(person: Person | None) -> QuerySet[ActionPlan]:
    """The plans this person cheers on as the accountability buddy, with their goals and cheers."""
    if person is None:
        return ActionPlan.objects.none()
    cheers = Cheer.objects.select_related("author__user", "goal")
    return (
        plans_for_workspace(person.workspace)
        .filter(buddy=person)
        .prefetch_related(
            Prefetch("goals", queryset=ActionGoal.objects.prefetch_related("values__check_in")),
            Prefetch("cheers", queryset=cheers),
        )
        .order_by("enrolment__person__user__name", "pk")
    )


def cheers_of(plan: ActionPlan) -> QuerySet[Cheer]:
    return plan.cheers.select_related("author__user", "goal")
