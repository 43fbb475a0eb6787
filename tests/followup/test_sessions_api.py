"""The follow-up sessions API: trainers schedule, change and cancel (with the calendar mails),
invitees answer, attendance and notes are recorded; wrong roles, wrong workspaces and API key
scopes are refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from takeroot.core.services import create_api_key
from takeroot.followup import sessions as services
from takeroot.followup.models import FollowUpSession

from ..plans.conftest import cohort, programme

__all__ = ["cohort", "programme"]

START = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=14)
JSON = "application/json"


def body(cohort, **fields):
    values = {
        "cohort": str(cohort.uuid),
        "title": "Four weeks on",
        "starts_at": START.isoformat(),
        "ends_at": (START + datetime.timedelta(hours=2)).isoformat(),
        "online_link": "https://meet.example.com/abc",
    }
    values.update(fields)
    return values


@pytest.fixture
def session(cohort, cast):
    return services.schedule_session(
        cohort=cohort,
        actor=None,
        created_by=cast["trainer"],
        title="Four weeks on",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
        place="Room 2",
    )


def methods(sink, email):
    found = []
    for message in sink.messages:
        if message["To"] == email:
            part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
            event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
            found.append((part.get_param("method"), str(event["UID"]), event["SEQUENCE"]))
    return found


def test_schedule_change_and_cancel_through_the_api(
    cohort, cast, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    client = client_for(cast["trainer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/followup-sessions", body(cohort), content_type=JSON)
    assert response.status_code == 201
    created = response.json()
    assert (created["invited"], created["sequence"], created["cancelled_at"]) == (2, 0, None)
    path = f"/api/v1/followup-sessions/{created['id']}"
    later = (START + datetime.timedelta(hours=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            path, {"starts_at": later, "ends_at": (START + datetime.timedelta(hours=3)).isoformat()}, content_type=JSON
        )
    assert (response.status_code, response.json()["sequence"]) == (200, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(path)
    assert response.status_code == 200 and response.json()["cancelled_at"]
    uid = f"{created['id']}@takeroot"
    assert methods(smtp_sink, "participant@acme.test") == [("REQUEST", uid, 0), ("REQUEST", uid, 1), ("CANCEL", uid, 2)]
    assert client.delete(path).status_code == 400


def test_bad_input_answers_400_or_422(cohort, cast, client_for):
    client = client_for(cast["trainer"])
    response = client.post("/api/v1/followup-sessions", body(cohort, online_link="nope"), content_type=JSON)
    assert (response.status_code, list(response.json()["errors"])) == (400, ["online_link"])
    earlier = (START - datetime.timedelta(hours=1)).isoformat()
    response = client.post("/api/v1/followup-sessions", body(cohort, ends_at=earlier), content_type=JSON)
    assert (response.status_code, list(response.json()["errors"])) == (400, ["ends_at"])
    response = client.post(
        "/api/v1/followup-sessions", body(cohort, people=[str(cast["outsider"].uuid)]), content_type=JSON
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["people"])
    naive = START.replace(tzinfo=None).isoformat()
    assert client.post("/api/v1/followup-sessions", body(cohort, starts_at=naive), content_type=JSON).status_code == 422
    assert client.post("/api/v1/followup-sessions", '"x"', content_type=JSON).status_code == 422
    assert not FollowUpSession.objects.exists()


def test_invitations_answers_attendance_and_notes(
    session, cast, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    path = f"/api/v1/followup-sessions/{session.uuid}"
    participant = client_for(cast["participant"])
    response = participant.post(f"{path}/answer", {"answer": "attending"}, content_type=JSON)
    assert (response.status_code, response.json()["answer"]) == (200, "attending")
    assert participant.get(f"{path}/invitations").status_code == 403
    assert participant.get(path).json()["attending"] == 1
    trainer = client_for(cast["trainer"])
    rows = trainer.get(f"{path}/invitations").json()
    assert {row["name"]: row["answer"] for row in rows} == {"Pia Participant": "attending", "Olek Other": "pending"}
    marks = {str(cast["participant"].uuid): True}
    assert trainer.put(f"{path}/attendance", {"attended": marks}, content_type=JSON).status_code == 400  # not started
    FollowUpSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = trainer.put(f"{path}/attendance", {"attended": marks}, content_type=JSON)
    assert {row["name"]: row["attended"] for row in response.json()} == {"Pia Participant": True, "Olek Other": None}
    stranger = {str(cast["trainer"].uuid): True}
    assert trainer.put(f"{path}/attendance", {"attended": stranger}, content_type=JSON).status_code == 400
    notes = {"successes": "Smaller batches", "obstacles": "Freeze", "next_steps": "Pairing"}
    response = trainer.put(f"{path}/notes", notes, content_type=JSON)
    assert (response.status_code, response.json()["next_steps"]) == (200, "Pairing")


def test_inviting_more_people(cohort, cast, client_for, smtp_sink, django_capture_on_commit_callbacks):
    session = services.schedule_session(
        cohort=cohort,
        actor=None,
        created_by=None,
        title="Group",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=1),
        place="Room 2",
        people=[cast["participant"]],
    )
    client = client_for(cast["admin"])
    path = f"/api/v1/followup-sessions/{session.uuid}/invitations"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"people": [str(cast["other_participant"].uuid)]}, content_type=JSON)
    assert (response.status_code, [row["name"] for row in response.json()]) == (201, ["Olek Other"])
    assert [m for m, _uid, _seq in methods(smtp_sink, "other@acme.test")] == ["REQUEST"]
    assert client.post(path, {"people": [str(cast["mentor"].uuid)]}, content_type=JSON).status_code == 400


@pytest.mark.parametrize(
    ("role", "create", "read", "change"),
    [
        ("admin", 201, 200, 200),
        ("trainer", 201, 200, 200),
        ("participant", 403, 200, 403),
        ("other_participant", 403, 200, 403),
        ("mentor", 403, 404, 404),
        ("manager", 403, 404, 404),
        ("outsider", 400, 404, 404),
    ],
)
def test_roles_and_workspaces(session, cohort, cast, client_for, role, create, read, change):
    client = client_for(cast[role])
    assert client.post("/api/v1/followup-sessions", body(cohort), content_type=JSON).status_code == create
    path = f"/api/v1/followup-sessions/{session.uuid}"
    assert client.get(path).status_code == read
    assert client.patch(path, {"title": "Renamed"}, content_type=JSON).status_code == change
    assert client.put(f"{path}/notes", {"successes": "x"}, content_type=JSON).status_code == change
    assert client.delete(path).status_code == change
    listed = [row["id"] for row in client.get("/api/v1/followup-sessions").json()["items"]]
    assert (str(session.uuid) in listed) == (read == 200)
    assert len(listed) == {201: 2, 403: 1 if read == 200 else 0, 400: 0}[create]


def test_only_invitees_answer(session, cast, client_for):
    path = f"/api/v1/followup-sessions/{session.uuid}/answer"
    assert client_for(cast["trainer"]).post(path, {"answer": "attending"}, content_type=JSON).status_code == 403
    response = client_for(cast["participant"]).post(path, {"answer": "maybe"}, content_type=JSON)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [([], 403, 403), (["followup:read"], 200, 403), (["followup:read", "followup:write"], 200, 201)],
)
def test_api_key_scopes(session, cohort, client, scopes, read, write):
    secret = create_api_key(workspace=session.workspace, actor=None, name="HR", scopes=scopes)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/followup-sessions/{session.uuid}", **auth).status_code == read
    assert client.post("/api/v1/followup-sessions", body(cohort), content_type=JSON, **auth).status_code == write
    answer = {"answer": "attending"}
    response = client.post(f"/api/v1/followup-sessions/{session.uuid}/answer", answer, content_type=JSON, **auth)
    assert response.status_code == 403


def test_api_key_of_another_workspace_sees_nothing(session, cast, client):
    secret = create_api_key(workspace=cast["outsider"].workspace, actor=None, name="HR", scopes=["followup:read"])[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/followup-sessions/{session.uuid}", **auth).status_code == 404
    assert client.get("/api/v1/followup-sessions", **auth).json()["items"] == []


def test_the_list_needs_no_more_queries_for_more_sessions(session, cohort, cast, client_for):
    client = client_for(cast["admin"])
    client.get("/api/v1/followup-sessions")  # warm caches (the session, the workspace)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/followup-sessions")
    for title in ("Second", "Third"):
        services.schedule_session(
            cohort=cohort,
            actor=None,
            created_by=None,
            title=title,
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=1),
            place="Room 2",
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/api/v1/followup-sessions")
    assert len(response.json()["items"]) == 3
    assert len(three) == len(one)
