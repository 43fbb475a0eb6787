"""The plan pages: the role × page matrix, edits through the forms, input kept on errors, the home panel."""

import datetime

import pytest

from takeroot.catalogue.models import Initiative
from takeroot.competence.models import CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative

from .conftest import YEAR

PAGES = {
    "list": "/competence-plans/?year={year}",
    "detail": "/competence-plans/{plan}/",
    "ics": "/competence-plans/{plan}/calendar.ics",
    "create": "/competence-plans/new/",
    "edit": "/competence-plans/{plan}/edit/",
    "delete": "/competence-plans/{plan}/delete/",
    "goal_create": "/competence-plans/{plan}/goals/new/",
    "goal_edit": "/competence-plans/{plan}/goals/{goal}/",
    "goal_delete": "/competence-plans/{plan}/goals/{goal}/delete/",
    "item_create": "/competence-plans/{plan}/initiatives/new/",
    "item_edit": "/competence-plans/{plan}/initiatives/{item}/",
    "item_delete": "/competence-plans/{plan}/initiatives/{item}/delete/",
    "block_create": "/competence-plans/{plan}/blocks/new/",
    "block_edit": "/competence-plans/{plan}/blocks/{block}/",
    "block_delete": "/competence-plans/{plan}/blocks/{block}/delete/",
    "rollup": "/competence-plans/rollup/?year={year}",
}
READ = {"list", "detail", "ics"}
EDIT = set(PAGES) - READ - {"rollup", "create"}
EXPECTED = {
    # who: {page: status}; anything not named answers 403
    "admin": dict.fromkeys(PAGES, 200),
    "manager": dict.fromkeys(READ | EDIT | {"create"}, 200),
    "participant": dict.fromkeys(READ, 200),
    "other_participant": dict.fromkeys(READ, 200),
    "other_manager": {"list": 200, "create": 200},  # leads another team
    "stranger": {"list": 200},  # a participant of another team
    "trainer": {},  # in no team
    # An admin of another workspace: their own workspace's pages, none of this one's plan.
    "outsider": {"list": 200, "create": 200, "rollup": 200} | dict.fromkeys(READ - {"list"} | EDIT, 404),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_page_matrix(full_plan, goal, item, block, cast, other_manager, stranger, client_for, who):
    person = {"other_manager": other_manager, "stranger": stranger}.get(who) or cast[who]
    client = client_for(person)
    ids = {"plan": full_plan.uuid, "goal": goal.uuid, "item": item.uuid, "block": block.uuid, "year": YEAR}
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in PAGES.items()}

    assert statuses == {name: EXPECTED[who].get(name, 403) for name in PAGES}


def test_list_shows_only_visible_plans_with_progress(full_plan, other_team, cast, client_for):
    from takeroot.competence import services

    services.create_plan(workspace=full_plan.workspace, actor=None, team=other_team, year=YEAR)
    page = client_for(cast["participant"]).get(f"/competence-plans/?year={YEAR}").content.decode()

    assert "Sales" in page and "Warehouse" not in page
    assert "0 of 1 done" in page
    assert '<progress value="0" max="1" aria-label="0 of 1 done">' in page
    admin_page = client_for(cast["admin"]).get(f"/competence-plans/?year={YEAR}").content.decode()
    assert "Warehouse" in admin_page and "Organisation roll-up" in admin_page


def test_detail_shows_goals_progress_and_blocks_in_words(full_plan, cast, client_for):
    page = client_for(cast["participant"]).get(f"/competence-plans/{full_plan.uuid}/").content.decode()

    assert "Negotiate value" in page and "Negotiation bootcamp" in page
    assert "0 of 1 done" in page
    assert "Friday, every week, 12:00–13:00 (Europe/Warsaw)" in page
    assert "Edit the plan" not in page  # read-only for members
    manager_page = client_for(cast["manager"]).get(f"/competence-plans/{full_plan.uuid}/").content.decode()
    assert "Edit the plan" in manager_page and "Reserve learning time" in manager_page


def test_manager_creates_a_plan_for_their_team(team, cast, client_for):
    response = client_for(cast["manager"]).post(
        "/competence-plans/new/", {"team": team.pk, "year": YEAR, "timezone": "Europe/Stockholm", "summary": "Learn."}
    )

    plan = CompetencePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/competence-plans/{plan.uuid}/"
    assert (plan.team, plan.year, plan.timezone, plan.created_by) == (
        team,
        YEAR,
        "Europe/Stockholm",
        cast["manager"].user,
    )


def test_create_form_keeps_input_and_says_what_is_wrong(plan, team, cast, client_for):
    response = client_for(cast["manager"]).post(
        "/competence-plans/new/", {"team": team.pk, "year": YEAR, "timezone": "Europe/Warsaw", "summary": "Typed text"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sales already has a plan for 2026." in page
    assert "Typed text" in page
    assert CompetencePlan.objects.count() == 1


def test_another_teams_manager_cannot_create_a_plan_for_this_team(team, other_manager, client_for):
    response = client_for(other_manager).post(
        "/competence-plans/new/", {"team": team.pk, "year": YEAR, "timezone": "UTC"}
    )

    assert response.status_code == 200  # the team is not among the choices
    assert not CompetencePlan.objects.exists()


def test_create_can_start_from_last_years_plan(full_plan, team, cast, client_for):
    client_for(cast["manager"]).post(
        "/competence-plans/new/",
        {"team": team.pk, "year": YEAR + 1, "timezone": "Europe/Warsaw", "copy_previous": "on"},
    )

    copy = CompetencePlan.objects.get(year=YEAR + 1)
    assert [g.title for g in copy.goals.all()] == ["Negotiate value"]
    assert copy.blocks.count() == 1 and copy.items.count() == 1


def test_manager_adds_goal_item_and_block_through_the_forms(plan, cast, client_for):
    client = client_for(cast["manager"])
    client.post(
        f"/competence-plans/{plan.uuid}/goals/new/", {"title": "Use the CRM", "description": "Forecast within 10 %."}
    )
    goal = PlanGoal.objects.get()
    client.post(
        f"/competence-plans/{plan.uuid}/initiatives/new/",
        {"goal": goal.pk, "new_title": "CRM clinic", "new_kind": "workshop", "status": "planned", "planned_hours": "3"},
    )
    response = client.post(
        f"/competence-plans/{plan.uuid}/blocks/new/",
        {
            "title": "CRM hour",
            "weekday": "1",
            "starts_at": "08:00",
            "ends_at": "09:00",
            "every_weeks": "2",
            "starts_on": "2026-02-01",
            "ends_on": "2026-12-31",
        },
    )

    assert response.status_code == 302
    item = PlannedInitiative.objects.get()
    assert (item.goal, item.initiative.title, str(item.planned_hours)) == (goal, "CRM clinic", "3.00")
    assert Initiative.objects.get(title="CRM clinic").teams.get() == plan.team
    block = LearningTimeBlock.objects.get()
    assert (block.weekday, block.every_weeks, block.starts_on) == (1, 2, datetime.date(2026, 2, 1))


def test_block_form_keeps_input_on_errors(plan, cast, client_for):
    response = client_for(cast["manager"]).post(
        f"/competence-plans/{plan.uuid}/blocks/new/",
        {
            "title": "Too late",
            "weekday": "4",
            "starts_at": "13:00",
            "ends_at": "12:00",
            "every_weeks": "1",
            "starts_on": "2026-01-01",
            "ends_on": "2027-03-01",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The learning time must end after it starts, on the same day." in page
    assert "Choose a day in 2026, the year of the plan." in page
    assert 'value="Too late"' in page and 'value="2027-03-01"' in page
    assert not LearningTimeBlock.objects.exists()


def test_item_form_needs_one_initiative(plan, goal, initiative, cast, client_for):
    client = client_for(cast["manager"])
    neither = client.post(f"/competence-plans/{plan.uuid}/initiatives/new/", {"goal": goal.pk, "status": "planned"})
    both = client.post(
        f"/competence-plans/{plan.uuid}/initiatives/new/",
        {"goal": goal.pk, "initiative": initiative.pk, "new_title": "Also", "status": "planned"},
    )

    assert "Choose an initiative from the catalogue or give the title of a new one." in neither.content.decode()
    assert "not both" in both.content.decode()
    assert not PlannedInitiative.objects.exists()


def test_marking_done_and_editing_a_block_raise_progress_and_sequence(full_plan, item, block, cast, client_for):
    client = client_for(cast["manager"])
    client.post(
        f"/competence-plans/{full_plan.uuid}/initiatives/{item.uuid}/", {"goal": item.goal_id, "status": "done"}
    )
    client.post(
        f"/competence-plans/{full_plan.uuid}/blocks/{block.uuid}/",
        {
            "title": "Learning lunch",
            "weekday": "3",
            "starts_at": "12:00",
            "ends_at": "13:00",
            "every_weeks": "1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )

    item.refresh_from_db()
    block.refresh_from_db()
    assert item.status == "done"
    assert (block.weekday, block.sequence) == (3, 1)
    assert "1 of 1 done" in client.get(f"/competence-plans/{full_plan.uuid}/").content.decode()


def test_goals_move_and_delete(full_plan, goal, cast, client_for):
    from takeroot.competence import services

    second = services.add_goal(plan=full_plan, actor=None, title="Second")
    client = client_for(cast["manager"])
    client.post(f"/competence-plans/{full_plan.uuid}/goals/{second.uuid}/move/", {"direction": "up"})
    assert [g.title for g in full_plan.goals.all()] == ["Second", "Negotiate value"]

    client.post(f"/competence-plans/{full_plan.uuid}/goals/{goal.uuid}/delete/")

    assert [g.title for g in full_plan.goals.all()] == ["Second"]
    assert not PlannedInitiative.objects.exists()


def test_participant_cannot_post_changes(full_plan, goal, cast, client_for):
    client = client_for(cast["participant"])

    assert client.post(f"/competence-plans/{full_plan.uuid}/goals/new/", {"title": "Mine"}).status_code == 403
    assert client.post(f"/competence-plans/{full_plan.uuid}/delete/").status_code == 403
    assert (
        client.post(f"/competence-plans/{full_plan.uuid}/goals/{goal.uuid}/move/", {"direction": "up"}).status_code
        == 403
    )
    assert PlanGoal.objects.count() == 1 and CompetencePlan.objects.exists()


def test_delete_plan_page(full_plan, cast, client_for):
    response = client_for(cast["manager"]).post(f"/competence-plans/{full_plan.uuid}/delete/")

    assert response.status_code == 302 and response["Location"] == f"/competence-plans/?year={YEAR}"
    assert not CompetencePlan.objects.exists()


def test_rollup_page_has_every_team(full_plan, other_team, cast, client_for):
    page = client_for(cast["admin"]).get(f"/competence-plans/rollup/?year={YEAR}").content.decode()

    assert "Sales" in page and "Warehouse" in page and "No plan for this year" in page


def test_home_panel_shows_this_weeks_learning_time_and_goals(full_plan, cast, client_for, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 3, 11))
    page = client_for(cast["participant"]).get("/").content.decode()

    assert "Your team's learning time" in page
    assert "Friday, March 13, 2026, 12:00–13:00</strong> · Learning lunch" in page
    assert "Negotiate value" in page
    assert f"/competence-plans/{full_plan.uuid}/" in page


def test_home_panel_is_quiet_without_a_plan(cast, client_for):
    page = client_for(cast["participant"]).get("/").content.decode()

    assert "learning time" not in page


def test_list_and_rollup_query_counts_do_not_grow_with_plans(full_plan, cast, workspace, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from takeroot.competence import services
    from tests.factories import PersonFactory, TeamFactory

    client = client_for(cast["admin"])
    counts = []
    for round_ in range(2):
        with CaptureQueriesContext(connection) as list_queries:
            client.get(f"/competence-plans/?year={YEAR}")
        with CaptureQueriesContext(connection) as rollup_queries:
            client.get(f"/competence-plans/rollup/?year={YEAR}")
        counts.append((len(list_queries), len(rollup_queries)))
        for name in ("North", "South") if round_ == 0 else ():
            team = TeamFactory(workspace=workspace, name=name)
            PersonFactory(workspace=workspace, team=team)
            plan = services.create_plan(workspace=workspace, actor=None, team=team, year=YEAR)
            goal = services.add_goal(plan=plan, actor=None, title="Goal")
            services.add_planned_initiative(plan=plan, actor=None, goal=goal, new_initiative={"title": name})

    assert counts[0] == counts[1]


def test_manager_edits_the_plan_and_a_new_time_zone_moves_the_blocks(full_plan, block, cast, client_for):
    response = client_for(cast["manager"]).post(
        f"/competence-plans/{full_plan.uuid}/edit/", {"timezone": "Europe/Stockholm", "summary": "Sell value, always."}
    )

    assert response.status_code == 302
    full_plan.refresh_from_db()
    block.refresh_from_db()
    assert (full_plan.timezone, full_plan.summary, block.sequence) == ("Europe/Stockholm", "Sell value, always.", 1)
