"""The action plans API: the role × endpoint matrix, API keys and scopes, other workspaces, errors."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.plans.models import ActionPlan, SupportRequest


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


GOAL = {"kind": "rating", "title": "Calm meetings", "baseline": 3, "target": 7}
ENDPOINTS = {
    # name: (method, path, body, status on success)
    "list": ("get", "/api/v1/action-plans", None, 200),
    "read": ("get", "/api/v1/action-plans/{plan}", None, 200),
    "update": ("patch", "/api/v1/action-plans/{plan}", {"cadence_days": 14}, 200),
    "add_goal": ("post", "/api/v1/action-plans/{plan}/goals", GOAL, 201),
    "update_goal": ("patch", "/api/v1/action-plans/{plan}/goals/{goal}", {"title": "Release much faster"}, 200),
    "add_task": ("post", "/api/v1/action-plans/{plan}/tasks", {"title": "Pilot", "due_on": "2099-01-01"}, 201),
    "check_ins": ("get", "/api/v1/action-plans/{plan}/check-ins", None, 200),
    "check_in": ("post", "/api/v1/action-plans/{plan}/check-ins", {"status": "on_track", "confidence": 3}, 201),
    "review": ("post", "/api/v1/action-plans/{plan}/review", {"decision": "approve"}, 200),
    "feedback": ("post", "/api/v1/action-plans/{plan}/feedback", {"comment": "Good", "rating": 4}, 201),
    "support": ("get", "/api/v1/action-plans-support", None, 200),
    "answer": ("post", "/api/v1/action-plans-support/{request}/answer", {"answer": "Booked."}, 200),
}
ALWAYS = {"list", "support"}
EXPECTED = {
    "participant": ALWAYS | {"read", "update", "add_goal", "update_goal", "add_task", "check_ins", "check_in"},
    "manager": ALWAYS | {"read", "add_task", "check_ins", "review", "feedback", "answer"},
    "trainer": ALWAYS | {"read", "update", "add_goal", "update_goal", "add_task", "check_ins", "feedback", "answer"},
    "admin": ALWAYS | {"read", "update", "add_goal", "update_goal", "add_task", "check_ins", "review", "answer"},
}
HIDDEN = {"mentor", "other_participant", "outsider"}


def _call(client, name, ids, **extra):
    method, path, body, _ok = ENDPOINTS[name]
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(path.format(**ids), **kwargs, **extra)


@pytest.mark.parametrize("who", sorted(EXPECTED) + sorted(HIDDEN))
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_role_endpoint_matrix(approved, goal, check_in, cast, client_for, who, name):
    ActionPlan.objects.filter(pk=approved.pk).update(state="submitted")  # review needs it, check-ins allow it
    ids = {"plan": approved.uuid, "goal": goal.uuid, "request": SupportRequest.objects.get().uuid}
    response = _call(client_for(cast[who]), name, ids)
    if who == "participant" and name == "answer":
        expected = 404  # one's own request is not among those to answer
    elif who in HIDDEN:
        expected = ENDPOINTS[name][3] if name in ALWAYS else 404
    else:
        expected = ENDPOINTS[name][3] if name in EXPECTED[who] else 403
    assert response.status_code == expected, response.content


def test_list_shows_only_visible_plans(approved, other_enrolment, cast, client_for):
    from takeroot.plans import services

    services.open_plan(enrolment=other_enrolment, actor=None)
    body = client_for(cast["participant"]).get("/api/v1/action-plans").json()
    assert [row["id"] for row in body["items"]] == [str(approved.uuid)]


def test_private_notes_only_for_the_participant(approved, cast, client_for):
    client = client_for(cast["participant"])
    client.patch(f"/api/v1/action-plans/{approved.uuid}", {"private_notes": "Mine"}, content_type="application/json")
    assert client.get(f"/api/v1/action-plans/{approved.uuid}").json()["private_notes"] == "Mine"
    assert client_for(cast["trainer"]).get(f"/api/v1/action-plans/{approved.uuid}").json()["private_notes"] is None
    response = client_for(cast["trainer"]).patch(
        f"/api/v1/action-plans/{approved.uuid}", {"private_notes": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_check_in_with_a_non_numeric_value_answers_400(approved, goal, cast, client_for):
    response = client_for(cast["participant"]).post(
        f"/api/v1/action-plans/{approved.uuid}/check-ins",
        {"status": "on_track", "confidence": 3, "values": {str(goal.uuid): "soon"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {f"goal_{goal.uuid}": ["Enter a number, for example 8.5."]}


def test_goal_with_target_equal_to_baseline_answers_400(plan, cast, client_for):
    response = client_for(cast["participant"]).post(
        f"/api/v1/action-plans/{plan.uuid}/goals",
        {"kind": "numeric", "title": "X", "metric": "M", "baseline": 5, "target": 5},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["target"]


def test_open_plan_over_the_api(enrolment, cast, client_for):
    response = client_for(cast["trainer"]).post(
        "/api/v1/action-plans", {"enrolment": str(enrolment.uuid)}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["state"] == "draft"


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [([], 403, 403), (["action-plans:read"], 200, 403), (["action-plans:read", "action-plans:write"], 200, 200)],
)
def test_api_key_scopes(approved, cast, client, scopes, read, write):
    secret = create_api_key(workspace=approved.workspace, actor=None, name="HR", scopes=scopes)[1]
    assert client.get(f"/api/v1/action-plans/{approved.uuid}", **bearer(secret)).status_code == read
    response = client.patch(
        f"/api/v1/action-plans/{approved.uuid}", {"cadence_days": 14}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == write


def test_api_key_cannot_check_in_or_read_notes(approved, cast, client):
    secret = create_api_key(
        workspace=approved.workspace, actor=None, name="HR", scopes=["action-plans:read", "action-plans:write"]
    )[1]
    body = client.get(f"/api/v1/action-plans/{approved.uuid}", **bearer(secret)).json()
    assert body["private_notes"] is None
    response = client.post(
        f"/api/v1/action-plans/{approved.uuid}/check-ins",
        {"status": "on_track", "confidence": 3},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403


def test_other_workspace_key_gets_404(approved, cast, client):
    secret = create_api_key(workspace=cast["outsider"].workspace, actor=None, name="HR", scopes=["action-plans:read"])[
        1
    ]
    assert client.get(f"/api/v1/action-plans/{approved.uuid}", **bearer(secret)).status_code == 404
