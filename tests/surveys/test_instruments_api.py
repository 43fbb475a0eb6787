"""The questionnaire API: who may call what (wrong role 403, other workspace 404), API key scopes,
the same checks as the pages (400 per field), templates and answered questions."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.programmes import services as programmes
from takeroot.surveys.models import Instrument, SurveyQuestion

from .conftest import add_response

QUESTION = {
    "kind": "single",
    "content": {
        "en": {"prompt": "The pace was", "options": ["Too slow", "Right", "Too fast"]},
        "pl": {"prompt": "Tempo było", "options": ["Za wolne", "W sam raz", "Za szybkie"]},
    },
    "measure": "pace",
    "required": True,
}


def _calls(instrument):
    i = f"/api/v1/surveys/instruments/{instrument.uuid}"
    question = instrument.questions.get(position=5)
    q = f"/api/v1/surveys/questions/{question.uuid}"
    return {
        "read": ("get", i, None, 200),
        "questions": ("get", f"{i}/questions", None, 200),
        "update": ("patch", i, {"anonymity": "named"}, 200),
        "add_question": ("post", f"{i}/questions", QUESTION, 201),
        "read_question": ("get", q, None, 200),
        "update_question": ("put", q, {"kind": "text", "content": {"en": {"prompt": "Why?"}}}, 200),
        "order": ("put", f"{i}/questions/order", {"questions": [str(question.uuid)]}, 204),
        "copy": ("post", f"{i}/copy", {}, 201),
        "archive": ("post", f"{i}/archive", None, 200),
        "restore": ("post", f"{i}/restore", None, 200),
        "delete_question": ("delete", q, None, 204),
    }


def _call(client, method, path, body):
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "manager", "participant", "outsider"])
def test_role_endpoint_matrix(instrument, cast, client_for, who):
    client = client_for(cast[who])
    calls = _calls(instrument)
    statuses = {
        name: _call(client, method, path, body).status_code for name, (method, path, body, _ok) in calls.items()
    }
    if who in ("admin", "trainer"):
        expected = {name: call[3] for name, call in calls.items()}
    else:
        expected = dict.fromkeys(statuses, 404 if who == "outsider" else 403)
    assert statuses == expected


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "participant", "outsider"])
def test_workspace_endpoints_by_role(instrument, cast, client_for, who):
    client = client_for(cast[who])
    listed = client.get("/api/v1/surveys/instruments")
    templates = client.get("/api/v1/surveys/templates")
    created = _call(client, "post", "/api/v1/surveys/instruments/from-template", {"template": "pulse"})
    if who in ("admin", "trainer"):
        assert (listed.status_code, templates.status_code, created.status_code) == (200, 200, 201)
        assert [row["title"] for row in listed.json()["items"]] == ["How was the training?"]
    elif who == "outsider":
        # Their own workspace's library: nothing of acme's.
        assert listed.json()["items"] == []
    else:
        assert (listed.status_code, templates.status_code, created.status_code) == (403, 403, 403)


def test_templates_list_every_language(cast, client_for, workspace):
    found = client_for(cast["trainer"]).get("/api/v1/surveys/templates").json()
    assert [template["key"] for template in found] == ["reaction", "behaviour", "360", "feedback_session", "pulse"]
    assert set(found[0]["content"]) == {"en", "pl", "sv", "zh-hans"}
    assert found[0]["questions"][5]["measure"] == "recommendation"


def test_create_instrument_and_questions(programme, modules, cast, client_for):
    client = client_for(cast["trainer"])
    body = {"programme": str(programme.uuid), "content": {"sv": {"title": "Efter kursen"}}, "anonymity": "anonymous"}
    created = _call(client, "post", "/api/v1/surveys/instruments", body)
    assert created.status_code == 201
    data = created.json()
    assert (data["title"], data["anonymity"], data["programme"], data["questions"]) == (
        "Efter kursen",
        "anonymous",
        str(programme.uuid),
        [],
    )
    url = f"/api/v1/surveys/instruments/{data['id']}/questions"
    question = _call(client, "post", url, QUESTION | {"module": str(modules[1].uuid)}).json()
    assert (question["position"], question["module"], question["answered"]) == (0, str(modules[1].uuid), False)
    assert question["content"]["pl"]["options"] == ["Za wolne", "W sam raz", "Za szybkie"]


def test_bad_question_answers_400_per_field(instrument, cast, client_for):
    body = QUESTION | {
        "content": {"en": {"prompt": "Pace", "options": ["A", "B"]}, "pl": {"prompt": "Tempo", "options": ["A"]}}
    }
    response = _call(
        client_for(cast["trainer"]), "post", f"/api/v1/surveys/instruments/{instrument.uuid}/questions", body
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"pl-options": ["A choice needs between 2 and 10 options."]}
    assert instrument.questions.count() == 6


def test_unknown_template_or_programme_answers_400(cast, client_for, other_workspace):
    client = client_for(cast["admin"])
    response = _call(client, "post", "/api/v1/surveys/instruments/from-template", {"template": "nps"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["template"]
    foreign = programmes.create_programme(
        workspace=other_workspace, actor=cast["outsider"].user, name="Theirs", format="classroom", currency="SEK"
    )
    body = {"template": "pulse", "programme": str(foreign.uuid)}
    response = _call(client, "post", "/api/v1/surveys/instruments/from-template", body)
    assert response.json()["errors"] == {"programme": ["There is no such programme in this workspace."]}
    assert not Instrument.objects.exists()


def test_answered_question_cannot_change_kind_or_be_deleted(instrument, survey, cast, client_for):
    add_response(survey, {5: "More exercises"})
    question = instrument.questions.get(position=5)
    client = client_for(cast["trainer"])
    response = _call(client, "put", f"/api/v1/surveys/questions/{question.uuid}", QUESTION)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["kind"]
    fixed = _call(
        client,
        "put",
        f"/api/v1/surveys/questions/{question.uuid}",
        {"kind": "text", "content": {"en": {"prompt": "What would you improve?"}}},
    )
    assert fixed.json()["content"] == {"en": {"prompt": "What would you improve?"}}
    assert fixed.json()["answered"] is True
    assert client.delete(f"/api/v1/surveys/questions/{question.uuid}").status_code == 400
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()


def test_api_key_needs_the_write_scope(instrument, cast, client):
    workspace = instrument.workspace
    reader = create_api_key(workspace=workspace, actor=cast["admin"].user, name="r", scopes=["surveys:read"])[1]
    writer = create_api_key(workspace=workspace, actor=cast["admin"].user, name="w", scopes=["surveys:write"])[1]
    url = f"/api/v1/surveys/instruments/{instrument.uuid}"
    read = {"HTTP_AUTHORIZATION": f"Bearer {reader}"}
    write = {"HTTP_AUTHORIZATION": f"Bearer {writer}"}
    assert client.get("/api/v1/surveys/instruments", **read).json()["count"] == 1
    assert client.get(url, **read).status_code == 200
    assert client.patch(url, data={"anonymity": "named"}, content_type="application/json", **read).status_code == 403
    assert client.patch(url, data={"anonymity": "named"}, content_type="application/json", **write).status_code == 200
    instrument.refresh_from_db()
    assert instrument.anonymity == "named"
    other = create_api_key(workspace=workspace, actor=cast["admin"].user, name="q", scopes=["quizzes:read"])[1]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
