"""The retrospectives API: the role × endpoint matrix, keys and scopes, other workspaces, the
rater's own answers, validation and query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.retrospectives import services
from takeroot.retrospectives.models import EffectIndicator, Rater, Rating, Retrospective

from .conftest import answer


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def objects(cast, retrospective, initiatives, rater_of):
    services.save_ratings(rater=rater_of(cast["manager"]), answers={initiatives["conference"]: answer(1, [])})
    indicator = services.add_indicator(
        retrospective=retrospective,
        actor=None,
        initiative=initiatives["workshop"],
        name="Complaints",
        value=41,
        source="CRM report Q3",
    )
    doomed = services.open_retrospective(workspace=cast["admin"].workspace, actor=None, title="Doomed")
    return {
        "retro": retrospective.uuid,
        "doomed": doomed.uuid,
        "workshop": initiatives["workshop"].uuid,
        "conference": initiatives["conference"].uuid,
        "rater": rater_of(cast["participant"]).uuid,
        "indicator": indicator.uuid,
        "trainer": cast["trainer"].uuid,
    }


RATING = {"level": 2, "reasons": ["practice_tasks"], "repeat": True}
ENDPOINTS = {
    # name: (method, path template, body, status on success)
    "list": ("get", "/api/v1/retrospectives", None, 200),
    "create": ("post", "/api/v1/retrospectives", {"title": "New one"}, 201),
    "get": ("get", "/api/v1/retrospectives/{retro}", None, 200),
    "update": ("patch", "/api/v1/retrospectives/{retro}", {"title": "Renamed"}, 200),
    "delete": ("delete", "/api/v1/retrospectives/{doomed}", None, 204),
    "close": ("post", "/api/v1/retrospectives/{retro}/close", None, 200),
    "reopen": ("post", "/api/v1/retrospectives/{doomed}/reopen", None, 400),  # already open: allowed, refused
    "list_raters": ("get", "/api/v1/retrospectives/{retro}/raters", None, 200),
    "invite": ("post", "/api/v1/retrospectives/{retro}/raters", {"people": ["{trainer}"]}, 201),
    "remove_rater": ("delete", "/api/v1/retrospectives/{retro}/raters/{rater}", None, 204),
    "list_ratings": ("get", "/api/v1/retrospectives/{retro}/ratings", None, 200),
    "put_rating": ("put", "/api/v1/retrospectives/{retro}/ratings/{workshop}", RATING, 200),
    "delete_rating": ("delete", "/api/v1/retrospectives/{retro}/ratings/{conference}", None, 204),
    "list_indicators": ("get", "/api/v1/retrospectives/{retro}/indicators", None, 200),
    "add_indicator": (
        "post",
        "/api/v1/retrospectives/{retro}/indicators",
        {"initiative": "{workshop}", "name": "NPS", "value": "12.5", "source": "Survey"},
        201,
    ),
    "remove_indicator": ("delete", "/api/v1/retrospectives/{retro}/indicators/{indicator}", None, 204),
}
RATE = {"put_rating", "delete_rating"}
ADMIN = set(ENDPOINTS) - RATE
ALLOWED = {
    "admin": ADMIN,  # not invited: may not answer
    "trainer": {"list"},
    "mentor": {"list"},
    "manager": {"list", "get", "list_ratings", *RATE},
    "participant": {"list", "get", "list_ratings", "put_rating"},  # the participant has no conference rating
    "other_participant": {"list"},
}
OBJECT_ENDPOINTS = sorted(name for name, (_m, path, _b, _s) in ENDPOINTS.items() if "{" in path)


def _fill(value, objects):
    if isinstance(value, str):
        return value.format(**{k: str(v) for k, v in objects.items()})
    if isinstance(value, list):
        return [_fill(item, objects) for item in value]
    if isinstance(value, dict):
        return {k: _fill(v, objects) for k, v in value.items()}
    return value


def _call(client, name, objects, **headers):
    method, template, body, _status = ENDPOINTS[name]
    path = _fill(template, objects)
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, _fill(body, objects), content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_answers_by_role(cast, objects, role, endpoint):
    client = Client()
    client.force_login(cast[role].user)
    response = _call(client, endpoint, objects)
    expected = ENDPOINTS[endpoint][3] if endpoint in ALLOWED[role] else 403
    if role == "participant" and endpoint == "delete_rating":
        expected = 204  # "I don't know it" again: nothing to delete, still fine
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_objects_of_another_workspace_answer_404_even_to_its_admin(cast, objects, endpoint):
    client = Client()
    client.force_login(cast["outsider"].user)
    assert _call(client, endpoint, objects).status_code == 404
    assert Retrospective.objects.count() == 2


def test_list_of_an_outsider_shows_nothing_of_ours(client, cast, objects):
    client.force_login(cast["outsider"].user)
    assert client.get("/api/v1/retrospectives").json() == {"items": [], "count": 0}


READS = {"list", "get", "list_raters", "list_ratings", "list_indicators"}


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["retrospectives:read"], READS),
        (["retrospectives:write"], ADMIN - READS),
        (["retrospectives:read", "retrospectives:write"], ADMIN),
        (["people:read", "catalogue:read", "catalogue:write"], set()),
    ],
)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_api_key_answers_by_scope(cast, objects, key, scopes, allowed, endpoint):
    response = _call(Client(), endpoint, objects, **bearer(key(*scopes)))
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in allowed else 403)


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_key_of_another_workspace_gets_404(cast, objects, key, endpoint):
    secret = key("retrospectives:read", "retrospectives:write", workspace=cast["outsider"].workspace)
    assert _call(Client(), endpoint, objects, **bearer(secret)).status_code == 404


# Behaviour --------------------------------------------------------------------------------------


def test_get_answers_every_field(client, cast, objects, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    body = client.get(f"/api/v1/retrospectives/{retrospective.uuid}").json()
    assert sorted(body.pop("initiatives")) == sorted(
        [str(initiatives["workshop"].uuid), str(initiatives["conference"].uuid)]
    )
    assert body.pop("opened_at")
    assert body == {
        "id": str(retrospective.uuid),
        "title": "What stuck 2025–2026",
        "period_start": "2025-01-01",
        "period_end": "2026-10-31",
        "state": "open",
        "introduction": "Be honest.",
        "raters_invited": 2,
        "raters_done": 0,
        "closed_at": None,
    }


def test_create_with_defaults_and_raters(client, cast, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/api/v1/retrospectives",
        {
            "period_start": "2025-01-01",
            "period_end": "2026-10-31",
            "leadership": [str(cast["manager"].uuid)],
            "participants": [str(cast["participant"].uuid), str(cast["manager"].uuid)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "What stuck and why, 2025–2026"
    assert sorted(body["initiatives"]) == sorted(
        [str(initiatives["workshop"].uuid), str(initiatives["conference"].uuid)]
    )
    assert body["raters_invited"] == 2
    assert sorted(Rater.objects.values_list("person__user__email", "group")) == [
        ("manager@acme.test", "leadership"),
        ("participant@acme.test", "participant"),
    ]
    assert OutgoingMail.objects.filter(template="retrospective_invitation").count() == 2
    assert AuditEntry.objects.filter(object_type="retrospective", action="created", actor=cast["admin"].user).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"leadership": ["00000000-0000-0000-0000-000000000000"]}, "leadership"),
        ({"initiatives": ["00000000-0000-0000-0000-000000000000"]}, "initiatives"),
        ({"period_start": "2026-01-02", "period_end": "2026-01-01"}, "period_end"),
    ],
)
def test_create_refuses_bad_bodies_with_400(client, cast, body, field):
    client.force_login(cast["admin"].user)
    response = client.post("/api/v1/retrospectives", body, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (400, [field])
    assert not Retrospective.objects.exists()


def test_rater_puts_and_reads_only_their_own_answers(cast, objects, retrospective, initiatives):
    client = Client()
    client.force_login(cast["participant"].user)
    path = f"/api/v1/retrospectives/{retrospective.uuid}/ratings/{initiatives['workshop'].uuid}"
    response = client.put(path, {**RATING, "comment": "Mine"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() | {"updated_at": None} == {
        "initiative": str(initiatives["workshop"].uuid),
        "rater": str(objects["rater"]),
        "group": "participant",
        "level": 2,
        "reasons": ["practice_tasks"],
        "other_reason": "",
        "repeat": True,
        "comment": "Mine",
        "updated_at": None,
    }
    items = client.get(f"/api/v1/retrospectives/{retrospective.uuid}/ratings").json()["items"]
    assert [item["comment"] for item in items] == ["Mine"]  # not the manager's
    client.force_login(cast["admin"].user)
    items = client.get(f"/api/v1/retrospectives/{retrospective.uuid}/ratings").json()["items"]
    assert sorted((item["group"], item["level"]) for item in items) == [("leadership", 1), ("participant", 2)]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"level": 2, "reasons": ["other"]}, 400, "other_reason"),
        ({"level": 2, "reasons": ["charisma"]}, 422, "reasons.0"),
        ({"level": 9}, 422, "level"),
    ],
)
def test_put_rating_refuses_bad_answers(client, cast, objects, retrospective, initiatives, body, status, field):
    client.force_login(cast["participant"].user)
    path = f"/api/v1/retrospectives/{retrospective.uuid}/ratings/{initiatives['workshop'].uuid}"
    response = client.put(path, body, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (status, [field])
    assert not Rating.objects.filter(rater__person=cast["participant"]).exists()


def test_put_rating_for_an_initiative_not_under_review_or_when_closed(
    client, cast, objects, retrospective, initiatives
):
    client.force_login(cast["participant"].user)
    response = client.put(
        f"/api/v1/retrospectives/{retrospective.uuid}/ratings/{initiatives['old'].uuid}",
        RATING,
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["initiative"])
    services.close_retrospective(retrospective=retrospective, actor=None)
    response = client.put(
        f"/api/v1/retrospectives/{retrospective.uuid}/ratings/{initiatives['workshop'].uuid}",
        RATING,
        content_type="application/json",
    )
    assert response.status_code == 400 and "closed" in response.json()["detail"]


def test_api_key_cannot_rate_for_a_person(cast, objects, key, retrospective, initiatives):
    secret = key("retrospectives:read", "retrospectives:write")
    response = Client().put(
        f"/api/v1/retrospectives/{retrospective.uuid}/ratings/{initiatives['workshop'].uuid}",
        RATING,
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403


def test_patch_initiatives_and_close_through_the_api(client, cast, objects, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/retrospectives/{retrospective.uuid}",
        {"initiatives": [str(initiatives["workshop"].uuid)]},
        content_type="application/json",
    )
    assert response.json()["initiatives"] == [str(initiatives["workshop"].uuid)]
    assert not Rating.objects.exists()  # the manager's conference rating went with the conference
    assert client.post(f"/api/v1/retrospectives/{retrospective.uuid}/close").json()["state"] == "closed"
    assert client.post(f"/api/v1/retrospectives/{retrospective.uuid}/close").status_code == 400
    response = client.post(
        f"/api/v1/retrospectives/{retrospective.uuid}/raters",
        {"people": [str(cast["trainer"].uuid)]},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_indicator_needs_an_initiative_under_review(client, cast, objects, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        f"/api/v1/retrospectives/{retrospective.uuid}/indicators",
        {"initiative": str(initiatives["old"].uuid), "name": "NPS", "value": "1", "source": "Survey"},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["initiative"])
    items = client.get(f"/api/v1/retrospectives/{retrospective.uuid}/indicators").json()
    assert [(i["name"], i["value"], i["source"]) for i in items] == [("Complaints", "41.00", "CRM report Q3")]
    assert EffectIndicator.objects.count() == 1


def test_list_query_count_does_not_grow(client, cast, objects):
    client.force_login(cast["admin"].user)
    client.get("/api/v1/retrospectives")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/retrospectives")
    for _ in range(2):
        services.open_retrospective(workspace=cast["admin"].workspace, actor=None, leadership=[cast["manager"]])
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/retrospectives")
    assert len(more) == len(few)


def test_a_rater_lists_the_ones_they_are_invited_to_with_full_counts(client, cast, objects, retrospective):
    client.force_login(cast["participant"].user)
    body = client.get("/api/v1/retrospectives").json()
    assert [(item["id"], item["raters_invited"]) for item in body["items"]] == [(str(retrospective.uuid), 2)]
