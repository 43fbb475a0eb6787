"""The people API: keys and scopes, sessions and roles, filters, pagination, errors."""

import pytest

from takeroot.core.models import AuditEntry, Person
from takeroot.core.services import create_api_key, revoke_api_key


@pytest.fixture
def key(cast):
    def make(*scopes):
        return create_api_key(
            workspace=cast["admin"].workspace, actor=cast["admin"].user, name="HR sync", scopes=list(scopes)
        )[1]

    return make


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_people_list_with_read_key_returns_the_workspace(client, cast, key):
    response = client.get("/api/v1/people?page_size=100", **bearer(key("people:read")))
    assert response.status_code == 200
    emails = sorted(item["email"] for item in response.json()["items"])
    assert emails == sorted(p.user.email for p in cast.values() if p.workspace == cast["admin"].workspace)
    assert response.json()["count"] == 6


def test_people_list_filters_by_role_and_search(client, cast, key):
    secret = key("people:read")
    by_role = client.get("/api/v1/people?role=manager", **bearer(secret)).json()
    assert [p["email"] for p in by_role["items"]] == ["manager@acme.test"]
    by_search = client.get("/api/v1/people?q=olek", **bearer(secret)).json()
    assert [p["name"] for p in by_search["items"]] == ["Olek Other"]


def test_person_out_has_team_manager_and_roles(client, cast, key):
    response = client.get(f"/api/v1/people/{cast['participant'].uuid}", **bearer(key("people:read")))
    assert response.json() == {
        "id": str(cast["participant"].uuid),
        "email": "participant@acme.test",
        "name": "Pia Participant",
        "job_title": "",
        "language": "en",
        "timezone": "Europe/Warsaw",
        "team": str(cast["participant"].team.uuid),
        "team_name": "Sales",
        "manager": str(cast["manager"].uuid),
        "manager_name": "Magnus Manager",
        "roles": ["participant"],
        "account_status": "active",
    }


def test_write_without_write_scope_is_forbidden(client, cast, key):
    response = client.post(
        "/api/v1/people",
        {"email": "new@acme.test", "name": "New"},
        content_type="application/json",
        **bearer(key("people:read")),
    )
    assert response.status_code == 403


def test_create_person_with_write_key(client, cast, key):
    response = client.post(
        "/api/v1/people",
        {
            "email": "Nowa@Acme.test",
            "name": "Nowa Osoba",
            "roles": ["participant", "mentor"],
            "language": "pl",
            "manager": str(cast["manager"].uuid),
        },
        content_type="application/json",
        **bearer(key("people:write")),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["roles"], body["manager_name"]) == (
        "nowa@acme.test",
        ["mentor", "participant"],
        "Magnus Manager",
    )
    assert AuditEntry.objects.filter(object_uuid=body["id"], action="created").count() == 1


def test_create_person_with_bad_email_is_422_with_the_field(client, cast, key):
    response = client.post(
        "/api/v1/people",
        {"email": "not-an-email", "name": "X"},
        content_type="application/json",
        **bearer(key("people:write")),
    )
    assert response.status_code == 422
    assert "email" in response.json()["errors"]


def test_manager_loop_is_refused_with_400(client, cast, key):
    response = client.patch(
        f"/api/v1/people/{cast['manager'].uuid}",
        {"manager": str(cast["participant"].uuid)},
        content_type="application/json",
        **bearer(key("people:write")),
    )
    assert response.status_code == 400
    assert "loop" in response.json()["errors"]["manager"][0]


def test_patch_changes_only_what_was_sent(client, cast, key):
    response = client.patch(
        f"/api/v1/people/{cast['participant'].uuid}",
        {"job_title": "Account manager"},
        content_type="application/json",
        **bearer(key("people:write")),
    )
    assert response.status_code == 200
    assert (response.json()["job_title"], response.json()["manager_name"]) == ("Account manager", "Magnus Manager")


def test_revoked_or_unknown_key_is_401(client, cast, key):
    secret = key("people:read")
    from takeroot.core.models import ApiKey

    revoke_api_key(key=ApiKey.objects.get(), actor=cast["admin"].user)
    assert client.get("/api/v1/people", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/people", **bearer("tk_nonsense")).status_code == 401
    assert client.get("/api/v1/people").status_code == 401


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("trainer", 200),
        ("manager", 200),
        ("mentor", 403),
        ("participant", 403),
    ],
)
def test_session_people_list_by_role(client, cast, role, status):
    client.force_login(cast[role].user)
    assert client.get("/api/v1/people").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 201),
        ("trainer", 403),
        ("manager", 403),
        ("mentor", 403),
        ("participant", 403),
    ],
)
def test_session_create_team_by_role(cast, role, status):
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    client.force_login(cast[role].user)
    response = client.post("/api/v1/teams", {"name": "Support"}, content_type="application/json")
    assert response.status_code == status


def test_session_write_needs_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["admin"].user)
    response = client.post("/api/v1/teams", {"name": "Support"}, content_type="application/json")
    assert response.status_code == 403


def test_me_lists_memberships(client, cast):
    client.force_login(cast["admin"].user)
    body = client.get("/api/v1/me").json()
    assert [m["workspace_name"] for m in body["memberships"]] == ["Acme Polska"]


def test_team_delete_refuses_a_team_with_members(client, cast, key):
    response = client.delete(f"/api/v1/teams/{cast['participant'].team.uuid}", **bearer(key("people:write")))
    assert response.status_code == 400


def test_people_list_query_count_does_not_grow_with_people(client, cast, key, django_assert_max_num_queries):
    secret = key("people:read")
    client.get("/api/v1/people", **bearer(secret))  # warm the key's last-used write
    from tests.factories import PersonFactory

    with django_assert_max_num_queries(6):
        client.get("/api/v1/people", **bearer(secret))
    for _ in range(5):
        PersonFactory(workspace=cast["admin"].workspace, manager=cast["manager"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/people", **bearer(secret))
    assert response.json()["count"] == Person.objects.filter(workspace=cast["admin"].workspace).count()


def test_openapi_declares_error_codes(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    responses = spec["paths"]["/api/v1/people"]["post"]["responses"]
    assert sorted(responses) == ["201", "400", "401", "403", "404", "422"]


def test_people_filter_naming_an_unknown_team_matches_nobody(client, cast, key):
    response = client.get("/api/v1/people?team=00000000-0000-0000-0000-000000000000", **bearer(key("people:read")))
    assert (response.status_code, response.json()["count"]) == (200, 0)
