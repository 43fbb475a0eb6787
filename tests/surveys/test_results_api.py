"""The results API: role × endpoint, API keys and their scope, other workspaces, the ``status`` of
every result, the 360° report, the programme trend, and no person in any answer."""

import datetime

import pytest

from takeroot.core.services import create_api_key
from takeroot.surveys.enums import Anonymity, RaterGroup, SurveyState

from .conftest import add_response, make_survey
from .test_results import ANSWERS, answer_all, second_cohort

ENDPOINTS = {
    "survey": "/api/v1/surveys/{survey}/results",
    "programme": "/api/v1/surveys/programmes/{programme}/results",
}


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def closed(instrument, cohort, cast):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["admin"].user)
    answer_all(survey, ANSWERS + ANSWERS[:3], week=datetime.date(2026, 9, 28))
    return survey


@pytest.fixture
def ids(closed):
    return {"survey": closed.uuid, "programme": closed.programme.uuid}


@pytest.mark.parametrize(
    "who", ["admin", "trainer", "mentor", "manager", "participant", "other_participant", "outsider"]
)
def test_role_endpoint_matrix(ids, cast, client_for, who):
    client = client_for(cast[who])
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in ENDPOINTS.items()}

    expected = 404 if who == "outsider" else 200 if who in ("admin", "trainer") else 403
    assert statuses == dict.fromkeys(ENDPOINTS, expected)


@pytest.mark.parametrize(("scopes", "status"), [(["surveys:read"], 200), (["people:read", "surveys:write"], 403)])
def test_api_key_needs_the_read_scope(ids, client, cast, scopes, status):
    _key, secret = create_api_key(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="BI", scopes=scopes)
    responses = [client.get(path.format(**ids), **bearer(secret)) for path in ENDPOINTS.values()]
    assert [r.status_code for r in responses] == [status] * len(ENDPOINTS)


def test_api_key_of_another_workspace_finds_nothing(ids, client, cast):
    outsider = cast["outsider"]
    _key, secret = create_api_key(workspace=outsider.workspace, actor=outsider.user, name="BI", scopes=["surveys:read"])
    assert [client.get(path.format(**ids), **bearer(secret)).status_code for path in ENDPOINTS.values()] == [404, 404]


def test_survey_results_figures_and_statuses(ids, cast, client_for):
    found = client_for(cast["trainer"]).get(ENDPOINTS["survey"].format(**ids)).json()
    questions = {q["position"]: q for q in found["questions"]}

    assert (found["status"], found["n"], found["closed"], found["min_responses"], found["min_comments"]) == (
        "shown",
        8,
        True,
        5,
        8,
    )
    assert questions[0]["status"] == "shown"
    assert questions[0]["mean"]["mean"] == 4.125
    assert questions[0]["mean"]["low"] < 4.125 < questions[0]["mean"]["high"]
    assert questions[1]["net_score"] == 25
    assert [(b["label"], b["count"]) for b in questions[2]["distribution"]] == [
        ("Too slow", 2),
        ("Right", 5),
        ("Too fast", 1),
    ]
    assert [row["status"] for row in questions[4]["rows"]] == ["shown", "shown"]
    assert len(questions[5]["comments"]) == 8
    assert found["own"] is None and found["breakdown"] is None


def test_not_enough_and_no_data_carry_no_figures(instrument, cohort, cast, client_for):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    answer_all(survey, [{0: 4, 5: "Only mine"}] * 3)
    found = client_for(cast["admin"]).get(f"/api/v1/surveys/{survey.uuid}/results").json()
    questions = {q["position"]: q for q in found["questions"]}

    assert (found["status"], found["n"]) == ("not_enough_responses", None)
    assert {k: questions[0][k] for k in ("status", "n", "mean", "distribution", "comments")} == {
        "status": "not_enough_responses",
        "n": None,
        "mean": None,
        "distribution": [],
        "comments": [],
    }
    assert questions[2]["status"] == "no_data"
    assert "Only mine" not in str(found)


def test_bad_parameters_answer_422(ids, cast, client_for):
    response = client_for(cast["admin"]).get(ENDPOINTS["survey"].format(**ids), {"breakdown": "age", "team": "x"})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"breakdown", "team"}


def test_named_answers_never_name_anyone(instrument, cohort, cast, client_for):
    survey = make_survey(instrument, cohort=cohort, anonymity=Anonymity.NAMED, state=SurveyState.CLOSED)
    people = [cast[name] for name in ("participant", "other_participant", "manager", "mentor", "trainer")]
    for person, answers in zip(people, ANSWERS, strict=True):
        add_response(survey, answers, person=person, team=person.team)
    text = client_for(cast["admin"]).get(f"/api/v1/surveys/{survey.uuid}/results", {"breakdown": "team"}).text

    for person in people:
        assert person.user.name not in text and person.user.email not in text and str(person.uuid) not in text


def test_the_360_report_gives_own_answers_to_the_subject_only(instrument, cast, client_for, client):
    survey = make_survey(instrument, subject=cast["participant"], state=SurveyState.CLOSED, title="360° for Pia")
    add_response(survey, {0: 1}, rater_group=RaterGroup.SELF)
    for value in (4, 4, 5, 3, 4):
        add_response(survey, {0: value}, rater_group=RaterGroup.PEER)
    url = f"/api/v1/surveys/{survey.uuid}/results"

    mine = client_for(cast["participant"]).get(url).json()
    assert mine["n"] == 5 and mine["own"][0]["mean"]["mean"] == 1
    assert client_for(cast["admin"]).get(url).json()["own"] is None
    _key, secret = create_api_key(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="BI", scopes=["surveys:read"]
    )
    client.logout()
    assert client.get(url, **bearer(secret)).json()["own"] is None
    assert client_for(cast["other_participant"]).get(url).status_code == 403
    refused = client_for(cast["admin"]).get(url, {"rater_group": "manager"})
    assert refused.status_code == 400


def test_programme_trend(instrument, cohort, closed, cast, client_for):
    later = second_cohort(cohort, "Gdańsk autumn", datetime.date(2026, 10, 1))
    other = make_survey(instrument, cohort=later, state=SurveyState.CLOSED)
    answer_all(other, [{0: 2}] * 5, week=datetime.date(2026, 10, 26))
    found = client_for(cast["admin"]).get(f"/api/v1/surveys/programmes/{cohort.programme.uuid}/results").json()
    first = found["questions"][0]

    assert found["instrument"] == str(instrument.uuid)
    assert [(s["title"], s["status"]) for s in found["surveys"]] == [
        ("After the training", "shown"),
        ("After the training", "shown"),
    ]
    assert (first["overall"]["n"], first["overall"]["mean"]["mean"]) == (13, (33 + 10) / 13)
    assert [p["label"] for p in first["cohorts"]] == ["Kraków spring", "Gdańsk autumn"]
    assert [p["key"] for p in first["months"]] == ["2026-09", "2026-10"]
    assert [p["result"]["status"] for p in first["months"]] == ["shown", "shown"]
    unknown = "00000000-0000-0000-0000-000000000000"
    response = client_for(cast["admin"]).get(
        f"/api/v1/surveys/programmes/{cohort.programme.uuid}/results", {"instrument": unknown}
    )
    assert response.status_code == 404
