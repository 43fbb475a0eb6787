"""Tickets over JSON: list (state, mine), get, raise (participants; never an API key), the thread
(internal notes never shown to the learner), answer, confirm, reassign; scopes tickets:read and
tickets:write; another participant 403, another workspace 404."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.tickets import services
from takeroot.tickets.enums import Category, CommentKind, TicketState
from takeroot.tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db
API = "/api/v1/tickets"
JSON = "application/json"


@pytest.fixture
def ticket(cast, enrolment):
    return services.raise_ticket(
        person=cast["participant"], category=Category.CONTENT, subject="Script", body="Where?", enrolment=enrolment
    )


def key(cast, *scopes):
    return {
        "HTTP_AUTHORIZATION": "Bearer "
        + create_api_key(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="k", scopes=list(scopes))[1]
    }


def test_the_learner_raises_a_ticket(cast, client_for, enrolment, modules):
    body = {"category": "content", "subject": "Opening", "body": "Which opener?", "module": str(modules[0].uuid)}
    response = client_for(cast["participant"]).post(API, body, content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert (data["number"], data["state"], data["source"], data["owner_name"]) == (1, "open", "api", "Maja Mentor")
    assert data["module"] == str(modules[0].uuid)
    assert data["remaining_hours"] > 23.9
    assert Ticket.objects.get().enrolment == enrolment


def test_bad_input_is_refused(cast, client_for, enrolment, other_enrolment):
    client = client_for(cast["participant"])
    response = client.post(
        API,
        {"category": "content", "subject": " ", "body": "x", "enrolment": str(other_enrolment.uuid)},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"enrolment"}
    response = client.post(API, {"category": "content", "subject": " ", "body": "x"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["errors"] == {"subject": ["Write a short subject."]}
    assert client.post(API, {"category": "gossip", "subject": "a", "body": "b"}, content_type=JSON).status_code == 422
    assert not Ticket.objects.exists()


def test_an_api_key_never_acts_as_a_learner(cast, client, ticket):
    writer = key(cast, "tickets:read", "tickets:write")
    body = {"category": "content", "subject": "Opening", "body": "Which opener?"}
    assert client.post(API, body, content_type=JSON, **writer).status_code == 403
    services.answer(ticket=ticket, person=cast["mentor"], body="Page 4.")
    response = client.post(f"{API}/{ticket.uuid}/confirm", {"helped": True}, content_type=JSON, **writer)
    assert response.status_code == 403
    assert Ticket.objects.get().state == TicketState.ANSWERED


def test_list_and_filters(cast, client_for, ticket, other_enrolment):
    theirs = services.raise_ticket(
        person=cast["other_participant"], category="technical", subject="Login", body="?", enrolment=other_enrolment
    )
    services.answer(ticket=theirs, person=cast["admin"], body="Fixed.")
    learner = client_for(cast["participant"])
    assert [t["subject"] for t in learner.get(API).json()["items"]] == ["Script"]
    admin = client_for(cast["admin"])
    assert [t["subject"] for t in admin.get(API).json()["items"]] == ["Login", "Script"]
    assert [t["subject"] for t in admin.get(f"{API}?state=answered").json()["items"]] == ["Login"]
    assert [t["subject"] for t in client_for(cast["mentor"]).get(f"{API}?mine=true").json()["items"]] == ["Script"]
    assert client_for(cast["outsider"]).get(API).json()["items"] == []


def test_the_list_does_not_grow_queries_with_tickets(cast, client_for, enrolment, django_assert_max_num_queries):
    def make(n):
        for index in range(n):
            services.raise_ticket(
                person=cast["participant"], category="other", subject=f"T{index}", body="?", enrolment=enrolment
            )

    client = client_for(cast["admin"])
    make(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(API)
    make(2)
    with CaptureQueriesContext(connection) as three:
        assert client.get(API).json()["count"] == 3
    assert len(three) == len(one)


def test_internal_notes_are_never_shown_to_the_learner(cast, client_for, ticket):
    mentor = client_for(cast["mentor"])
    response = mentor.post(
        f"{API}/{ticket.uuid}/comments", {"body": "Asked before.", "internal": True}, content_type=JSON
    )
    assert (response.status_code, response.json()["kind"]) == (201, "note")
    assert "Asked before." in [c["body"] for c in mentor.get(f"{API}/{ticket.uuid}/comments").json()]
    learner = client_for(cast["participant"])
    bodies = [c["body"] for c in learner.get(f"{API}/{ticket.uuid}/comments").json()]
    assert bodies == ["Raised and sent to Maja Mentor."]
    refused = learner.post(f"{API}/{ticket.uuid}/comments", {"body": "x", "internal": True}, content_type=JSON)
    assert refused.status_code == 400


def test_answer_confirm_and_the_learners_message(cast, client_for, ticket):
    answered = client_for(cast["mentor"]).post(f"{API}/{ticket.uuid}/answer", {"body": "Page 4."}, content_type=JSON)
    assert (answered.status_code, answered.json()["kind"]) == (201, "answer")
    learner = client_for(cast["participant"])
    data = learner.get(f"{API}/{ticket.uuid}").json()
    assert (data["state"], data["within_promise"]) == ("answered", True)
    reopened = learner.post(f"{API}/{ticket.uuid}/confirm", {"helped": False}, content_type=JSON).json()
    assert (reopened["state"], reopened["reopened"]) == ("open", 1)
    client_for(cast["mentor"]).post(f"{API}/{ticket.uuid}/answer", {"body": "Page 5, then."}, content_type=JSON)
    learner = client_for(cast["participant"])  # one test client: sign the learner in again
    closed = learner.post(f"{API}/{ticket.uuid}/confirm", {"helped": True}, content_type=JSON).json()
    assert (closed["state"], closed["closed_how"]) == ("closed", "confirmed")


def test_reassign(cast, client_for, ticket):
    client = client_for(cast["trainer"])
    response = client.post(f"{API}/{ticket.uuid}/reassign", {"owner": str(cast["admin"].uuid)}, content_type=JSON)
    assert (response.status_code, response.json()["owner_name"]) == (200, "Anna Admin")
    refused = client.post(f"{API}/{ticket.uuid}/reassign", {"owner": str(cast["outsider"].uuid)}, content_type=JSON)
    assert refused.status_code == 400
    mentor = client_for(cast["mentor"])
    assert (
        mentor.post(
            f"{API}/{ticket.uuid}/reassign", {"owner": str(cast["trainer"].uuid)}, content_type=JSON
        ).status_code
        == 403
    )


def test_api_key_scopes(cast, client, ticket):
    reader, writer = key(cast, "tickets:read"), key(cast, "tickets:write")
    assert client.get(API, **reader).json()["count"] == 1
    assert client.get(f"{API}/{ticket.uuid}", **reader).status_code == 200
    assert client.get(API, **writer).status_code == 403
    assert client.post(f"{API}/{ticket.uuid}/answer", {"body": "x"}, content_type=JSON, **reader).status_code == 403
    response = client.post(f"{API}/{ticket.uuid}/answer", {"body": "From the help desk."}, content_type=JSON, **writer)
    assert (response.status_code, response.json()["author"]) == (201, None)
    reassigned = client.post(
        f"{API}/{ticket.uuid}/reassign", {"owner": str(cast["trainer"].uuid)}, content_type=JSON, **writer
    )
    assert reassigned.status_code == 200
    assert Ticket.objects.get().owner == cast["trainer"]


ENDPOINTS = [
    ("get", "", None),
    ("get", "/comments", None),
    ("post", "/comments", {"body": "Hi"}),
    ("post", "/answer", {"body": "Hi"}),
    ("post", "/confirm", {"helped": True}),
    ("post", "/reassign", {"owner": "00000000-0000-0000-0000-000000000000"}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), ENDPOINTS)
@pytest.mark.parametrize(("who", "status"), [("other_participant", 403), ("manager", 403), ("outsider", 404)])
def test_others_are_refused(cast, client_for, ticket, method, suffix, body, who, status):
    client = client_for(cast[who])
    path = f"{API}/{ticket.uuid}{suffix}"
    response = client.get(path) if method == "get" else client.post(path, body, content_type=JSON)
    assert response.status_code == status
    assert Comment.objects.exclude(kind=CommentKind.EVENT).count() == 0


def test_a_key_of_another_workspace_finds_nothing(cast, client, ticket):
    outsider_key = create_api_key(
        workspace=cast["outsider"].workspace, actor=cast["outsider"].user, name="x", scopes=["tickets:read"]
    )[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {outsider_key}"}
    assert client.get(f"{API}/{ticket.uuid}", **auth).status_code == 404
    assert client.get(API, **auth).json()["count"] == 0
