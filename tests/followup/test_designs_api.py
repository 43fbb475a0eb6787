"""Follow-up designs over JSON: designs and steps, the preview and the test send, with their
permissions (roles, other workspaces, API key scopes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.services import create_api_key
from takeroot.followup import designs, schedule
from takeroot.followup.models import Design, Step
from takeroot.programmes import services as programmes

from . import test_designs

# The design tests' fixtures: a programme, its cohort with the participant enrolled, the default design.
course, run, enrolment, default_design = (
    test_designs.course,
    test_designs.run,
    test_designs.enrolment,
    test_designs.default_design,
)

API = "/api/v1/followup-designs"


def post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def patch(client, path, body, **extra):
    return client.patch(path, body, content_type="application/json", **extra)


def bearer(workspace, *scopes):
    secret = create_api_key(workspace=workspace, actor=None, name="HR system", scopes=list(scopes))[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_create_from_default_and_read(course, cast, client_for):
    client = client_for(cast["trainer"])
    response = post(client, API, {"programme": str(course.uuid), "from_default": True})
    assert response.status_code == 201
    body = response.json()
    assert body["programme"] == str(course.uuid) and body["name"] == "Follow-up for Difficult conversations"
    assert [(s["kind"], s["offset_days"]) for s in body["steps"]] == [
        ("action_plan", 1),
        ("survey", 1),
        ("material", 3),
        ("material", 7),
        ("check_in", 7),
        ("quiz_round", 7),
        ("session_invitation", 14),
        ("manager_talk", 21),
        ("message", 28),
        ("survey", 75),
        ("message", 90),
        ("message", 90),
    ]
    assert set(body["steps"][0]["content"]) == {"en", "pl", "sv", "zh-hans"}
    again = post(client, API, {"programme": str(course.uuid)})
    assert again.status_code == 400
    listed = client.get(API).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert client.get(f"{API}/{body['id']}").json()["steps"] == body["steps"]


def test_list_queries_do_not_grow_with_designs(default_design, cast, client_for):
    client = client_for(cast["admin"])
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(API).json()["items"]) == 1
    for name in ("Feedback", "Coaching"):
        programme = programmes.create_programme(
            workspace=cast["admin"].workspace, actor=None, name=name, currency="PLN"
        )
        designs.create_design(programme=programme, actor=None, from_default=True)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(API).json()["items"]) == 3
    assert len(three) == len(one)


def test_create_for_an_unknown_programme_answers_400(cast, client_for):
    response = post(client_for(cast["admin"]), API, {"programme": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 400 and "programme" in response.json()["errors"]


def test_create_as_a_copy_of_another_design(default_design, cast, client_for):
    other = programmes.create_programme(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Coaching", currency="PLN"
    )
    client = client_for(cast["admin"])
    response = post(client, API, {"programme": str(other.uuid), "copy_from": str(default_design.uuid)})
    assert response.status_code == 201
    assert len(response.json()["steps"]) == default_design.steps.count()
    unknown = post(client, API, {"programme": str(other.uuid), "copy_from": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 400 and "copy_from" in unknown.json()["errors"]


def test_design_patch_and_delete(default_design, cast, client_for):
    client = client_for(cast["admin"])
    path = f"{API}/{default_design.uuid}"
    response = patch(client, path, {"name": "After the course", "description": "Ours"})
    assert (response.json()["name"], response.json()["description"]) == ("After the course", "Ours")
    assert patch(client, path, {"name": ""}).status_code == 400
    assert client.delete(path).status_code == 204
    assert not Design.objects.exists()


def test_steps_add_change_delete(default_design, cast, client_for):
    client = client_for(cast["admin"])
    path = f"{API}/{default_design.uuid}/steps"
    body = {
        "kind": "material",
        "material_kind": "video",
        "material_url": "https://video.example/a",
        "offset_days": 10,
        "send_at": "08:15",
        "content": {"en": {"subject": "Watch this", "body": "Five minutes, {name}."}},
    }
    response = post(client, path, body)
    assert response.status_code == 201
    step = response.json()
    assert (step["send_at"], step["position"], step["content"]["en"]["checklist"]) == ("08:15:00", 13, [])
    step_path = f"{path}/{step['id']}"
    response = patch(client, step_path, {"offset_days": 12, "essential": True})
    assert (response.json()["offset_days"], response.json()["essential"]) == (12, True)
    assert response.json()["material_url"] == "https://video.example/a"
    assert client.delete(step_path).status_code == 204
    assert not Step.objects.filter(uuid=step["id"]).exists()
    assert client.delete(step_path).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"kind": "message", "content": {"en": {"subject": "Hi"}}}, 400, "content"),
        ({"kind": "message", "content": {"en": {"subject": "Hi", "body": "x"}}, "repeat_for_days": 7}, 400, None),
        ({"kind": "manager_talk", "content": {"en": {"subject": "Hi", "body": "x"}}}, 400, "audience"),
        (
            {"kind": "material", "material_kind": "document", "content": {"en": {"subject": "a", "body": "b"}}},
            400,
            None,
        ),
        ({"kind": "quiz", "content": {"en": {"subject": "a", "body": "b"}}}, 422, "kind"),
        ({"kind": "message", "offset_days": 900, "content": {"en": {"subject": "a", "body": "b"}}}, 422, None),
        ({"kind": "message"}, 422, "content"),
        ({"kind": "message", "send_at": "08:15Z", "content": {"en": {"subject": "a", "body": "b"}}}, 422, "send_at"),
    ],
)
def test_invalid_steps_are_refused(default_design, cast, client_for, body, status, field):
    response = post(client_for(cast["admin"]), f"{API}/{default_design.uuid}/steps", body)
    assert response.status_code == status
    if field:
        assert field in response.json()["errors"]
    assert default_design.steps.count() == 12


@pytest.mark.parametrize("role", ["participant", "manager", "mentor"])
def test_other_roles_get_403(default_design, course, cast, client_for, role):
    client = client_for(cast[role])
    step = default_design.steps.first()
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{default_design.uuid}").status_code == 403
    assert client.get(f"{API}/{default_design.uuid}/preview").status_code == 403
    assert patch(client, f"{API}/{default_design.uuid}", {"name": "x"}).status_code == 403
    assert post(client, f"{API}/{default_design.uuid}/steps/{step.uuid}/test-send", {}).status_code == 403
    assert client.delete(f"{API}/{default_design.uuid}/steps/{step.uuid}").status_code == 403
    assert post(client, API, {"programme": str(course.uuid)}).status_code == 403


def test_another_workspace_gets_404(default_design, cast, client_for):
    client = client_for(cast["outsider"])
    step = default_design.steps.first()
    assert client.get(API).json()["items"] == []
    assert client.get(f"{API}/{default_design.uuid}").status_code == 404
    assert patch(client, f"{API}/{default_design.uuid}/steps/{step.uuid}", {"offset_days": 2}).status_code == 404
    assert client.delete(f"{API}/{default_design.uuid}").status_code == 404
    assert Design.objects.filter(pk=default_design.pk).exists()


def test_api_keys_follow_their_scopes(default_design, cast, client):
    workspace = default_design.workspace
    read = bearer(workspace, "followup:read")
    assert client.get(API, **read).status_code == 200
    assert client.get(f"{API}/{default_design.uuid}", **read).status_code == 200
    assert patch(client, f"{API}/{default_design.uuid}", {"name": "x"}, **read).status_code == 403
    write = bearer(workspace, "followup:read", "followup:write")
    assert patch(client, f"{API}/{default_design.uuid}", {"name": "Keyed"}, **write).status_code == 200
    other = bearer(cast["outsider"].workspace, "followup:read", "followup:write")
    assert client.get(f"{API}/{default_design.uuid}", **other).status_code == 404
    assert client.get(API, **bearer(workspace, "people:read")).status_code == 403


def test_preview_lists_the_planned_timeline(default_design, enrolment, cast, client_for):
    client = client_for(cast["admin"])
    body = client.get(f"{API}/{default_design.uuid}/preview?enrolment={enrolment.uuid}").json()
    assert body["enrolment"] == str(enrolment.uuid) and body["participant_name"] == "Pia Participant"
    planned = designs.preview(enrolment, design=default_design)
    assert [(t["step"], t["recipient"], t["occurrence"]) for t in body["touchpoints"]] == [
        (str(row.step.uuid), str(row.recipient.uuid), row.occurrence) for row in planned
    ]
    first = body["touchpoints"][0]
    assert first["kind"] == "action_plan"
    assert first["due_at"] == "2026-10-01T07:00:00Z"
    assert first["subject"] == "Difficult conversations: write down what you will do differently"
    assert len(planned) == len(schedule.plan_enrolment(enrolment))
    # Without an enrolment: the default one; an unknown one is a 400 on the field.
    assert client.get(f"{API}/{default_design.uuid}/preview").json()["enrolment"] == str(enrolment.uuid)
    missing = client.get(f"{API}/{default_design.uuid}/preview?enrolment=00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 400 and "enrolment" in missing.json()["errors"]


def test_preview_without_participants_is_empty(default_design, cast, client_for):
    body = client_for(cast["admin"]).get(f"{API}/{default_design.uuid}/preview").json()
    assert body == {"enrolment": None, "participant_name": None, "cohort": None, "touchpoints": []}


def test_test_send_goes_to_the_signed_in_person(default_design, enrolment, cast, client_for, smtp_sink):
    step = designs.timeline(default_design)[7]  # the manager's conversation
    path = f"{API}/{default_design.uuid}/steps/{step.uuid}/test-send?enrolment={enrolment.uuid}"
    response = post(client_for(cast["admin"]), path, {})
    assert response.status_code == 200 and response.json() == {"sent_to": "admin@acme.test"}
    assert [m["To"] for m in smtp_sink.messages] == ["admin@acme.test"]
    assert "Pia Participant" in smtp_sink.messages[0]["Subject"]


def test_test_send_refuses_api_keys_with_a_reason(default_design, enrolment, client, smtp_sink):
    step = default_design.steps.first()
    keyed = bearer(default_design.workspace, "followup:read", "followup:write")
    response = post(client, f"{API}/{default_design.uuid}/steps/{step.uuid}/test-send", {}, **keyed)
    assert response.status_code == 403
    assert "sign in" in response.json()["detail"]
    assert smtp_sink.messages == []
