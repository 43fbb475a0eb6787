"""The API's role matrix: each role × each endpoint, and other workspaces answer 404."""

import pytest
from django.test import Client

from takeroot.core.models import Team

READS = {"list_people", "get_person", "list_teams", "get_team", "me"}
ENDPOINTS = {
    # name: (method, path template, body)
    "me": ("get", "/api/v1/me", None),
    "list_people": ("get", "/api/v1/people", None),
    "get_person": ("get", "/api/v1/people/{participant}", None),
    "create_person": ("post", "/api/v1/people", {"email": "new@acme.test", "name": "New Person"}),
    "update_person": ("patch", "/api/v1/people/{participant}", {"job_title": "Seller"}),
    "delete_person": ("delete", "/api/v1/people/{participant}", None),
    "list_teams": ("get", "/api/v1/teams", None),
    "get_team": ("get", "/api/v1/teams/{team}", None),
    "create_team": ("post", "/api/v1/teams", {"name": "Support"}),
    "update_team": ("patch", "/api/v1/teams/{team}", {"name": "Sales Poland"}),
    "delete_team": ("delete", "/api/v1/teams/{empty_team}", None),
}
SUCCESS = {"get": 200, "post": 201, "patch": 200, "delete": 204}
ALLOWED = {
    "admin": set(ENDPOINTS),
    "trainer": READS,
    "manager": READS,
    "mentor": {"me"},
    "participant": {"me", "get_person"},  # their own record
    "other_participant": {"me"},
}


def _call(client, name, cast, empty_team):
    method, template, body = ENDPOINTS[name]
    path = template.format(
        participant=cast["participant"].uuid, team=cast["participant"].team.uuid, empty_team=empty_team.uuid
    )
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.fixture
def empty_team(cast):
    return Team.objects.create(workspace=cast["admin"].workspace, name="Empty")


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_answers_by_role(cast, empty_team, role, endpoint):
    client = Client()
    client.force_login(cast[role].user)
    response = _call(client, endpoint, cast, empty_team)
    expected = SUCCESS[ENDPOINTS[endpoint][0]] if endpoint in ALLOWED[role] else 403
    assert response.status_code == expected


@pytest.mark.parametrize(
    "endpoint", ["get_person", "update_person", "delete_person", "get_team", "update_team", "delete_team"]
)
def test_objects_of_another_workspace_answer_404_even_to_its_admin(cast, empty_team, endpoint):
    client = Client()
    client.force_login(cast["outsider"].user)
    assert _call(client, endpoint, cast, empty_team).status_code == 404
