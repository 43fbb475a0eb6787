"""Sending surveys over JSON: create, list, read, add people, open, remind, close and a new
closing date; who answered only for named surveys; 403 for the wrong role or scope, 404 for
another workspace."""

import pytest
from django.utils import timezone

from takeroot.core.models import OutgoingMail
from takeroot.core.services import create_api_key
from takeroot.surveys.enums import Anonymity, SurveyState
from takeroot.surveys.models import Recipient, Survey

from ..factories import WorkspaceFactory
from .conftest import DAY, add_response, make_survey

API = "/api/v1/surveys"
LATER = (timezone.now() + 10 * DAY).replace(microsecond=0)


def post(client, path, body=None, **extra):
    return client.post(path, body or {}, content_type="application/json", **extra)


def bearer(workspace, *scopes):
    secret = create_api_key(workspace=workspace, actor=None, name="HR system", scopes=list(scopes))[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def future_survey(survey):
    survey.closes_at = LATER
    survey.save()
    return survey


ENDPOINTS = [
    ("get", ""),
    ("post", "/open"),
    ("post", "/remind"),
    ("post", "/close"),
    ("post", "/closing-date"),
    ("post", "/recipients"),
]


def call(client, method, survey, suffix, **extra):
    path = f"{API}/{survey.uuid}{suffix}"
    if method == "get":
        return client.get(path, **extra)
    body = {}
    if suffix == "/closing-date":
        body = {"closes_at": (LATER + DAY).isoformat()}
    if suffix == "/recipients":
        person = survey.recipients.first().person
        body = {"recipients": [{"person": str(person.uuid), "rater_group": "peer"}]}
    return post(client, path, body, **extra)


def test_create_open_and_read_a_cohort_survey(instrument, cohort, cast, client_for):
    client = client_for(cast["trainer"])
    response = post(
        client,
        API,
        {"instrument": str(instrument.uuid), "cohort": str(cohort.uuid), "closes_at": LATER.isoformat()},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["state"], body["anonymity"]) == ("How was the training?", "draft", "confidential")
    assert (body["recipient_count"], body["response_count"]) == (2, 0)
    opened = post(client, f"{API}/{body['id']}/open")
    assert opened.status_code == 200 and opened.json() == {"sent": 2}
    assert OutgoingMail.objects.filter(template="survey_invitation").count() == 2
    listed = client.get(API).json()
    assert [(s["id"], s["state"]) for s in listed["items"]] == [(body["id"], "open")]


def test_a_360_survey_asks_the_subject_their_manager_and_peers(instrument, cast, client_for):
    response = post(
        client_for(cast["admin"]),
        API,
        {
            "instrument": str(instrument.uuid),
            "title": "Feedback for Pia",
            "anonymity": "anonymous",
            "subject": str(cast["participant"].uuid),
            "peers": [str(cast["other_participant"].uuid)],
            "closes_at": LATER.isoformat(),
        },
    )
    assert response.status_code == 201
    assert sorted((r["name"], r["rater_group"], r["answered"]) for r in response.json()["recipients"]) == [
        ("Magnus Manager", "manager", None),
        ("Olek Other", "peer", None),
        ("Pia Participant", "self", None),
    ]


def test_bad_input_answers_400_and_saves_nothing(instrument, cast, client_for):
    client = client_for(cast["admin"])
    past = post(client, API, {"instrument": str(instrument.uuid), "closes_at": "2020-01-01T10:00:00+00:00"})
    assert past.status_code == 400 and "closes_at" in past.json()["errors"]
    naive = post(client, API, {"instrument": str(instrument.uuid), "closes_at": "2030-01-01T10:00:00"})
    assert naive.status_code in (400, 422)
    unknown = post(
        client,
        API,
        {"instrument": str(instrument.uuid), "subject": str(cast["outsider"].uuid), "closes_at": LATER.isoformat()},
    )
    assert unknown.status_code == 400 and "subject" in unknown.json()["errors"]
    assert not Survey.objects.exists()


def test_confidential_recipients_show_no_answered_state_named_ones_do(
    instrument, cohort, future_survey, cast, client_for
):
    client = client_for(cast["admin"])
    add_response(future_survey, {0: 4}, person=cast["participant"])
    body = client.get(f"{API}/{future_survey.uuid}").json()
    assert body["response_count"] == 1
    assert {r["answered"] for r in body["recipients"]} == {None}
    named = make_survey(instrument, cohort=cohort, anonymity=Anonymity.NAMED, closes_at=LATER)
    for person in (cast["participant"], cast["other_participant"]):
        Recipient.objects.create(workspace=named.workspace, survey=named, person=person)
    add_response(named, {0: 5}, person=cast["participant"])
    body = client.get(f"{API}/{named.uuid}").json()
    assert sorted((r["name"], r["answered"]) for r in body["recipients"]) == [
        ("Olek Other", False),
        ("Pia Participant", True),
    ]


def test_remind_close_and_reopen(future_survey, cast, client_for):
    client = client_for(cast["trainer"])
    Recipient.objects.update(invited_at=timezone.now() - 4 * DAY)
    assert post(client, f"{API}/{future_survey.uuid}/remind").json() == {"sent": 2}
    assert post(client, f"{API}/{future_survey.uuid}/remind").json() == {"sent": 0}
    closed = post(client, f"{API}/{future_survey.uuid}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    refused = post(client, f"{API}/{future_survey.uuid}/remind")
    assert refused.status_code == 400
    again = post(client, f"{API}/{future_survey.uuid}/closing-date", {"closes_at": (LATER + DAY).isoformat()})
    assert again.status_code == 200 and again.json()["state"] == "open"
    assert Survey.objects.get().closes_at == LATER + DAY


def test_add_recipients(future_survey, cast, client_for):
    response = post(
        client_for(cast["admin"]),
        f"{API}/{future_survey.uuid}/recipients",
        {"recipients": [{"person": str(cast["manager"].uuid), "rater_group": "manager"}]},
    )
    assert response.json() == {"added": 1}
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == ["manager@acme.test"]


@pytest.mark.parametrize("role", ["participant", "manager", "mentor"])
def test_the_wrong_role_gets_403(future_survey, cast, client_for, role):
    client = client_for(cast[role])
    assert client.get(API).status_code == 403
    assert (
        post(
            client, API, {"instrument": str(future_survey.instrument.uuid), "closes_at": LATER.isoformat()}
        ).status_code
        == 403
    )
    for method, suffix in ENDPOINTS:
        assert call(client, method, future_survey, suffix).status_code == 403, suffix
    assert future_survey.state == SurveyState.OPEN


def test_another_workspace_gets_404(future_survey, cast, client_for):
    client = client_for(cast["outsider"])
    for method, suffix in ENDPOINTS:
        assert call(client, method, future_survey, suffix).status_code == 404, suffix
    assert client.get(API).json()["items"] == []


def test_api_keys_by_scope(future_survey, client):
    workspace = future_survey.workspace
    reader = bearer(workspace, "surveys:read")
    assert client.get(API, **reader).json()["count"] == 1
    assert client.get(f"{API}/{future_survey.uuid}", **reader).status_code == 200
    assert post(client, f"{API}/{future_survey.uuid}/close", **reader).status_code == 403
    writer = bearer(workspace, "surveys:write")
    assert client.get(f"{API}/{future_survey.uuid}", **writer).status_code == 403
    assert post(client, f"{API}/{future_survey.uuid}/close", **writer).status_code == 200
    other = bearer(WorkspaceFactory(name="Initech", slug="initech"), "surveys:read", "surveys:write")
    assert client.get(f"{API}/{future_survey.uuid}", **other).status_code == 404
