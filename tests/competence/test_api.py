"""The plans API: the role × endpoint matrix, keys and scopes, other workspaces, CRUD and errors."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from takeroot.catalogue.models import Initiative
from takeroot.competence import services
from takeroot.competence.models import CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative
from takeroot.core.models import AuditEntry
from takeroot.core.services import create_api_key
from tests.factories import TeamFactory

from .conftest import YEAR


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def objects(full_plan, goal, item, block, team):
    doomed = services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR - 1)
    return {
        "plan": full_plan.uuid,
        "doomed": doomed.uuid,
        "goal": goal.uuid,
        "item": item.uuid,
        "block": block.uuid,
        "team": team.uuid,
    }


@pytest.fixture
def key(cast):
    def make(*scopes, workspace=None):
        return create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=None, name="HR sync", scopes=list(scopes)
        )[1]

    return make


BLOCK = {"title": "Reading hour", "weekday": 0, "starts_at": "08:00", "ends_at": "09:00", "every_weeks": 2}
ENDPOINTS = {
    # name: (method, path template, body, status on success)
    "list_plans": ("get", "/api/v1/competence-plans", None, 200),
    "get_plan": ("get", "/api/v1/competence-plans/{plan}", None, 200),
    "create_plan": ("post", "/api/v1/competence-plans", {"team": "{team}", "year": YEAR + 1}, 201),
    "update_plan": ("patch", "/api/v1/competence-plans/{plan}", {"summary": "Sell value, not discounts."}, 200),
    "delete_plan": ("delete", "/api/v1/competence-plans/{doomed}", None, 204),
    "create_goal": ("post", "/api/v1/competence-plans/{plan}/goals", {"title": "Use the CRM"}, 201),
    "update_goal": ("patch", "/api/v1/competence-plans/{plan}/goals/{goal}", {"title": "Negotiate value, always"}, 200),
    "delete_goal": ("delete", "/api/v1/competence-plans/{plan}/goals/{goal}", None, 204),
    "create_item": (
        "post",
        "/api/v1/competence-plans/{plan}/initiatives",
        {"goal": "{goal}", "new_initiative": {"title": "CRM clinic"}},
        201,
    ),
    "update_item": ("patch", "/api/v1/competence-plans/{plan}/initiatives/{item}", {"status": "done"}, 200),
    "delete_item": ("delete", "/api/v1/competence-plans/{plan}/initiatives/{item}", None, 204),
    "create_block": ("post", "/api/v1/competence-plans/{plan}/blocks", BLOCK, 201),
    "update_block": ("patch", "/api/v1/competence-plans/{plan}/blocks/{block}", {"starts_at": "11:30"}, 200),
    "delete_block": ("delete", "/api/v1/competence-plans/{plan}/blocks/{block}", None, 204),
    "rollup": ("get", "/api/v1/competence-plans/rollup?year=2026", None, 200),
}
READS = {"list_plans", "get_plan", "rollup"}
WRITES = set(ENDPOINTS) - READS
ALLOWED = {
    "admin": set(ENDPOINTS),
    "manager": set(ENDPOINTS) - {"rollup"},
    "participant": {"list_plans", "get_plan"},
    "other_participant": {"list_plans", "get_plan"},
    "other_manager": {"list_plans"},
    "stranger": {"list_plans"},
    "trainer": set(),
    "mentor": set(),
}
OBJECT_ENDPOINTS = sorted(name for name, (_m, path, _b, _s) in ENDPOINTS.items() if "{" in path)


def _fill(value, objects):
    if isinstance(value, dict):
        return {k: _fill(v, objects) for k, v in value.items()}
    return value.format(**objects) if isinstance(value, str) else value


def _call(client, name, objects, **headers):
    method, template, body, _status = ENDPOINTS[name]
    path = template.format(**objects)
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, _fill(body, objects), content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_answers_by_role(cast, objects, other_manager, stranger, role, endpoint):
    person = {"other_manager": other_manager, "stranger": stranger}.get(role) or cast[role]
    client = Client()
    client.force_login(person.user)
    response = _call(client, endpoint, objects)
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in ALLOWED[role] else 403), response.content


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_objects_of_another_workspace_answer_404_even_to_its_admin(cast, objects, endpoint):
    client = Client()
    client.force_login(cast["outsider"].user)
    assert _call(client, endpoint, objects).status_code == 404
    assert CompetencePlan.objects.count() == 2


def test_outsider_cannot_plan_for_a_team_of_another_workspace(cast, objects):
    client = Client()
    client.force_login(cast["outsider"].user)
    response = _call(client, "create_plan", objects)
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"team": ["There is no team with this id in the workspace."]},
    )


def test_list_of_an_outsider_shows_nothing_of_ours(client, cast, objects):
    client.force_login(cast["outsider"].user)
    assert client.get("/api/v1/competence-plans").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["competence-plans:read"], READS),
        (["competence-plans:write"], WRITES),
        (["competence-plans:read", "competence-plans:write"], set(ENDPOINTS)),
        (["people:read", "catalogue:read", "catalogue:write", "programmes:write"], set()),
    ],
)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_api_key_answers_by_scope(cast, objects, key, scopes, allowed, endpoint):
    response = _call(Client(), endpoint, objects, **bearer(key(*scopes)))
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in allowed else 403)


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_key_of_another_workspace_gets_404(cast, objects, key, endpoint):
    secret = key("competence-plans:read", "competence-plans:write", workspace=cast["outsider"].workspace)
    assert _call(Client(), endpoint, objects, **bearer(secret)).status_code == 404


# Behaviour --------------------------------------------------------------------------------------


def test_get_plan_answers_goals_initiatives_blocks_and_progress(client, cast, objects, initiative, team):
    client.force_login(cast["participant"].user)
    body = client.get(f"/api/v1/competence-plans/{objects['plan']}").json()

    assert body == {
        "id": str(objects["plan"]),
        "team": str(team.uuid),
        "team_name": "Sales",
        "year": 2026,
        "timezone": "Europe/Warsaw",
        "summary": "Sell value.",
        "goals": [
            {
                "id": str(objects["goal"]),
                "position": 0,
                "title": "Negotiate value",
                "description": "Discounts fall to 8 %.",
                "progress": {"planned": 1, "done": 0},
                "initiatives": [
                    {
                        "id": str(objects["item"]),
                        "goal": str(objects["goal"]),
                        "initiative": str(initiative.uuid),
                        "initiative_title": "Negotiation bootcamp",
                        "status": "planned",
                        "planned_hours": None,
                    }
                ],
            }
        ],
        "blocks": [
            {
                "id": str(objects["block"]),
                "title": "Learning lunch",
                "weekday": 4,
                "starts_at": "12:00:00",
                "ends_at": "13:00:00",
                "every_weeks": 1,
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "sequence": 0,
                "description": "Friday, every week, 12:00–13:00 (Europe/Warsaw)",
                "hours_per_member": 52.0,
            }
        ],
        "progress": {
            "planned": 1,
            "done": 0,
            "members": 3,
            "hours_reserved_per_member": 52.0,
            "hours_reserved": 156.0,
            "hours_used": 0.0,
        },
    }


def test_list_filters_by_year_and_team(client, cast, objects, other_team):
    services.create_plan(workspace=other_team.workspace, actor=None, team=other_team, year=YEAR)
    client.force_login(cast["admin"].user)

    every = client.get("/api/v1/competence-plans").json()
    assert [(p["team_name"], p["year"]) for p in every["items"]] == [
        ("Sales", 2026),
        ("Warehouse", 2026),
        ("Sales", 2025),
    ]
    this_year = client.get("/api/v1/competence-plans?year=2026").json()
    assert this_year["count"] == 2
    sales = client.get(f"/api/v1/competence-plans?team={objects['team']}").json()
    assert [p["year"] for p in sales["items"]] == [2026, 2025]


def test_list_query_count_does_not_grow_with_plans(client, cast, objects, workspace):
    client.force_login(cast["admin"].user)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/competence-plans")
    for name in ("A", "B", "C"):
        services.create_plan(
            workspace=workspace, actor=None, team=TeamFactory(workspace=workspace, name=name), year=YEAR
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/competence-plans").json()["count"] == 5
    assert len(many) == len(few)


def test_create_plan_with_copy_of_last_year(client, cast, objects, team):
    client.force_login(cast["manager"].user)
    response = client.post(
        "/api/v1/competence-plans",
        {"team": str(team.uuid), "year": YEAR + 1, "copy_previous": True, "timezone": "Europe/Stockholm"},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["year"], body["timezone"], body["summary"]) == (2027, "Europe/Stockholm", "Sell value.")
    assert [g["title"] for g in body["goals"]] == ["Negotiate value"]
    assert [b["starts_on"] for b in body["blocks"]] == ["2027-01-01"]


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"team": "{team}", "year": YEAR}, 400, {"year": ["Sales already has a plan for 2026."]}),
        (
            {"team": "{team}", "year": 2030, "timezone": "Mars/Olympus"},
            400,
            {"timezone": ["Unknown time zone: Mars/Olympus"]},
        ),
        ({"team": "{team}", "year": 1990}, 422, None),
        ({"year": 2030}, 422, None),
    ],
)
def test_create_plan_errors(client, cast, objects, body, status, errors):
    client.force_login(cast["admin"].user)
    response = client.post("/api/v1/competence-plans", _fill(body, objects), content_type="application/json")

    assert response.status_code == status
    if errors:
        assert response.json()["errors"] == errors


def test_manager_cannot_create_a_plan_for_a_team_they_do_not_lead(client, cast, objects, other_team):
    client.force_login(cast["manager"].user)
    response = client.post(
        "/api/v1/competence-plans", {"team": str(other_team.uuid), "year": YEAR}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not CompetencePlan.objects.filter(team=other_team).exists()


@pytest.mark.parametrize(
    ("path", "body", "errors"),
    [
        (
            "blocks",
            BLOCK | {"ends_at": "07:00"},
            {"ends_at": ["The learning time must end after it starts, on the same day."]},
        ),
        ("blocks", BLOCK | {"starts_on": "2025-06-01"}, {"starts_on": ["Choose a day in 2026, the year of the plan."]}),
        (
            "initiatives",
            {"goal": "{other_goal}", "new_initiative": {"title": "X"}},
            {"goal": ["There is no such goal in this plan."]},
        ),
        (
            "initiatives",
            {"goal": "{goal}", "initiative": "{initiative}"},
            {"initiative": ["This initiative is already in the plan."]},
        ),
        (
            "initiatives",
            {"goal": "{goal}", "initiative": "{stranger_initiative}"},
            {"initiative": ["There is no such initiative in the catalogue."]},
        ),
        (
            "initiatives",
            {"goal": "{goal}"},
            {"initiative": ["Choose an initiative from the catalogue or give the title of a new one, not both."]},
        ),
    ],
)
def test_part_errors_answer_400_in_words(client, cast, objects, initiative, team, path, body, errors):
    other = services.create_plan(workspace=team.workspace, actor=None, team=team, year=YEAR + 3)
    other_goal = services.add_goal(plan=other, actor=None, title="Elsewhere")
    ids = objects | {"other_goal": other_goal.uuid, "initiative": initiative.uuid, "stranger_initiative": other.uuid}
    client.force_login(cast["manager"].user)

    response = client.post(
        f"/api/v1/competence-plans/{objects['plan']}/{path}", _fill(body, ids), content_type="application/json"
    )

    assert (response.status_code, response.json()["errors"]) == (400, errors)


def test_block_time_with_an_offset_is_refused(client, cast, objects):
    client.force_login(cast["manager"].user)
    response = client.post(
        f"/api/v1/competence-plans/{objects['plan']}/blocks",
        BLOCK | {"starts_at": "08:00+02:00"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_goal_patch_moves_it(client, cast, objects, full_plan):
    second = services.add_goal(plan=full_plan, actor=None, title="Second")
    client.force_login(cast["manager"].user)

    response = client.patch(
        f"/api/v1/competence-plans/{objects['plan']}/goals/{second.uuid}",
        {"position": 0},
        content_type="application/json",
    )

    assert response.json()["position"] == 0
    assert [g.title for g in full_plan.goals.all()] == ["Second", "Negotiate value"]


def test_item_patch_moves_it_to_another_goal_and_marks_it_done(client, cast, objects, full_plan, item):
    second = services.add_goal(plan=full_plan, actor=None, title="Second")
    client.force_login(cast["manager"].user)

    response = client.patch(
        f"/api/v1/competence-plans/{objects['plan']}/initiatives/{item.uuid}",
        {"goal": str(second.uuid), "status": "done", "planned_hours": "4.5"},
        content_type="application/json",
    )

    assert response.json() | {"id": None} == {
        "id": None,
        "goal": str(second.uuid),
        "initiative": str(item.initiative.uuid),
        "initiative_title": "Negotiation bootcamp",
        "status": "done",
        "planned_hours": "4.50",
    }
    assert AuditEntry.objects.filter(object_type="plannedinitiative", action="changed").count() == 1


def test_new_initiative_through_the_api_lands_in_the_catalogue(client, cast, objects, team):
    client.force_login(cast["manager"].user)
    response = client.post(
        f"/api/v1/competence-plans/{objects['plan']}/initiatives",
        {"goal": str(objects["goal"]), "new_initiative": {"title": "CRM clinic", "kind": "book_circle"}},
        content_type="application/json",
    )

    assert response.status_code == 201
    created = Initiative.objects.get(title="CRM clinic")
    assert (created.kind, list(created.teams.all())) == ("book_circle", [team])


def test_block_patch_raises_sequence_and_delete_removes(client, cast, objects):
    client.force_login(cast["manager"].user)
    path = f"/api/v1/competence-plans/{objects['plan']}/blocks/{objects['block']}"

    body = client.patch(path, {"every_weeks": 4, "weekday": 1}, content_type="application/json").json()
    assert (body["sequence"], body["description"]) == (1, "Tuesday, every fourth week, 12:00–13:00 (Europe/Warsaw)")
    assert client.patch(path, {"every_weeks": 3}, content_type="application/json").status_code == 422

    assert client.delete(path).status_code == 204
    assert not LearningTimeBlock.objects.exists()


def test_delete_goal_and_plan_cascade(client, cast, objects):
    client.force_login(cast["admin"].user)

    assert client.delete(f"/api/v1/competence-plans/{objects['plan']}/goals/{objects['goal']}").status_code == 204
    assert not PlannedInitiative.objects.exists() and not PlanGoal.objects.exists()
    assert client.delete(f"/api/v1/competence-plans/{objects['plan']}").status_code == 204
    assert CompetencePlan.objects.count() == 1  # last year's


def test_rollup_totals(client, cast, objects, other_team):
    client.force_login(cast["admin"].user)
    body = client.get("/api/v1/competence-plans/rollup?year=2026").json()

    assert {k: v for k, v in body.items() if k != "teams"} == {
        "year": 2026,
        "plans": 1,
        "goals": 1,
        "planned": 1,
        "done": 0,
        "hours_reserved": 156.0,
        "hours_used": 0.0,
    }
    assert [(row["team_name"], row["plan"] is not None) for row in body["teams"]] == [
        ("Sales", True),
        ("Warehouse", False),
    ]
    assert client.get("/api/v1/competence-plans/rollup?year=1800").status_code == 422


def test_dates_of_blocks_default_to_the_plan_year(client, cast, objects):
    client.force_login(cast["manager"].user)
    body = client.post(
        f"/api/v1/competence-plans/{objects['plan']}/blocks", BLOCK, content_type="application/json"
    ).json()

    assert (body["starts_on"], body["ends_on"]) == ("2026-01-01", "2026-12-31")
    assert body["hours_per_member"] == 26.0  # Mondays from 5 January, every other week: 26 times one hour
    assert datetime.date.fromisoformat(body["starts_on"]).year == YEAR
