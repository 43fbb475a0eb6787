"""Reads that the plan pages, the API, the home panel and the calendar feed share."""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from takeroot.core.models import Person, Team, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Session

from .enums import PlannedStatus
from .models import CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative


def teams_led_by(person: Person | None) -> set[int]:
    """Ids of the teams this person leads. Takeroot has no "team lead" field, so leading is read
    from the reporting line the way the organisation is built:

    - every team in which someone reports directly to the person (their reports' teams), and
    - the person's own team when they hold the line-manager role.

    In the demo data members report to their team's manager, and each team's manager to the head
    of the department above: a team's manager leads their team, a head of department leads the
    department and its sub-teams, and the chief executive the departments. Cached on the person
    object, which lives for one request."""
    if person is None:
        return set()
    cached = getattr(person, "_plans_teams_led", None)
    if cached is None:
        cached = set(
            Person.objects.filter(workspace_id=person.workspace_id, manager=person, team__isnull=False).values_list(
                "team_id", flat=True
            )
        )
        if person.is_manager and person.team_id:
            cached.add(person.team_id)
        person._plans_teams_led = cached
    return cached


def plans_for_workspace(workspace: Workspace) -> QuerySet[CompetencePlan]:
    """Every plan of the workspace, before any role rule: to tell 403 (here) from 404 (elsewhere)."""
    return CompetencePlan.objects.filter(workspace=workspace).select_related("team", "workspace")


def plans_for_user(user: User, *, workspace: Workspace) -> QuerySet[CompetencePlan]:
    """Plans this person may open: admins all; a manager the plans of the teams they lead (see
    ``teams_led_by``); everyone the plan of their own team, read-only."""
    me = membership(user, workspace)
    plans = plans_for_workspace(workspace)
    if me is None:
        return plans.none()
    if me.is_admin:
        return plans
    teams = teams_led_by(me) | ({me.team_id} if me.team_id else set())
    return plans.filter(team_id__in=teams)


def teams_for_new_plans(user: User, *, workspace: Workspace) -> QuerySet[Team]:
    """Teams this person may make a plan for: admins every team, managers the teams they lead."""
    me = membership(user, workspace)
    teams = Team.objects.filter(workspace=workspace)
    if me is None:
        return teams.none()
    return teams if me.is_admin else teams.filter(pk__in=teams_led_by(me))


def plan_detail(workspace: Workspace) -> QuerySet[CompetencePlan]:
    """Plans with goals, their initiatives and blocks, in a fixed number of queries."""
    items = PlannedInitiative.objects.select_related("initiative").order_by("created_at", "id")
    return plans_for_workspace(workspace).prefetch_related(
        Prefetch("goals", queryset=PlanGoal.objects.prefetch_related(Prefetch("items", queryset=items))),
        Prefetch("items", queryset=items.select_related("goal")),
        "blocks",
    )


def team_members(team_ids) -> dict[int, list[Person]]:
    """The current members of each team, by team id."""
    members = defaultdict(list)
    for person in Person.objects.filter(team_id__in=list(team_ids)).select_related("user").order_by("user__name"):
        members[person.team_id].append(person)
    return members


# Progress --------------------------------------------------------------------------------------


@dataclass
class GoalProgress:
    goal: PlanGoal
    planned: int  # initiatives that still count: planned or done, not cancelled
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


@dataclass
class PlanProgress:
    """Planned vs done per goal, and learning hours reserved vs used, per member and for the team."""

    plan: CompetencePlan
    goals: list[GoalProgress]
    members: list[Person]
    reserved_per_member: float
    used_by_member: dict[int, float] = field(default_factory=dict)

    @property
    def planned(self) -> int:
        return sum(g.planned for g in self.goals)

    @property
    def done(self) -> int:
        return sum(g.done for g in self.goals)

    @property
    def reserved(self) -> float:
        return self.reserved_per_member * len(self.members)

    @property
    def used(self) -> float:
        return sum(self.used_by_member.values())

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0

    @property
    def percent_used(self) -> int:
        return min(100, round(100 * self.used / self.reserved)) if self.reserved else 0

    @property
    def member_rows(self) -> list[tuple[Person, float, float]]:
        return [(m, self.reserved_per_member, self.used_by_member.get(m.pk, 0.0)) for m in self.members]


def reserved_hours(blocks) -> float:
    """Hours of learning time one member has reserved: every occurrence of every block (each
    inside its plan's year) times its length."""
    return sum(len(block.occurrences()) * block.hours for block in blocks)


def _sessions_of(people: list[Person], first: datetime.datetime, last: datetime.datetime):
    """(person ids, start, end) of every session (not cancelled) that ended between ``first`` and
    ``last``, of the cohorts these people are enrolled in (not withdrawn). Two queries."""
    people_by_cohort = defaultdict(set)
    for person_id, cohort_id in (
        Enrolment.objects.filter(person_id__in=[p.pk for p in people])
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("person_id", "cohort_id")
    ):
        people_by_cohort[cohort_id].add(person_id)
    if not people_by_cohort:
        return []
    sessions = Session.objects.filter(
        cohort_id__in=list(people_by_cohort), cancelled=False, ends_at__gte=first, ends_at__lt=last
    ).values_list("cohort_id", "starts_at", "ends_at")
    return [(people_by_cohort[cohort_id], starts_at, ends_at) for cohort_id, starts_at, ends_at in sessions]


def _year_bounds(year: int, tz: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    zone = zoneinfo.ZoneInfo(tz)
    return datetime.datetime(year, 1, 1, tzinfo=zone), min(datetime.datetime(year + 1, 1, 1, tzinfo=zone), now)


def used_hours(people: list[Person], year: int, tz: str, *, now: datetime.datetime | None = None) -> dict[int, float]:
    """Per person id: hours of training Takeroot knows they spent in the year — sessions (not
    cancelled) of the cohorts they are enrolled in (not withdrawn) that ended within the year, in
    the plan's time zone, and before now."""
    first, last = _year_bounds(year, tz, now or timezone.now())
    by_person = {person.pk: 0.0 for person in people}
    if last <= first or not people:
        return by_person
    for person_ids, starts_at, ends_at in _sessions_of(people, first, last):
        for person_id in person_ids:
            by_person[person_id] += (ends_at - starts_at).total_seconds() / 3600
    return by_person


def plans_progress(plans: list[CompetencePlan], *, now: datetime.datetime | None = None) -> list[PlanProgress]:
    """The progress of each plan (read with ``plan_detail``), in a fixed number of queries however
    many plans there are: members, enrolments and sessions are read once for all of them."""
    now = now or timezone.now()
    members = team_members({plan.team_id for plan in plans})
    everyone = [person for plan in plans for person in members[plan.team_id]]
    bounds = {plan.pk: _year_bounds(plan.year, plan.timezone, now) for plan in plans}
    sessions = []
    if plans and everyone:
        sessions = _sessions_of(everyone, min(b[0] for b in bounds.values()), max(b[1] for b in bounds.values()))
    found = []
    for plan in plans:
        goals = []
        for goal in plan.goals.all():
            counting = [item for item in goal.items.all() if item.status != PlannedStatus.CANCELLED]
            goals.append(GoalProgress(goal, len(counting), sum(item.status == PlannedStatus.DONE for item in counting)))
        first, last = bounds[plan.pk]
        used = {person.pk: 0.0 for person in members[plan.team_id]}
        for person_ids, starts_at, ends_at in sessions:
            if first <= ends_at < last:
                for person_id in person_ids & used.keys():
                    used[person_id] += (ends_at - starts_at).total_seconds() / 3600
        found.append(
            PlanProgress(
                plan=plan,
                goals=goals,
                members=members[plan.team_id],
                reserved_per_member=reserved_hours(plan.blocks.all()),
                used_by_member=used,
            )
        )
    return found


def plan_progress(plan: CompetencePlan, *, now: datetime.datetime | None = None) -> PlanProgress:
    """The progress of one plan (read with ``plan_detail`` to avoid a query per goal)."""
    return plans_progress([plan], now=now)[0]


# The organisation roll-up ----------------------------------------------------------------------


@dataclass
class RollupRow:
    team: Team
    plan: CompetencePlan | None
    goals: int = 0
    planned: int = 0
    done: int = 0
    reserved: float = 0.0
    used: float = 0.0
    members: int = 0


@dataclass
class Rollup:
    year: int
    rows: list[RollupRow]

    def total(self, name: str):
        return sum(getattr(row, name) for row in self.rows)

    @property
    def totals(self) -> dict:
        names = ("goals", "planned", "done", "reserved", "used", "members")
        return {name: self.total(name) for name in names} | {"plans": sum(row.plan is not None for row in self.rows)}


def organisation_rollup(workspace: Workspace, year: int, *, now: datetime.datetime | None = None) -> Rollup:
    """Per team of the workspace (with or without a plan for the year): goals, initiatives planned
    (not cancelled) and done, hours reserved and used; and the totals."""
    progress = {p.plan.team_id: p for p in plans_progress(list(plan_detail(workspace).filter(year=year)), now=now)}
    teams = list(Team.objects.filter(workspace=workspace).order_by("name"))
    members = team_members([team.pk for team in teams])
    rows = []
    for team in teams:
        found = progress.get(team.pk)
        row = RollupRow(team=team, plan=found.plan if found else None, members=len(members[team.pk]))
        if found is not None:
            row.goals = len(found.goals)
            row.planned, row.done = found.planned, found.done
            row.reserved, row.used = found.reserved, found.used
        rows.append(row)
    return Rollup(year=year, rows=rows)


# This week and the calendar --------------------------------------------------------------------


def blocks_this_week(plan: CompetencePlan, today: datetime.date) -> list[tuple[datetime.date, LearningTimeBlock]]:
    """The plan's learning time in the week (Monday to Sunday) of ``today``, by day."""
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    found = [(day, block) for block in plan.blocks.all() for day in block.occurrences(monday, sunday)]
    return sorted(found, key=lambda pair: (pair[0], pair[1].starts_at))


def blocks_for_user(user: User) -> QuerySet[LearningTimeBlock]:
    """Every learning time block of every plan of the person's teams, in all their workspaces:
    what their calendar feed shows. Call it across workspaces."""
    teams = Person.objects.filter(user=user, team__isnull=False).values("team_id")
    return (
        LearningTimeBlock.objects.filter(Q(plan__team_id__in=teams))
        .select_related("plan__team", "plan__workspace")
        .prefetch_related("plan__goals")
        .order_by("plan__year", "weekday", "starts_at", "pk")
    )
