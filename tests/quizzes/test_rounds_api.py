"""The rounds API: my rounds, an enrolment's rounds for its trainers, starting a round now,
answering once (201, then 200 with the same answer), bad input, and who may do what (the wrong
role 403, another workspace 404, API keys read but never answer)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.services import create_api_key
from takeroot.quizzes import services
from takeroot.quizzes.enums import AnswerChannel, QuestionKind
from takeroot.quizzes.models import Answer, QuizRound

from .conftest import NOW

API = "/api/v1/quizzes"


@pytest.fixture
def web_round(enrolment, questions):
    return services.start_round(enrolment, now=NOW)


def post(client, path, body=None, **extra):
    return client.post(path, body or {}, content_type="application/json", **extra)


def bearer(workspace, *scopes) -> dict:
    secret = create_api_key(workspace=workspace, actor=None, name="LMS", scopes=list(scopes))[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def single_item(quiz_round):
    return quiz_round.items.get(question__kind=QuestionKind.SINGLE)


def test_my_rounds_hide_the_right_answer_until_answered(client_for, cast, web_round):
    client = client_for(cast["participant"])

    [listed] = client.get(f"{API}/rounds").json()["items"]
    item = listed["items"][0]
    assert (listed["id"], listed["number"], listed["from_mail"], listed["complete"]) == (
        str(web_round.uuid),
        1,
        False,
        False,
    )
    assert item["question"] == {
        "id": str(single_item(web_round).question.uuid),
        "kind": "single",
        "language": "en",
        "prompt": "What do you open the call with?",
        "options": ["The price", "The customer's goal", "Small talk"],
    }
    assert item["answer"] is None
    assert client_for(cast["other_participant"]).get(f"{API}/rounds").json()["items"] == []


def test_answering_is_recorded_once(client_for, cast, web_round):
    client = client_for(cast["participant"])
    path = f"{API}/round-items/{single_item(web_round).uuid}/answer"

    first = post(client, path, {"choices": [0], "confidence": "sure"})
    replay = post(client, path, {"choices": [1]})

    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.json() == replay.json()
    body = first.json()
    assert (body["correct"], body["choices"], body["right_choices"], body["confidence"], body["channel"]) == (
        False,
        [0],
        [1],
        "sure",
        "api",
    )
    assert body["explanation"] == "The customer's goal frames the whole call."
    assert Answer.objects.get().channel == AnswerChannel.API
    read = client.get(f"{API}/rounds/{web_round.uuid}").json()
    assert read["items"][0]["answer"]["id"] == body["id"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"choices": [7]}, 400, "choices"),
        ({"choices": [0, 1]}, 400, "choices"),
        ({}, 400, "choices"),
        ({"choices": ["first"]}, 422, "choices.0"),
        ({"choices": [1], "confidence": "certain"}, 422, "confidence"),
    ],
)
def test_bad_answers_say_why(client_for, cast, web_round, body, status, field):
    response = post(client_for(cast["participant"]), f"{API}/round-items/{single_item(web_round).uuid}/answer", body)

    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not Answer.objects.exists()


def test_a_numeric_answer(client_for, cast, enrolment, questions):
    quiz_round = services.start_round(enrolment, now=NOW, questions=[questions[QuestionKind.NUMERIC]])
    path = f"{API}/round-items/{quiz_round.items.get().uuid}/answer"

    response = post(client_for(cast["participant"]), path, {"number": "33.5"})

    assert response.status_code == 201
    assert (response.json()["correct"], response.json()["right_number"], response.json()["tolerance"]) == (
        True,
        "30.000000",
        "5.000000",
    )


@pytest.mark.parametrize(
    ("who", "read", "listed", "answer"),
    [
        ("participant", 200, 200, 201),
        ("admin", 200, 200, 403),
        ("trainer", 200, 200, 403),
        ("manager", 403, 403, 403),
        ("other_participant", 403, 403, 403),
        ("outsider", 404, 404, 404),
    ],
)
def test_who_may_read_and_answer(client_for, cast, web_round, enrolment, who, read, listed, answer):
    client = client_for(cast[who])

    assert client.get(f"{API}/rounds/{web_round.uuid}").status_code == read
    assert client.get(f"{API}/rounds?enrolment={enrolment.uuid}").status_code == listed
    item = single_item(web_round)
    assert post(client, f"{API}/round-items/{item.uuid}/answer", {"choices": [1]}).status_code == answer
    assert Answer.objects.exists() == (answer == 201)


def test_a_trainer_lists_an_enrolments_rounds(client_for, cast, web_round, enrolment):
    listed = client_for(cast["trainer"]).get(f"{API}/rounds?enrolment={enrolment.uuid}").json()["items"]

    assert [r["id"] for r in listed] == [str(web_round.uuid)]


def test_start_a_round_now(client_for, cast, enrolment, questions):
    client = client_for(cast["participant"])
    path = f"{API}/enrolments/{enrolment.uuid}/rounds"

    first, again = post(client, path), post(client, path)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == str(QuizRound.objects.get().uuid)
    assert len(first.json()["items"]) == 2
    for who, status in (("trainer", 403), ("other_participant", 403), ("outsider", 404)):
        assert post(client_for(cast[who]), path).status_code == status


def test_start_with_nothing_due_answers_204(client_for, cast, enrolment):
    response = post(client_for(cast["participant"]), f"{API}/enrolments/{enrolment.uuid}/rounds")

    assert response.status_code == 204 and not QuizRound.objects.exists()


def test_api_keys_read_with_their_scope_and_never_answer(client, web_round, enrolment, cast):
    reader = bearer(enrolment.workspace, "quizzes:read")
    nothing = bearer(enrolment.workspace, "people:read")
    elsewhere = bearer(cast["outsider"].workspace, "quizzes:read", "quizzes:write")

    assert [r["id"] for r in client.get(f"{API}/rounds", **reader).json()["items"]] == [str(web_round.uuid)]
    assert client.get(f"{API}/rounds/{web_round.uuid}", **reader).status_code == 200
    assert client.get(f"{API}/rounds/{web_round.uuid}", **nothing).status_code == 403
    assert client.get(f"{API}/rounds/{web_round.uuid}", **elsewhere).status_code == 404
    writer = bearer(enrolment.workspace, "quizzes:read", "quizzes:write")
    path = f"{API}/round-items/{single_item(web_round).uuid}/answer"
    assert post(client, path, {"choices": [1]}, **writer).status_code == 403
    assert post(client, f"{API}/enrolments/{enrolment.uuid}/rounds", **writer).status_code == 403
    assert not Answer.objects.exists()


def test_listing_rounds_costs_the_same_queries_for_one_or_three(client_for, cast, enrolment, questions):
    client = client_for(cast["participant"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/rounds").status_code == 200
        return len(captured)

    services.start_round(enrolment, now=NOW)
    one = queries()
    for question in questions.values():
        services.start_round(enrolment, now=NOW, questions=[question])
    assert queries() == one
