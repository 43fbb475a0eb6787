"""Visibility, who leads which team, and the arithmetic of progress and hours (worked out by hand)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from takeroot.catalogue.services import create_initiative
from takeroot.competence import services
from takeroot.competence.enums import PlannedStatus
from takeroot.competence.queries import (
    blocks_this_week,
    organisation_rollup,
    plan_detail,
    plan_progress,
    plans_for_user,
    teams_led_by,
)
from takeroot.programmes.models import Cohort, Enrolment, Programme, Session
from tests.factories import PersonFactory, TeamFactory, UserFactory

from .conftest import YEAR

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=WARSAW)


def _at(day, start, end):
    return datetime.datetime.combine(day, start, tzinfo=WARSAW), datetime.datetime.combine(day, end, tzinfo=WARSAW)


@pytest.fixture
def blocks(plan):
    def add(title, weekday, start, end, every_weeks=1, starts_on=None):
        return services.add_block(
            plan=plan,
            actor=None,
            title=title,
            weekday=weekday,
            starts_at=start,
            ends_at=end,
            every_weeks=every_weeks,
            starts_on=starts_on,
        )

    return [
        # 2 January 2026 is a Friday: 52 Fridays, one hour each.
        add("Learning lunch", 4, datetime.time(12), datetime.time(13)),
        # From 7 January every other Wednesday to 30 December: 26 times, an hour and a half each.
        add("Learning hour", 2, datetime.time(14), datetime.time(15, 30), every_weeks=2),
        # From 1 July (a Wednesday): Mondays 6 July to 28 December, 26 times, two hours each.
        add("Autumn sprint", 0, datetime.time(9), datetime.time(11), starts_on=datetime.date(2026, 7, 1)),
    ]


@pytest.fixture
def sessions(cast, team):
    workspace = team.workspace
    programme = Programme.objects.create(workspace=workspace, name="Negotiation")
    cohort = Cohort.objects.create(
        workspace=workspace,
        programme=programme,
        name="Spring",
        starts_on=datetime.date(2025, 12, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    day = datetime.date
    for title, (start, end), cancelled in [
        ("Kick-off", _at(day(2026, 3, 10), datetime.time(9), datetime.time(12)), False),  # 3 h
        ("Practice", _at(day(2026, 3, 11), datetime.time(9), datetime.time(10, 30)), False),  # 1.5 h
        ("Cancelled", _at(day(2026, 3, 12), datetime.time(9), datetime.time(11)), True),
        ("Last year", _at(day(2025, 12, 31), datetime.time(10), datetime.time(12)), False),
        ("After now", _at(day(2026, 9, 1), datetime.time(9), datetime.time(12)), False),
    ]:
        Session.objects.create(
            workspace=workspace, cohort=cohort, title=title, starts_at=start, ends_at=end, cancelled=cancelled
        )
    for person, status in [
        (cast["participant"], "active"),
        (cast["manager"], "completed"),
        (cast["other_participant"], "withdrawn"),
    ]:
        Enrolment.objects.create(workspace=workspace, cohort=cohort, person=person, status=status)
    return cohort


def _detail(plan):
    return plan_detail(plan.workspace).get(pk=plan.pk)


def test_hours_reserved_per_member_and_for_the_team(plan, blocks, cast):
    progress = plan_progress(_detail(plan), now=NOW)

    assert [len(b.occurrences()) for b in blocks] == [52, 26, 26]
    assert progress.reserved_per_member == 52 * 1 + 26 * 1.5 + 26 * 2 == 143
    assert [m.user.name for m in progress.members] == ["Magnus Manager", "Olek Other", "Pia Participant"]
    assert progress.reserved == 3 * 143


def test_hours_used_count_ended_sessions_of_the_year_not_withdrawn(plan, sessions, cast):
    progress = plan_progress(_detail(plan), now=NOW)

    assert progress.used_by_member == {
        cast["manager"].pk: 4.5,
        cast["participant"].pk: 4.5,
        cast["other_participant"].pk: 0.0,
    }
    assert progress.used == 9.0
    later = plan_progress(_detail(plan), now=datetime.datetime(2027, 2, 1, tzinfo=WARSAW))
    assert later.used == 15.0  # the September session has ended too


def test_goal_progress_counts_done_of_planned_without_cancelled(plan, cast):
    first = services.add_goal(plan=plan, actor=None, title="One")
    second = services.add_goal(plan=plan, actor=None, title="Two")
    services.add_goal(plan=plan, actor=None, title="Three")
    for goal, title, status in [
        (first, "A", PlannedStatus.DONE),
        (first, "B", PlannedStatus.PLANNED),
        (first, "C", PlannedStatus.CANCELLED),
        (second, "D", PlannedStatus.DONE),
    ]:
        services.add_planned_initiative(
            plan=plan, actor=None, goal=goal, new_initiative={"title": title}, status=status
        )

    progress = plan_progress(_detail(plan), now=NOW)

    assert [(g.goal.title, g.planned, g.done, g.percent) for g in progress.goals] == [
        ("One", 2, 1, 50),
        ("Two", 1, 1, 100),
        ("Three", 0, 0, 0),
    ]
    assert (progress.planned, progress.done, progress.percent_done) == (3, 2, 67)


def test_rollup_lists_every_team_with_totals(plan, blocks, sessions, other_team, stranger):
    goal = services.add_goal(plan=plan, actor=None, title="One")
    services.add_planned_initiative(plan=plan, actor=None, goal=goal, new_initiative={"title": "A"}, status="done")
    services.add_planned_initiative(plan=plan, actor=None, goal=goal, new_initiative={"title": "B"})

    rollup = organisation_rollup(plan.workspace, YEAR, now=NOW)

    rows = {row.team.name: row for row in rollup.rows}
    assert list(rows) == ["Sales", "Warehouse"]
    sales = rows["Sales"]
    assert (sales.plan, sales.members, sales.goals, sales.planned, sales.done) == (plan, 3, 1, 2, 1)
    assert (sales.reserved, sales.used) == (429, 9.0)
    assert rows["Warehouse"].plan is None and rows["Warehouse"].members == 2
    assert rollup.totals == {
        "goals": 1,
        "planned": 2,
        "done": 1,
        "reserved": 429,
        "used": 9.0,
        "members": 5,
        "plans": 1,
    }
    assert organisation_rollup(plan.workspace, YEAR + 1).totals["plans"] == 0


def test_blocks_this_week_from_monday_to_sunday(plan, blocks):
    # The week of Wednesday 15 July 2026: Monday 13 (autumn sprint), Friday 17 (lunch); the
    # fortnightly Wednesdays (7 January + 14 days × n) fall on 8 and 22 July.
    week = blocks_this_week(_detail(plan), datetime.date(2026, 7, 15))

    assert [(day.isoformat(), block.title) for day, block in week] == [
        ("2026-07-13", "Autumn sprint"),
        ("2026-07-17", "Learning lunch"),
    ]
    previous = blocks_this_week(_detail(plan), datetime.date(2026, 7, 12))  # a Sunday
    assert [(day.isoformat(), block.title) for day, block in previous] == [
        ("2026-07-06", "Autumn sprint"),
        ("2026-07-08", "Learning hour"),
        ("2026-07-10", "Learning lunch"),
    ]


def test_teams_led_by_direct_reports_and_own_team_for_managers(cast, team, other_team, other_manager, workspace):
    head = PersonFactory(
        workspace=workspace, user=UserFactory(email="head@acme.test"), is_manager=False, is_participant=False
    )
    other_manager.manager = head
    other_manager.save()
    lone = TeamFactory(workspace=workspace, name="Nobody's")

    assert teams_led_by(cast["manager"]) == {team.pk}  # own team with the role; Pia reports to them
    assert teams_led_by(head) == {other_team.pk}  # no role, but someone in Warehouse reports to them
    assert teams_led_by(cast["participant"]) == set()
    assert lone.pk not in teams_led_by(cast["admin"])


def test_plans_for_user_by_role(plan, cast, other_team, other_manager, stranger):
    warehouse = services.create_plan(workspace=plan.workspace, actor=None, team=other_team, year=YEAR)

    def visible(person):
        return set(plans_for_user(person.user, workspace=plan.workspace))

    assert visible(cast["admin"]) == {plan, warehouse}
    assert visible(cast["manager"]) == {plan}
    assert visible(cast["participant"]) == {plan}
    assert visible(other_manager) == {warehouse}
    assert visible(stranger) == {warehouse}
    assert visible(cast["trainer"]) == set()
    assert visible(cast["outsider"]) == set()


def test_new_initiative_of_another_plan_can_be_planned_again_elsewhere(plan, goal, other_team, cast):
    shared = create_initiative(workspace=plan.workspace, actor=None, title="Shared course")
    other = services.create_plan(workspace=plan.workspace, actor=None, team=other_team, year=YEAR)
    other_goal = services.add_goal(plan=other, actor=None, title="Other")

    services.add_planned_initiative(plan=plan, actor=None, goal=goal, initiative=shared)
    services.add_planned_initiative(plan=other, actor=None, goal=other_goal, initiative=shared)

    assert shared.planned_in.count() == 2
