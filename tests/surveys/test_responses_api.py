"""Answering over JSON: my surveys, a survey's form in my language, sending answers once (201, 400 per
question, 409 when answered or closed), anonymous answers with their ballot given out and used in
the same call, and who may (recipients only, another workspace 404, API keys never)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from takeroot.core.services import create_api_key
from takeroot.surveys import responding
from takeroot.surveys.enums import Anonymity, SurveyState
from takeroot.surveys.models import Ballot, Recipient, Response, SurveyAnswer

from .conftest import make_survey

API = "/api/v1/surveys"
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def make(instrument, cohort, cast):
    def build(anonymity=Anonymity.CONFIDENTIAL, **fields):
        fields.setdefault("closes_at", timezone.now() + WEEK)
        survey = make_survey(instrument, cohort=cohort, anonymity=anonymity, **fields)
        for person in (cast["participant"], cast["other_participant"]):
            Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person)
        return survey

    return build


def ids(survey) -> dict[int, str]:
    return {q.position: str(q.uuid) for q in survey.instrument.questions.all()}


def body(survey) -> dict:
    q = ids(survey)
    return {"answers": {q[0]: 5, q[1]: 10, q[2]: 0, q[3]: [1], q[4]: [4, None], q[5]: "Fine."}}


def post(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def bearer(workspace, *scopes) -> dict:
    secret = create_api_key(workspace=workspace, actor=None, name="LMS", scopes=list(scopes))[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_form_in_my_language(client_for, cast, make):
    survey = make()
    cast["participant"].user.language = "pl"
    cast["participant"].user.save()
    client = client_for(cast["participant"])

    form = client.get(f"{API}/{survey.uuid}/form", HTTP_ACCEPT_LANGUAGE="pl").json()

    q = ids(survey)
    assert (form["id"], form["title"], form["anonymity"], form["about"], form["open"]) == (
        str(survey.uuid),
        "After the training",
        "confidential",
        None,
        True,
    )
    first, scale, single, _multiple, matrix, text = form["questions"]
    assert (first["id"], first["prompt"], first["language"], first["points"]) == (
        q[0],
        "Szkolenie było przydatne w mojej pracy.",
        "pl",
        [1, 2, 3, 4, 5],
    )
    assert scale["points"] == list(range(11)) and len(scale["point_labels"]) == 11
    assert (single["options"], single["points"]) == (["Too slow", "Right", "Too fast"], [])
    assert (matrix["rows"], matrix["points"]) == (["explained clearly", "answered questions"], [1, 2, 3, 4, 5])
    assert (text["kind"], text["options"], text["points"]) == ("text", [], [])


def test_answering_once(client_for, cast, make):
    survey = make()
    client = client_for(cast["participant"])

    created = post(client, f"{API}/{survey.uuid}/responses", body(survey))

    assert created.status_code == 201
    assert created.json() == {
        "survey": str(survey.uuid),
        "anonymity": "confidential",
        "detail": "Your answers are in, kept without your name.",
    }
    response = Response.objects.get()
    assert response.person is None and SurveyAnswer.objects.filter(response=response).count() == 6
    again = post(client, f"{API}/{survey.uuid}/responses", body(survey))
    assert again.status_code == 409
    assert again.json()["detail"] == "You have answered this survey already."
    assert Response.objects.count() == 1


def test_bad_answers_get_400_per_question_and_store_nothing(client_for, cast, make):
    survey = make()
    q = ids(survey)
    client = client_for(cast["participant"])

    bad = post(client, f"{API}/{survey.uuid}/responses", {"answers": {q[0]: 6, q[3]: [7], q[5]: "ok"}})

    assert bad.status_code == 400
    assert bad.json()["errors"] == {q[0]: ["Choose a point from 1 to 5."], q[3]: ["Choose among the options shown."]}
    assert Response.objects.count() == 0
    assert Recipient.objects.get(survey=survey, person=cast["participant"]).has_answered is False


def test_anonymous_through_the_api_issues_and_uses_the_ballot_in_one_call(client_for, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    client = client_for(cast["participant"])

    bad = post(client, f"{API}/{survey.uuid}/responses", {"answers": {ids(survey)[0]: 0}})
    assert bad.status_code == 400
    assert Ballot.objects.count() == 0  # a refused answer gives no ballot out

    created = post(client, f"{API}/{survey.uuid}/responses", body(survey))

    assert created.status_code == 201 and "id" not in created.json()
    assert Ballot.objects.get().used is True and Response.objects.get().person is None
    recipient = Recipient.objects.get(survey=survey, person=cast["participant"])
    assert (recipient.has_answered, recipient.ballot_issued) == (False, True)
    assert post(client, f"{API}/{survey.uuid}/responses", body(survey)).status_code == 409


def test_anonymous_with_the_ballot_in_a_browser_answers_there(client_for, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    responding.issue_ballot(survey, cast["participant"])

    answer = post(client_for(cast["participant"]), f"{API}/{survey.uuid}/responses", body(survey))

    assert answer.status_code == 409 and "another browser" in answer.json()["detail"]
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [{"state": SurveyState.CLOSED}, {"closes_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}],
)
@pytest.mark.parametrize("anonymity", [Anonymity.NAMED, Anonymity.ANONYMOUS])
def test_closed_surveys_refuse(client_for, cast, make, fields, anonymity):
    survey = make(anonymity, **fields)

    answer = post(client_for(cast["participant"]), f"{API}/{survey.uuid}/responses", body(survey))

    assert answer.status_code == 409 and "closed" in answer.json()["detail"]
    assert (Response.objects.count(), Ballot.objects.count()) == (0, 0)


def test_my_surveys(client_for, cast, make):
    waiting = make(title="Waiting")
    answered = make(Anonymity.NAMED, title="Answered")
    opened = make(Anonymity.ANONYMOUS, title="Anonymous")
    client = client_for(cast["participant"])
    assert post(client, f"{API}/{answered.uuid}/responses", body(answered)).status_code == 201
    assert post(client, f"{API}/{opened.uuid}/responses", body(opened)).status_code == 201

    mine = client.get(f"{API}/mine").json()

    assert [(s["id"], s["status"]) for s in mine["pending"]] == [(str(waiting.uuid), "open")]
    assert sorted((s["title"], s["status"]) for s in mine["answered"]) == [
        ("Anonymous", "ballot_taken"),
        ("Answered", "answered"),
    ]
    assert mine["pending"][0]["rater_group"] == "participant"


def test_my_surveys_query_count_does_not_grow(client_for, cast, make, django_assert_max_num_queries):
    client = client_for(cast["participant"])
    make(subject=cast["manager"])
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{API}/mine").json()["pending"]) == 1
    make(subject=cast["manager"]), make(Anonymity.NAMED)

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(f"{API}/mine").json()["pending"]) == 3


# Who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "trainer", "manager", "mentor"])
def test_only_recipients_read_the_form_and_answer(client_for, cast, make, role):
    survey = make()
    client = client_for(cast[role])

    assert client.get(f"{API}/{survey.uuid}/form").status_code == 403
    assert post(client, f"{API}/{survey.uuid}/responses", body(survey)).status_code == 403
    assert Response.objects.count() == 0


def test_another_workspace_gets_404(client_for, cast, make):
    survey = make()
    client = client_for(cast["outsider"])

    assert client.get(f"{API}/{survey.uuid}/form").status_code == 404
    assert post(client, f"{API}/{survey.uuid}/responses", body(survey)).status_code == 404
    assert client.get(f"{API}/mine").json() == {"pending": [], "answered": []}


def test_api_keys_never_answer(client, make, workspace):
    survey = make()
    auth = bearer(workspace, "surveys:read", "surveys:write")

    assert client.get(f"{API}/mine", **auth).status_code == 403
    assert client.get(f"{API}/{survey.uuid}/form", **auth).status_code == 403
    assert post(client, f"{API}/{survey.uuid}/responses", body(survey), **auth).status_code == 403
    assert Response.objects.count() == 0


def test_signing_in_is_needed(client, make):
    survey = make()

    assert client.get(f"{API}/mine").status_code == 401
    assert post(client, f"{API}/{survey.uuid}/responses", body(survey)).status_code == 401
