"""The results API: the role × endpoint matrix, API keys and their scope, other workspaces, and the
figures (the same as the pages'), with the manager getting the summary and never the answers."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.quizzes.enums import QuestionKind
from tests.factories import PersonFactory, UserFactory

from .conftest import NOW
from .test_analytics import answer, answered, people_of_cohort  # noqa: F401 (fixtures)

ENDPOINTS = {
    "cohort": "/api/v1/quizzes/cohorts/{cohort}/results",
    "weak_spots": "/api/v1/quizzes/cohorts/{cohort}/weak-spots",
    "programme": "/api/v1/quizzes/programmes/{programme}/results",
    "progress": "/api/v1/quizzes/enrolments/{enrolment}/progress",
    "team": "/api/v1/quizzes/team-summary",
}
COHORT = {"cohort", "weak_spots"}
EXPECTED = {
    "admin": set(ENDPOINTS),
    "trainer": COHORT | {"programme", "progress"},
    "other_trainer": {"programme"},
    "manager": {"progress", "team"},
    "participant": {"progress"},
    "other_participant": set(),
    "mentor": set(),
}


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def people(cast, workspace):
    user = UserFactory(email="trainer2@acme.test", name="Tina Trainer")
    return cast | {
        "other_trainer": PersonFactory(workspace=workspace, user=user, is_trainer=True, is_participant=False)
    }


@pytest.fixture
def ids(cohort, programme, enrolment):
    return {"cohort": cohort.uuid, "programme": programme.uuid, "enrolment": enrolment.uuid}


@pytest.mark.parametrize("who", [*sorted(EXPECTED), "outsider"])
def test_role_endpoint_matrix(ids, people, client_for, who):
    client = client_for(people[who])
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in ENDPOINTS.items()}
    if who == "outsider":
        assert statuses == dict.fromkeys(set(ENDPOINTS) - {"team"}, 404) | {"team": 200}
    else:
        assert statuses == {name: 200 if name in EXPECTED[who] else 403 for name in ENDPOINTS}


def test_refusals_use_the_error_format(ids, client_for, cast):
    response = client_for(cast["participant"]).get(ENDPOINTS["cohort"].format(**ids))
    assert response.json() == {"detail": "You do not have permission to do this.", "errors": {}}


@pytest.mark.parametrize(("scopes", "status"), [(["quizzes:read"], 200), (["people:read"], 403)])
def test_api_key_needs_the_read_scope(ids, client, cast, scopes, status):
    _key, secret = create_api_key(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="BI", scopes=scopes)
    responses = [client.get(path.format(**ids), **bearer(secret)) for path in ENDPOINTS.values()]
    assert [r.status_code for r in responses] == [status] * len(ENDPOINTS)


def test_api_key_of_another_workspace_finds_nothing(ids, client, cast):
    outsider = cast["outsider"]
    _key, secret = create_api_key(workspace=outsider.workspace, actor=outsider.user, name="BI", scopes=["quizzes:read"])
    assert client.get(ENDPOINTS["cohort"].format(**ids), **bearer(secret)).status_code == 404


@pytest.mark.usefixtures("answered")
def test_cohort_results_figures(ids, client_for, cast, questions):
    found = client_for(cast["trainer"]).get(ENDPOINTS["cohort"].format(**ids)).json()
    assert found["overall"] == {
        "answers": 14,
        "right": 8,
        "accuracy": 8 / 14,
        "first_answers": 11,
        "first_accuracy": 6 / 11,
        "later_answers": 3,
        "later_accuracy": 2 / 3,
        "confidently_wrong": 2,
    }
    multi = next(q for q in found["questions"] if q["id"] == str(questions[QuestionKind.MULTIPLE].uuid))
    assert multi["distractors"] == [
        {"answer": "Changing the subject", "count": 3},
        {"answer": "Repeating the price", "count": 3},
    ]
    assert multi["flag"] == "First-attempt accuracy 20 % is below 60 %."
    assert [(r["round"], r["score"]["answers"]) for r in found["by_round"]] == [(1, 10), (2, 4)]
    assert [p["label"] for p in found["participants"]] == ["Eve", "Ida", "Olek Other", "Pia Participant", "Ula"]


@pytest.mark.usefixtures("answered")
def test_weak_spots(ids, client_for, cast, modules):
    found = client_for(cast["trainer"]).get(ENDPOINTS["weak_spots"].format(**ids)).json()
    assert [(s["kind"], s["label"], s["answers"], s["accuracy"]) for s in found] == [
        ("module", "Handling objections", 5, 0.2),
        ("objective", "Acknowledges before answering", 5, 0.2),
        ("question", "Which of these acknowledge an objection?", 5, 0.2),
    ]


def test_progress_answers_for_the_participant_summary_for_the_manager(ids, enrolment, questions, client_for, cast):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=True, choices=[1], stability=3.0)
    own = client_for(cast["participant"]).get(ENDPOINTS["progress"].format(**ids)).json()
    assert [(a["prompt"], a["given"], a["correct"]) for a in own["answers"]] == [
        ("What do you open the call with?", "The customer's goal", True)
    ]
    assert own["modules"][0]["answered"] == 1
    assert own["retention"][0]["modules"][0]["retention"] == 1.0
    managed = client_for(cast["manager"]).get(ENDPOINTS["progress"].format(**ids)).json()
    assert managed["answers"] is None
    assert managed["modules"] == own["modules"]


def test_team_summary_is_per_person_and_module(ids, enrolment, questions, client_for, cast):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=False, choices=[0])
    (found,) = client_for(cast["manager"]).get(ENDPOINTS["team"]).json()
    assert found["participant"] == "Pia Participant"
    assert [(m["title"], m["asked"], m["answered"], m["accuracy"]) for m in found["modules"]] == [
        ("Opening the call", 1, 1, 0.0),
        ("Handling objections", 0, 0, None),
    ]
    assert "answers" not in found
