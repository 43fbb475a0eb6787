"""A plan for the cast's team (Sales, led by the manager), and a second team with its own manager
and member, to show what one team's manager may not do with another's plan."""

import datetime

import pytest

from takeroot.catalogue.services import create_initiative
from takeroot.competence import services
from tests.factories import PersonFactory, TeamFactory, UserFactory

YEAR = 2026


@pytest.fixture
def other_team(workspace):
    return TeamFactory(workspace=workspace, name="Warehouse")


@pytest.fixture
def other_manager(workspace, other_team):
    return PersonFactory(
        workspace=workspace,
        user=UserFactory(email="boss@acme.test", name="Wanda Warehouse"),
        team=other_team,
        is_manager=True,
        is_participant=False,
    )


@pytest.fixture
def stranger(workspace, other_team, other_manager):
    """A participant of the other team."""
    return PersonFactory(
        workspace=workspace,
        user=UserFactory(email="picker@acme.test", name="Piotr Picker"),
        team=other_team,
        manager=other_manager,
    )


@pytest.fixture
def initiative(cast):
    return create_initiative(
        workspace=cast["admin"].workspace, actor=None, title="Negotiation bootcamp", kind="workshop"
    )


@pytest.fixture
def plan(cast, team):
    return services.create_plan(
        workspace=team.workspace, actor=cast["manager"].user, team=team, year=YEAR, summary="Sell value."
    )


@pytest.fixture
def goal(plan, cast):
    return services.add_goal(plan=plan, actor=None, title="Negotiate value", description="Discounts fall to 8 %.")


@pytest.fixture
def item(plan, goal, initiative):
    return services.add_planned_initiative(plan=plan, actor=None, goal=goal, initiative=initiative)


@pytest.fixture
def block(plan):
    return services.add_block(
        plan=plan,
        actor=None,
        title="Learning lunch",
        weekday=4,
        starts_at=datetime.time(12, 0),
        ends_at=datetime.time(13, 0),
    )


@pytest.fixture
def full_plan(plan, goal, item, block):
    return plan
