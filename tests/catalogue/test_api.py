"""The catalogue API: the role × endpoint matrix, keys and scopes, other workspaces, facts from a
linked programme and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from takeroot.catalogue.models import Initiative
from takeroot.catalogue.services import create_initiative
from takeroot.core.models import AuditEntry
from takeroot.core.services import create_api_key
from takeroot.programmes.services import create_cohort, create_programme, enrol_people
from tests.factories import TeamFactory


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def initiative(cast, team):
    return create_initiative(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        kind="conference",
        title="Sales Summit",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 3),
        provider="Acme Events",
        cost=Decimal("1200.50"),
        currency="PLN",
        teams=[team],
        people=[cast["participant"], cast["manager"]],
    )


@pytest.fixture
def doomed(cast):
    return create_initiative(workspace=cast["admin"].workspace, actor=None, title="Old habits")


@pytest.fixture
def objects(initiative, doomed):
    return {"initiative": initiative.uuid, "doomed": doomed.uuid}


@pytest.fixture
def key(cast):
    def make(*scopes, workspace=None):
        return create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=None, name="HR sync", scopes=list(scopes)
        )[1]

    return make


# The role × endpoint matrix ----------------------------------------------------------------------

ENDPOINTS = {
    # name: (method, path template, body, status on success)
    "list_initiatives": ("get", "/api/v1/initiatives", None, 200),
    "get_initiative": ("get", "/api/v1/initiatives/{initiative}", None, 200),
    "create_initiative": ("post", "/api/v1/initiatives", {"title": "Negotiation"}, 201),
    "update_initiative": ("patch", "/api/v1/initiatives/{initiative}", {"head_count": 30}, 200),
    "delete_initiative": ("delete", "/api/v1/initiatives/{doomed}", None, 204),
}
READS = {"list_initiatives", "get_initiative"}
ALLOWED = {
    "admin": set(ENDPOINTS),
    "trainer": READS,
    "mentor": set(),
    "manager": set(),
    "participant": set(),
    "other_participant": set(),
}
OBJECT_ENDPOINTS = sorted(name for name, (_m, path, _b, _s) in ENDPOINTS.items() if "{" in path)


def _call(client, name, objects, **headers):
    method, template, body, _status = ENDPOINTS[name]
    path = template.format(**objects)
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, body, content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_answers_by_role(cast, objects, role, endpoint):
    client = Client()
    client.force_login(cast[role].user)
    response = _call(client, endpoint, objects)
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in ALLOWED[role] else 403)


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_objects_of_another_workspace_answer_404_even_to_its_admin(cast, objects, endpoint):
    client = Client()
    client.force_login(cast["outsider"].user)
    assert _call(client, endpoint, objects).status_code == 404
    assert Initiative.objects.count() == 2


def test_list_of_an_outsider_shows_nothing_of_ours(client, cast, objects):
    client.force_login(cast["outsider"].user)
    assert client.get("/api/v1/initiatives").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["catalogue:read"], READS),
        (["catalogue:write"], set(ENDPOINTS) - READS),
        (["catalogue:read", "catalogue:write"], set(ENDPOINTS)),
        (["people:read", "people:write", "programmes:read", "programmes:write"], set()),
    ],
)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_api_key_answers_by_scope(cast, objects, key, scopes, allowed, endpoint):
    response = _call(Client(), endpoint, objects, **bearer(key(*scopes)))
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in allowed else 403)


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_key_of_another_workspace_gets_404(cast, objects, key, endpoint):
    secret = key("catalogue:read", "catalogue:write", workspace=cast["outsider"].workspace)
    assert _call(Client(), endpoint, objects, **bearer(secret)).status_code == 404


def test_read_only_key_cannot_write(cast, initiative, key):
    client, secret = Client(), key("catalogue:read")
    response = client.patch(
        f"/api/v1/initiatives/{initiative.uuid}", {"title": "Hacked"}, content_type="application/json", **bearer(secret)
    )
    assert (response.status_code, response.json()["detail"]) == (403, "You do not have permission to do this.")
    initiative.refresh_from_db()
    assert initiative.title == "Sales Summit"


# Behaviour --------------------------------------------------------------------------------------


def test_get_answers_every_field_and_the_facts(client, cast, initiative, team):
    client.force_login(cast["trainer"].user)
    body = client.get(f"/api/v1/initiatives/{initiative.uuid}").json()
    people = body.pop("people")
    assert sorted(people) == sorted([str(cast["participant"].uuid), str(cast["manager"].uuid)])
    assert body == {
        "id": str(initiative.uuid),
        "kind": "conference",
        "title": "Sales Summit",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-03",
        "provider": "Acme Events",
        "goals": "",
        "head_count": None,
        "cost": "1200.50",
        "currency": "PLN",
        "programme": None,
        "teams": [str(team.uuid)],
        "facts": {
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-03",
            "head_count": 2,  # the people named on it
            "cost": "1200.50",
            "currency": "PLN",
            "from_programme": False,
        },
    }


def test_create_with_programme_teams_and_people_takes_facts_from_the_programme(client, cast, team):
    admin = cast["admin"]
    programme = create_programme(
        workspace=admin.workspace,
        actor=admin.user,
        name="Feedback that lands",
        currency="SEK",
        price_per_participant=Decimal("1000"),
        trainer_hourly_rate=Decimal("100"),
        trainer_hours=Decimal("10"),
        fixed_costs=Decimal("500"),
    )
    spring = create_cohort(
        programme=programme,
        actor=admin.user,
        name="Spring",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 5, 29),
    )
    autumn = create_cohort(
        programme=programme,
        actor=admin.user,
        name="Autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    enrol_people(cohort=spring, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    enrol_people(cohort=autumn, actor=admin.user, people=[cast["manager"]])
    client.force_login(admin.user)
    response = client.post(
        "/api/v1/initiatives",
        {
            "kind": "mentoring",
            "title": "Feedback for leads",
            "head_count": 99,
            "programme": str(programme.uuid),
            "teams": [str(team.uuid)],
            "people": [str(cast["participant"].uuid)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    initiative = Initiative.objects.get(title="Feedback for leads")
    assert (body["id"], body["programme"], body["teams"], body["people"], body["head_count"], body["cost"]) == (
        str(initiative.uuid),
        str(programme.uuid),
        [str(team.uuid)],
        [str(cast["participant"].uuid)],
        99,
        None,
    )
    # 3 participants × 1000 + 2 cohorts × 100 × 10 + 500 fixed
    assert body["facts"] == {
        "starts_on": "2026-03-02",
        "ends_on": "2026-11-30",
        "head_count": 3,
        "cost": "5500.00",
        "currency": "SEK",
        "from_programme": True,
    }
    assert client.get("/api/v1/initiatives").json()["items"][0]["facts"] == body["facts"]
    assert AuditEntry.objects.filter(object_type="initiative", action="created").count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"programme": "00000000-0000-0000-0000-000000000000"},
            {"programme": ["There is no such programme in this workspace."]},
        ),
        (
            {"teams": ["00000000-0000-0000-0000-000000000000"]},
            {"teams": ["There is no team with this id in the workspace."]},
        ),
        (
            {"people": ["00000000-0000-0000-0000-000000000000"]},
            {"people": ["There is nobody with this id in the workspace."]},
        ),
    ],
)
def test_unknown_ids_in_the_body_answer_400_on_their_field(client, cast, body, errors):
    client.force_login(cast["admin"].user)
    response = client.post("/api/v1/initiatives", {"title": "Offsite", **body}, content_type="application/json")
    assert (response.status_code, response.json()["errors"]) == (400, errors)
    assert Initiative.objects.count() == 0


def test_ids_of_another_workspace_in_the_body_answer_400(client, cast, initiative):
    foreign_team = TeamFactory(workspace=cast["outsider"].workspace, name="Globex sales")
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/initiatives/{initiative.uuid}",
        {"teams": [str(foreign_team.uuid)], "people": [str(cast["outsider"].uuid)]},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"teams": ["There is no team with this id in the workspace."]},
    )


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_body_that_is_not_an_object_answers_422(client, cast, initiative, method):
    # A bare string once became an initiative titled by ``str.title()``.
    client.force_login(cast["admin"].user)
    path = "/api/v1/initiatives" + (f"/{initiative.uuid}" if method == "patch" else "")
    response = getattr(client, method)(path, '"AAA"', content_type="application/json")
    assert (response.status_code, response.json()["errors"]) == (422, {"__all__": ["Value error, Send a JSON object."]})
    assert list(Initiative.objects.values_list("title", flat=True)) == ["Sales Summit"]


def test_patch_changes_only_what_is_sent_and_can_clear(client, cast, initiative, team):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/initiatives/{initiative.uuid}",
        {"ends_on": None, "cost": None, "people": [], "goals": "Meet clients"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["ends_on"], body["cost"], body["people"], body["teams"], body["goals"], body["title"]) == (
        None,
        None,
        [],
        [str(team.uuid)],
        "Meet clients",
        "Sales Summit",
    )


def test_patch_ending_before_the_start_answers_400(client, cast, initiative):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/initiatives/{initiative.uuid}", {"ends_on": "2026-03-01"}, content_type="application/json"
    )
    # The words come from the service (its model constraint answers before its own message).
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.ends_on == datetime.date(2026, 3, 3)


def test_delete_removes_the_initiative(client, cast, initiative):
    client.force_login(cast["admin"].user)
    assert client.delete(f"/api/v1/initiatives/{initiative.uuid}").status_code == 204
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Book circle", "Sales Summit", "Negotiation"]),
        ("?kind=conference", ["Sales Summit"]),
        ("?q=acme", ["Sales Summit"]),
        ("?q=CIRCLE", ["Book circle"]),
        ("?year=2025", ["Negotiation"]),
        ("?year=2026", ["Book circle", "Sales Summit", "Negotiation"]),
        ("?year=2027", []),
        ("?kind=workshop&q=nego", ["Negotiation"]),
    ],
)
def test_list_filters(client, cast, initiative, query, titles):
    workspace = cast["admin"].workspace
    create_initiative(workspace=workspace, actor=None, title="Book circle", starts_on=datetime.date(2026, 9, 1))
    create_initiative(
        workspace=workspace,
        actor=None,
        title="Negotiation",
        starts_on=datetime.date(2025, 12, 1),
        ends_on=datetime.date(2026, 1, 31),
    )
    client.force_login(cast["trainer"].user)
    response = client.get("/api/v1/initiatives" + query)
    assert [item["title"] for item in response.json()["items"]] == titles


def test_list_is_paginated(client, cast, initiative, doomed):
    client.force_login(cast["admin"].user)
    response = client.get("/api/v1/initiatives?page=2&page_size=1")
    assert (response.json()["count"], [item["title"] for item in response.json()["items"]]) == (2, ["Old habits"])


# Query counts -----------------------------------------------------------------------------------


def _count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow(client, cast, team):
    admin = cast["admin"]
    workspace = admin.workspace

    def add(title: str, number: int):
        programme = create_programme(workspace=workspace, actor=None, name=f"Programme {number}")
        cohort = create_cohort(
            programme=programme,
            actor=None,
            name="Spring",
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 5, 29),
        )
        enrol_people(cohort=cohort, actor=None, people=[cast["participant"]])
        create_initiative(workspace=workspace, actor=None, title=title, programme=programme, teams=[team])
        create_initiative(
            workspace=workspace, actor=None, title=f"{title} (own)", teams=[team], people=[cast["participant"]]
        )

    add("First", 1)
    client.force_login(admin.user)
    client.get("/api/v1/initiatives")  # warm the session
    one = _count_queries(client, "/api/v1/initiatives")
    add("Second", 2)
    add("Third", 3)
    assert _count_queries(client, "/api/v1/initiatives") == one
    assert client.get("/api/v1/initiatives").json()["count"] == 6
