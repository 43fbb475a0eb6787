"""Every write to the competence-development plans. Each records its audit entry.

Callers check the rules first (``plans.change_plan`` on the plan, ``plans.plan_for_team`` on the
team of a new plan); the services check that what they are given fits together.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from takeroot.catalogue import services as catalogue
from takeroot.catalogue.models import Initiative
from takeroot.core.enums import AuditAction
from takeroot.core.models import Team, User, Workspace, default_timezone
from takeroot.core.services import apply_changes, record_audit

from .enums import PlannedStatus, Recurrence
from .models import FIRST_YEAR, LAST_YEAR, CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative

PLAN_FIELDS = ("timezone", "summary")
GOAL_FIELDS = ("title", "description")
BLOCK_FIELDS = ("title", "weekday", "starts_at", "ends_at", "every_weeks", "starts_on", "ends_on")


def _same_workspace(workspace: Workspace, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.workspace_id != workspace.pk:
            raise ValidationError(_("Everything must belong to the same workspace."))


def _clean(obj, exclude=("workspace",)) -> None:
    obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


# Plans -----------------------------------------------------------------------------------------


def _check_plan(plan: CompetencePlan) -> None:
    if not FIRST_YEAR <= (plan.year or 0) <= LAST_YEAR:
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    taken = CompetencePlan.objects.filter(workspace_id=plan.workspace_id, team_id=plan.team_id, year=plan.year)
    if taken.exclude(pk=plan.pk).exists():
        raise ValidationError(
            {"year": _("%(team)s already has a plan for %(year)s.") % {"team": plan.team, "year": plan.year}}
        )
    _clean(plan, exclude=("workspace", "team", "created_by"))


@transaction.atomic
def create_plan(
    *, workspace: Workspace, actor: User | None, team: Team, year: int, timezone: str = "", summary: str = ""
) -> CompetencePlan:
    """Start a team's plan for a year. The time zone defaults to the creator's.

    Side effects: an audit entry. Admins for any team, managers for the teams they lead."""
    _same_workspace(workspace, team)
    fallback = actor.timezone if actor is not None else default_timezone()
    plan = CompetencePlan(
        workspace=workspace, team=team, year=year, timezone=timezone or fallback, summary=summary, created_by=actor
    )
    _check_plan(plan)
    plan.save()
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=plan)
    return plan


@transaction.atomic
def update_plan(*, plan: CompetencePlan, actor: User | None, **fields) -> dict:
    """Change the plan's time zone or summary. A new time zone moves every block to the same local
    time there, so each block's sequence is raised for calendars to replace it.

    Side effects: an audit entry when something changed."""
    changed = apply_changes(plan, {k: v for k, v in fields.items() if k in PLAN_FIELDS})
    _check_plan(plan)
    plan.save()
    if "timezone" in changed:
        for block in plan.blocks.all():
            block.sequence += 1
            block.save(update_fields=["sequence"])
    if changed:
        record_audit(workspace=plan.workspace, actor=actor, action=AuditAction.CHANGED, obj=plan, changes=changed)
    return changed


@transaction.atomic
def delete_plan(*, plan: CompetencePlan, actor: User | None) -> None:
    """Remove a plan with its goals and blocks (they leave the calendars); the catalogue's
    initiatives stay. Side effects: an audit entry."""
    record_audit(workspace=plan.workspace, actor=actor, action=AuditAction.DELETED, obj=plan)
    plan.delete()


def _move_to_year(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


@transaction.atomic
def copy_plan(*, source: CompetencePlan, actor: User | None, year: int) -> CompetencePlan:
    """Start the team's plan for ``year`` from another year's: the summary, the goals, the
    initiatives that were still planned (neither done nor cancelled) and the learning time blocks,
    moved to the same weekdays of the new year.

    Side effects: audit entries for the plan and each copied part."""
    workspace = source.workspace
    plan = create_plan(
        workspace=workspace, actor=actor, team=source.team, year=year, timezone=source.timezone, summary=source.summary
    )
    goals = {}
    for goal in source.goals.all():
        goals[goal.pk] = add_goal(plan=plan, actor=actor, title=goal.title, description=goal.description)
    for item in source.items.select_related("initiative").filter(status=PlannedStatus.PLANNED):
        add_planned_initiative(
            plan=plan,
            actor=actor,
            goal=goals[item.goal_id],
            initiative=item.initiative,
            planned_hours=item.planned_hours,
        )
    for block in source.blocks.all():
        whole_year = block.starts_on == source.first_day and block.ends_on == source.last_day
        add_block(
            plan=plan,
            actor=actor,
            title=block.title,
            weekday=block.weekday,
            starts_at=block.starts_at,
            ends_at=block.ends_at,
            every_weeks=block.every_weeks,
            starts_on=plan.first_day if whole_year else _move_to_year(block.starts_on, year),
            ends_on=plan.last_day if whole_year else _move_to_year(block.ends_on, year),
        )
    return plan


# Goals -----------------------------------------------------------------------------------------


def _check_goal(goal: PlanGoal) -> None:
    goal.title = (goal.title or "").strip()
    if not goal.title:
        raise ValidationError({"title": _("Write the goal.")})
    _clean(goal, exclude=("workspace", "plan"))


@transaction.atomic
def add_goal(*, plan: CompetencePlan, actor: User | None, title: str, description: str = "") -> PlanGoal:
    """Add a goal at the end of the plan's list. Side effects: an audit entry."""
    last = plan.goals.aggregate(last=Max("position"))["last"]
    goal = PlanGoal(
        workspace_id=plan.workspace_id,
        plan=plan,
        title=title,
        description=description,
        position=0 if last is None else last + 1,
    )
    _check_goal(goal)
    goal.save()
    record_audit(workspace=plan.workspace, actor=actor, action=AuditAction.CREATED, obj=goal)
    return goal


@transaction.atomic
def update_goal(*, goal: PlanGoal, actor: User | None, **fields) -> dict:
    changed = apply_changes(goal, {k: v for k, v in fields.items() if k in GOAL_FIELDS})
    _check_goal(goal)
    goal.save()
    if changed:
        record_audit(workspace=goal.plan.workspace, actor=actor, action=AuditAction.CHANGED, obj=goal, changes=changed)
    return changed


@transaction.atomic
def move_goal(*, goal: PlanGoal, actor: User | None, position: int) -> None:
    """Put a goal at ``position`` (0 is first; beyond the end means last) and number the rest in
    order. Side effects: an audit entry when it moved."""
    goals = [g for g in goal.plan.goals.order_by("position", "id") if g.pk != goal.pk]
    before = [g.pk for g in goal.plan.goals.order_by("position", "id")].index(goal.pk)
    position = max(0, min(position, len(goals)))
    goals.insert(position, goal)
    for index, each in enumerate(goals):
        if each.position != index:
            each.position = index
            each.save(update_fields=["position"])
    if before != position:
        record_audit(
            workspace=goal.plan.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=goal,
            changes={"position": (before + 1, position + 1)},
        )


@transaction.atomic
def remove_goal(*, goal: PlanGoal, actor: User | None) -> None:
    """Remove a goal and the initiatives planned for it (the catalogue keeps them).

    Side effects: an audit entry."""
    record_audit(workspace=goal.plan.workspace, actor=actor, action=AuditAction.DELETED, obj=goal)
    goal.delete()


# Planned initiatives ---------------------------------------------------------------------------


def _check_hours(hours: Decimal | None) -> None:
    if hours is not None and not Decimal("0") <= hours <= Decimal("9999"):
        raise ValidationError({"planned_hours": _("Planned hours must be between 0 and 9999.")})


@transaction.atomic
def add_planned_initiative(
    *,
    plan: CompetencePlan,
    actor: User | None,
    goal: PlanGoal,
    initiative: Initiative | None = None,
    new_initiative: dict | None = None,
    status: str = PlannedStatus.PLANNED,
    planned_hours: Decimal | None = None,
) -> PlannedInitiative:
    """Plan an initiative for one of the plan's goals: an existing one of the catalogue, or a new
    one (``new_initiative``: title, kind and other catalogue fields) that is added to the catalogue
    with the team as its audience.

    Side effects: audit entries (and the new catalogue initiative with its own)."""
    if goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose one of this plan's goals.")})
    if (initiative is None) == (not new_initiative):
        raise ValidationError(
            {"initiative": _("Choose an initiative from the catalogue or give the title of a new one, not both.")}
        )
    if status not in PlannedStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    _check_hours(planned_hours)
    if initiative is None:
        fields = dict(new_initiative or {})
        if not (fields.get("title") or "").strip():
            raise ValidationError({"title": _("Give the new initiative a title.")})
        fields["title"] = fields["title"].strip()
        initiative = catalogue.create_initiative(workspace=plan.workspace, actor=actor, teams=[plan.team], **fields)
    _same_workspace(plan.workspace, initiative)
    if plan.items.filter(initiative=initiative).exists():
        raise ValidationError({"initiative": _("This initiative is already in the plan.")})
    item = PlannedInitiative(
        workspace_id=plan.workspace_id,
        plan=plan,
        goal=goal,
        initiative=initiative,
        status=status,
        planned_hours=planned_hours,
    )
    item.save()
    record_audit(workspace=plan.workspace, actor=actor, action=AuditAction.CREATED, obj=item)
    return item


@transaction.atomic
def update_planned_initiative(*, item: PlannedInitiative, actor: User | None, **fields) -> dict:
    """Change the goal it serves, its status or its planned hours. Side effects: an audit entry."""
    goal = fields.get("goal")
    if goal is not None and goal.plan_id != item.plan_id:
        raise ValidationError({"goal": _("Choose one of this plan's goals.")})
    if fields.get("status") is not None and fields["status"] not in PlannedStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if "planned_hours" in fields:
        _check_hours(fields["planned_hours"])
    allowed = {k: v for k, v in fields.items() if k in ("goal", "status", "planned_hours")}
    if allowed.get("goal") is None:
        allowed.pop("goal", None)
    if allowed.get("status") is None:
        allowed.pop("status", None)
    changed = apply_changes(item, allowed)
    item.save()
    if changed:
        record_audit(workspace=item.plan.workspace, actor=actor, action=AuditAction.CHANGED, obj=item, changes=changed)
    return changed


def set_planned_status(*, item: PlannedInitiative, actor: User | None, status: str) -> dict:
    """Mark a planned initiative planned, done or cancelled. Side effects: an audit entry."""
    return update_planned_initiative(item=item, actor=actor, status=status)


@transaction.atomic
def remove_planned_initiative(*, item: PlannedInitiative, actor: User | None) -> None:
    """Take an initiative out of the plan; the catalogue keeps it. Side effects: an audit entry."""
    record_audit(workspace=item.plan.workspace, actor=actor, action=AuditAction.DELETED, obj=item)
    item.delete()


# Learning time blocks --------------------------------------------------------------------------


def _check_block(block: LearningTimeBlock, plan: CompetencePlan) -> None:
    block.title = (block.title or "").strip()
    errors = {}
    if not block.title:
        errors["title"] = _("Give the learning time a title, e.g. “Learning lunch”.")
    if block.every_weeks not in Recurrence.values:
        errors["every_weeks"] = _("A block repeats every week, every two weeks or every four weeks.")
    if block.weekday not in range(7):
        errors["weekday"] = _("Choose a day of the week.")
    if block.starts_at is not None and block.ends_at is not None and block.ends_at <= block.starts_at:
        errors["ends_at"] = _("The learning time must end after it starts, on the same day.")
    for name in ("starts_on", "ends_on"):
        day = getattr(block, name)
        if day is not None and day.year != plan.year:
            errors[name] = _("Choose a day in %(year)s, the year of the plan.") % {"year": plan.year}
    if block.starts_on and block.ends_on and block.ends_on < block.starts_on and "ends_on" not in errors:
        errors["ends_on"] = _("The last day must be on or after the first day.")
    if errors:
        raise ValidationError(errors)
    _clean(block, exclude=("workspace", "plan"))
    if not block.occurrences():
        raise ValidationError(
            {
                "starts_on": _("Between the first and the last day there is no %(day)s.")
                % {"day": block.get_weekday_display()}
            }
        )


@transaction.atomic
def add_block(
    *,
    plan: CompetencePlan,
    actor: User | None,
    title: str,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    every_weeks: int = Recurrence.WEEKLY,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> LearningTimeBlock:
    """Reserve recurring learning time; without dates it runs the whole plan year. It appears in
    the calendar feed of every member of the team. Side effects: an audit entry."""
    block = LearningTimeBlock(
        workspace_id=plan.workspace_id,
        plan=plan,
        title=title,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        every_weeks=every_weeks,
        starts_on=starts_on or plan.first_day,
        ends_on=ends_on or plan.last_day,
    )
    _check_block(block, plan)
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError:
        raise ValidationError(_("The learning time does not fit together: check its times and days.")) from None
    record_audit(workspace=plan.workspace, actor=actor, action=AuditAction.CREATED, obj=block)
    return block


@transaction.atomic
def update_block(*, block: LearningTimeBlock, actor: User | None, **fields) -> dict:
    """Change a block. Its sequence goes up, so subscribed calendars replace the event.

    Side effects: an audit entry when something changed."""
    changed = apply_changes(block, {k: v for k, v in fields.items() if k in BLOCK_FIELDS and v is not None})
    _check_block(block, block.plan)
    if changed:
        block.sequence += 1
        block.save()
        record_audit(
            workspace=block.plan.workspace, actor=actor, action=AuditAction.CHANGED, obj=block, changes=changed
        )
    return changed


@transaction.atomic
def remove_block(*, block: LearningTimeBlock, actor: User | None) -> None:
    """Release the reserved time; it leaves the calendars. Side effects: an audit entry."""
    record_audit(workspace=block.plan.workspace, actor=actor, action=AuditAction.DELETED, obj=block)
    block.delete()
