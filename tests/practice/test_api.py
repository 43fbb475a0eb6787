"""The practice API: the role × endpoint matrix, API keys and their scopes, other workspaces,
errors, and completion figures."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.practice import services
from takeroot.practice.models import PracticeAssignment

from .conftest import FUTURE


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


TASK = {"title": "Run one meeting", "instructions": "Use the agenda.", "due_on": FUTURE.isoformat()}
ENDPOINTS = {
    # name: (method, path, body, status on success)
    "list": ("get", "/api/v1/practice-tasks", None, 200),
    "create": ("post", "/api/v1/practice-tasks", "create", 201),
    "read": ("get", "/api/v1/practice-tasks/{task}", None, 200),
    "update": ("patch", "/api/v1/practice-tasks/{task}", {"title": "Renamed"}, 200),
    "assignments": ("get", "/api/v1/practice-tasks/{task}/assignments", None, 200),
    "assign": ("post", "/api/v1/practice-tasks/{task}/assignments", {}, 201),
    "assignment": ("get", "/api/v1/practice-assignments/{assignment}", None, 200),
    "report": ("post", "/api/v1/practice-assignments/{assignment}/reports", {"text": "Again"}, 201),
    "review_trainer": (
        "post",
        "/api/v1/practice-assignments/{assignment}/reviews",
        {"role": "trainer", "verdict": "accepted"},
        201,
    ),
    "review_supervisor": (
        "post",
        "/api/v1/practice-assignments/{assignment}/reviews",
        {"role": "supervisor", "verdict": "accepted"},
        201,
    ),
    "completion": ("get", "/api/v1/cohorts/{cohort}/practice-completion", None, 200),
}
ALWAYS = {"list"}
SEES = {"read", "assignments", "assignment"}
MANAGE = {"create", "update", "assign", "completion", "review_trainer"}
EXPECTED = {
    "participant": ALWAYS | SEES | {"report"},
    "manager": ALWAYS | SEES | {"review_supervisor"},
    "trainer": ALWAYS | SEES | MANAGE,
    "admin": ALWAYS | SEES | MANAGE,
}
# In the workspace, the task and assignment are out of sight; the cohort is not (403).
HIDDEN = {"other_participant", "other_manager", "other_trainer", "mentor"}


def _call(client, name, ids, **extra):
    method, path, body, _ok = ENDPOINTS[name]
    if body == "create":
        body = TASK | {"cohort": str(ids["cohort"])}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(path.format(**ids), **kwargs, **extra)


@pytest.mark.parametrize("who", sorted(EXPECTED) + sorted(HIDDEN) + ["outsider"])
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_role_endpoint_matrix(submitted, other_enrolment, cohort, task, people, client_for, who, name):
    if name == "report":
        PracticeAssignment.objects.filter(pk=submitted.pk).update(state="needs_more_work")
    ids = {"cohort": cohort.uuid, "task": task.uuid, "assignment": submitted.uuid}
    response = _call(client_for(people[who]), name, ids)
    if name in ALWAYS:
        expected = ENDPOINTS[name][3]
    elif who == "outsider":
        expected = 400 if name == "create" else 404  # a cohort named in the body is unknown: 400 on that field
    elif who in HIDDEN:
        expected = 403 if name in ("create", "completion") else 404
    else:
        expected = ENDPOINTS[name][3] if name in EXPECTED[who] else 403
    assert response.status_code == expected, response.content


def test_list_shows_only_visible_tasks(task, assignment, cohort, cast, client_for):
    services.create_task(cohort=cohort, actor=None, created_by=None, title="Other", instructions="I", due_on=FUTURE)
    body = client_for(cast["participant"]).get("/api/v1/practice-tasks").json()
    assert [row["id"] for row in body["items"]] == [str(task.uuid)]
    assert len(client_for(cast["trainer"]).get("/api/v1/practice-tasks").json()["items"]) == 2


def test_assignment_shows_versions_files_and_reviews(submitted, cast, client_for):
    services.request_more_work(
        assignment=submitted, actor=None, reviewer=cast["manager"], role="supervisor", comment="More, please."
    )
    body = client_for(cast["participant"]).get(f"/api/v1/practice-assignments/{submitted.uuid}").json()
    assert body["state"] == "needs_more_work"
    assert body["supervisor"] == "Magnus Manager"
    assert body["needs_supervisor"] is True
    (report,) = body["reports"]
    assert [f["name"] for f in report["attachments"]] == ["notes.pdf"]
    assert report["attachments"][0]["download_url"].startswith("/practice/files/")
    assert [(r["role"], r["verdict"], r["comment"]) for r in report["reviews"]] == [
        ("supervisor", "needs_more_work", "More, please.")
    ]


def test_review_flow_and_completion_over_the_api(submitted, other_assignment, cohort, task, cast, client_for):
    path = f"/api/v1/practice-assignments/{submitted.uuid}/reviews"
    trainer = client_for(cast["trainer"])
    response = trainer.post(path, {"role": "trainer", "verdict": "needs_more_work"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["Say what is missing before you ask for more work."]}
    trainer.post(path, {"role": "trainer", "verdict": "accepted"}, content_type="application/json")
    manager = client_for(cast["manager"])
    body = manager.post(path, {"role": "supervisor", "verdict": "accepted"}, content_type="application/json").json()
    assert body["state"] == "completed"
    trainer = client_for(cast["trainer"])  # one test client, signed in again
    completion = trainer.get(f"/api/v1/cohorts/{cohort.uuid}/practice-completion").json()
    expected = {"assigned": 2, "submitted": 1, "completed": 1, "percent_completed": 50}
    assert completion["completion"] == expected
    assert [t["completion"] for t in completion["tasks"]] == [expected]
    assert trainer.get(f"/api/v1/practice-tasks/{task.uuid}").json()["completion"] == expected


def test_create_task_with_an_unknown_cohort_or_module_answers_400(cohort, cast, client_for):
    client = client_for(cast["admin"])
    response = client.post(
        "/api/v1/practice-tasks", TASK | {"cohort": str(cast["admin"].uuid)}, content_type="application/json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["cohort"])
    response = client.post(
        "/api/v1/practice-tasks",
        TASK | {"cohort": str(cohort.uuid), "module": str(cohort.uuid)},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["module"])


def test_assign_chosen_enrolments_over_the_api(task, enrolment, cast, client_for):
    response = client_for(cast["trainer"]).post(
        f"/api/v1/practice-tasks/{task.uuid}/assignments",
        {"enrolments": [str(enrolment.uuid)]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [row["participant"] for row in response.json()] == ["Pia Participant"]
    response = client_for(cast["trainer"]).post(
        f"/api/v1/practice-tasks/{task.uuid}/assignments",
        {"enrolments": [str(task.uuid)]},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["enrolments"])


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [([], 403, 403), (["practice:read"], 200, 403), (["practice:read", "practice:write"], 200, 200)],
)
def test_api_key_scopes(submitted, task, cohort, client, scopes, read, write):
    secret = create_api_key(workspace=task.workspace, actor=None, name="HR", scopes=scopes)[1]
    assert client.get(f"/api/v1/practice-tasks/{task.uuid}", **bearer(secret)).status_code == read
    assert client.get(f"/api/v1/practice-assignments/{submitted.uuid}", **bearer(secret)).status_code == read
    assert client.get(f"/api/v1/cohorts/{cohort.uuid}/practice-completion", **bearer(secret)).status_code == read
    response = client.patch(
        f"/api/v1/practice-tasks/{task.uuid}", {"title": "Renamed"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == write


def test_api_key_cannot_report_or_review(submitted, task, client):
    secret = create_api_key(
        workspace=task.workspace, actor=None, name="HR", scopes=["practice:read", "practice:write"]
    )[1]
    path = f"/api/v1/practice-assignments/{submitted.uuid}"
    review = {"role": "trainer", "verdict": "accepted"}
    assert client.post(f"{path}/reviews", review, content_type="application/json", **bearer(secret)).status_code == 403
    PracticeAssignment.objects.filter(pk=submitted.pk).update(state="needs_more_work")
    report = {"text": "By a key"}
    assert client.post(f"{path}/reports", report, content_type="application/json", **bearer(secret)).status_code == 403


def test_other_workspace_key_gets_404(submitted, task, cast, client):
    secret = create_api_key(workspace=cast["outsider"].workspace, actor=None, name="HR", scopes=["practice:read"])[1]
    assert client.get(f"/api/v1/practice-tasks/{task.uuid}", **bearer(secret)).status_code == 404
    assert client.get(f"/api/v1/practice-assignments/{submitted.uuid}", **bearer(secret)).status_code == 404
