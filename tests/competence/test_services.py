"""The plan services: what they save, what they refuse (in words) and what they audit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from takeroot.catalogue.models import Initiative
from takeroot.competence import services
from takeroot.competence.enums import PlannedStatus
from takeroot.competence.models import CompetencePlan, LearningTimeBlock, PlannedInitiative
from takeroot.core.models import AuditEntry
from tests.factories import TeamFactory

from .conftest import YEAR


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


def test_create_plan_defaults_to_the_creators_time_zone(plan, cast):
    assert plan.timezone == "Europe/Warsaw" == cast["manager"].user.timezone
    assert plan.created_by == cast["manager"].user
    entry = AuditEntry.objects.get(object_type="competenceplan")
    assert (entry.action, entry.object_uuid, entry.actor) == ("created", plan.uuid, cast["manager"].user)


def test_create_plan_refuses_a_second_plan_for_the_team_and_year(plan, team):
    with pytest.raises(ValidationError) as error:
        services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR)

    assert _messages(error) == {"year": ["Sales already has a plan for 2026."]}


def test_create_plan_refuses_an_unknown_time_zone_and_a_far_year(team):
    with pytest.raises(ValidationError) as error:
        services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR, timezone="Mars/Olympus")
    assert _messages(error) == {"timezone": ["Unknown time zone: Mars/Olympus"]}

    with pytest.raises(ValidationError) as error:
        services.create_plan(workspace=team.workspace, actor=None, team=team, year=1999)
    assert _messages(error) == {"year": ["Choose a year between 2000 and 2100."]}


def test_create_plan_refuses_a_team_of_another_workspace(team, other_workspace):
    with pytest.raises(ValidationError):
        services.create_plan(workspace=other_workspace, actor=None, team=team, year=YEAR)


def test_update_plan_time_zone_raises_every_block_sequence(full_plan, block):
    changed = services.update_plan(plan=full_plan, actor=None, timezone="Europe/Stockholm", summary="Sell value.")

    assert changed == {"timezone": ("Europe/Warsaw", "Europe/Stockholm")}
    block.refresh_from_db()
    assert block.sequence == 1
    assert AuditEntry.objects.filter(object_type="competenceplan", action="changed").count() == 1


def test_goals_are_added_in_order_and_moved(plan):
    first = services.add_goal(plan=plan, actor=None, title="One")
    second = services.add_goal(plan=plan, actor=None, title="Two")
    third = services.add_goal(plan=plan, actor=None, title="Three")
    assert [g.title for g in plan.goals.all()] == ["One", "Two", "Three"]

    services.move_goal(goal=third, actor=None, position=0)

    assert [g.title for g in plan.goals.all()] == ["Three", "One", "Two"]
    assert [g.position for g in plan.goals.all()] == [0, 1, 2]
    assert AuditEntry.objects.get(object_type="plangoal", action="changed").changes == {"position": [3, 1]}
    services.move_goal(goal=first, actor=None, position=99)
    assert [g.title for g in plan.goals.all()] == ["Three", "Two", "One"]
    assert second.pk in [g.pk for g in plan.goals.all()]


def test_a_goal_needs_words(plan):
    with pytest.raises(ValidationError) as error:
        services.add_goal(plan=plan, actor=None, title="   ")
    assert _messages(error) == {"title": ["Write the goal."]}


def test_removing_a_goal_removes_its_initiatives_but_not_the_catalogues(item, goal, initiative):
    services.remove_goal(goal=goal, actor=None)

    assert not PlannedInitiative.objects.exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_add_planned_initiative_creates_a_new_catalogue_initiative_for_the_team(plan, goal, team, cast):
    item = services.add_planned_initiative(
        plan=plan,
        actor=cast["manager"].user,
        goal=goal,
        new_initiative={"title": "  Value-selling pairs ", "kind": "mentoring"},
        planned_hours=Decimal("6"),
    )

    initiative = Initiative.objects.get(title="Value-selling pairs")
    assert item.initiative == initiative
    assert initiative.kind == "mentoring"
    assert list(initiative.teams.all()) == [team]
    assert item.planned_hours == Decimal("6")
    assert AuditEntry.objects.filter(object_type="initiative", action="created").count() == 1
    assert AuditEntry.objects.filter(object_type="plannedinitiative", action="created").count() == 1


@pytest.mark.parametrize(
    ("arguments", "errors"),
    [
        ({}, {"initiative": ["Choose an initiative from the catalogue or give the title of a new one, not both."]}),
        ({"new_initiative": {"title": " "}}, {"title": ["Give the new initiative a title."]}),
        ({"planned_hours": Decimal("-1")}, {"planned_hours": ["Planned hours must be between 0 and 9999."]}),
    ],
)
def test_add_planned_initiative_refuses(plan, goal, initiative, arguments, errors):
    if "new_initiative" not in arguments and arguments:
        arguments = {"initiative": initiative, **arguments}
    with pytest.raises(ValidationError) as error:
        services.add_planned_initiative(plan=plan, actor=None, goal=goal, **arguments)
    assert _messages(error) == errors


def test_add_planned_initiative_refuses_twice_and_a_goal_of_another_plan(plan, goal, item, initiative, team):
    with pytest.raises(ValidationError) as error:
        services.add_planned_initiative(plan=plan, actor=None, goal=goal, initiative=initiative)
    assert _messages(error) == {"initiative": ["This initiative is already in the plan."]}

    other = services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR + 1)
    with pytest.raises(ValidationError) as error:
        services.add_planned_initiative(plan=other, actor=None, goal=goal, initiative=initiative)
    assert _messages(error) == {"goal": ["Choose one of this plan's goals."]}


def test_set_planned_status_is_audited(item):
    changed = services.set_planned_status(item=item, actor=None, status=PlannedStatus.DONE)

    assert changed == {"status": (PlannedStatus.PLANNED, PlannedStatus.DONE)}
    item.refresh_from_db()
    assert item.status == "done"
    entry = AuditEntry.objects.get(object_type="plannedinitiative", action="changed")
    assert entry.changes == {"status": ["planned", "done"]}


def test_add_block_runs_the_whole_plan_year_by_default(block):
    assert (block.starts_on, block.ends_on) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert block.every_weeks == 1
    assert block.sequence == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"ends_at": datetime.time(11, 0)},
            {"ends_at": ["The learning time must end after it starts, on the same day."]},
        ),
        (
            {"ends_at": datetime.time(12, 0)},
            {"ends_at": ["The learning time must end after it starts, on the same day."]},
        ),
        ({"starts_on": datetime.date(2025, 12, 1)}, {"starts_on": ["Choose a day in 2026, the year of the plan."]}),
        ({"ends_on": datetime.date(2027, 1, 8)}, {"ends_on": ["Choose a day in 2026, the year of the plan."]}),
        (
            {"starts_on": datetime.date(2026, 6, 1), "ends_on": datetime.date(2026, 5, 1)},
            {"ends_on": ["The last day must be on or after the first day."]},
        ),
        (
            {"starts_on": datetime.date(2026, 6, 1), "ends_on": datetime.date(2026, 6, 4)},
            {"starts_on": ["Between the first and the last day there is no Friday."]},
        ),
        ({"every_weeks": 3}, {"every_weeks": ["A block repeats every week, every two weeks or every four weeks."]}),
        ({"title": ""}, {"title": ["Give the learning time a title, e.g. “Learning lunch”."]}),
    ],
)
def test_add_block_refuses(plan, fields, errors):
    arguments = {
        "title": "Learning lunch",
        "weekday": 4,
        "starts_at": datetime.time(12, 0),
        "ends_at": datetime.time(13, 0),
    } | fields
    with pytest.raises(ValidationError) as error:
        services.add_block(plan=plan, actor=None, **arguments)

    assert _messages(error) == errors
    assert not LearningTimeBlock.objects.exists()


def test_update_block_raises_the_sequence_only_on_a_change(block):
    assert services.update_block(block=block, actor=None, title="Learning lunch") == {}
    block.refresh_from_db()
    assert block.sequence == 0

    services.update_block(block=block, actor=None, starts_at=datetime.time(11, 30))

    block.refresh_from_db()
    assert (block.sequence, block.starts_at) == (1, datetime.time(11, 30))
    assert AuditEntry.objects.get(object_type="learningtimeblock", action="changed").changes == {
        "starts_at": ["12:00:00", "11:30:00"]
    }


def test_copy_plan_takes_goals_open_initiatives_and_blocks_into_the_next_year(full_plan, goal, team, cast):
    done = services.add_planned_initiative(
        plan=full_plan, actor=None, goal=goal, new_initiative={"title": "Done already"}, status=PlannedStatus.DONE
    )
    services.add_block(
        plan=full_plan,
        actor=None,
        title="Spring sprint",
        weekday=0,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 5, 25),
    )

    copy = services.copy_plan(source=full_plan, actor=cast["manager"].user, year=YEAR + 1)

    assert (copy.team, copy.year, copy.summary, copy.timezone) == (team, 2027, "Sell value.", "Europe/Warsaw")
    assert [g.title for g in copy.goals.all()] == ["Negotiate value"]
    assert [i.initiative.title for i in copy.items.all()] == ["Negotiation bootcamp"]
    assert done.initiative not in [i.initiative for i in copy.items.all()]
    blocks = {b.title: (b.starts_on, b.ends_on) for b in copy.blocks.all()}
    assert blocks == {
        "Learning lunch": (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
        "Spring sprint": (datetime.date(2027, 3, 2), datetime.date(2027, 5, 25)),
    }
    assert CompetencePlan.objects.count() == 2


def test_delete_plan_keeps_the_catalogue(full_plan, initiative):
    services.delete_plan(plan=full_plan, actor=None)

    assert not CompetencePlan.objects.exists()
    assert not LearningTimeBlock.objects.exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert AuditEntry.objects.filter(object_type="competenceplan", action="deleted").count() == 1


def test_a_team_can_have_plans_for_different_years(plan, team):
    services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR - 1)
    other = TeamFactory(workspace=team.workspace, name="Support")
    services.create_plan(workspace=team.workspace, actor=None, team=other, year=YEAR)

    assert CompetencePlan.objects.count() == 3
