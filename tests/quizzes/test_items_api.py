"""The item bank's API: who may call what (wrong role 403, other workspace 404), API key scopes,
the same checks as the pages (400 per field), settings, fits and the export."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import Question, QuizSettings

QUESTION = {
    "kind": "single",
    "content": {
        "en": {"prompt": "First?", "options": ["A", "B"]},
        "pl": {"prompt": "Najpierw?", "options": ["A", "B"]},
    },
    "correct": [1],
}


def _calls(programme, question):
    p, q = f"/api/v1/quizzes/programmes/{programme.uuid}", f"/api/v1/quizzes/questions/{question.uuid}"
    return {
        "list": ("get", f"{p}/questions", None, 200),
        "create": ("post", f"{p}/questions", QUESTION, 201),
        "read": ("get", q, None, 200),
        "update": ("put", q, QUESTION, 200),
        "archive": ("post", f"{q}/archive", None, 200),
        "settings": ("get", f"{p}/settings", None, 200),
        "change_settings": (
            "put",
            f"{p}/settings",
            {"desired_retention": 0.8, "questions_per_round": 1, "retire_after": 3},
            200,
        ),
        "fits": ("get", f"{p}/fits", None, 200),
        "export": ("get", f"{p}/questions/export?format=xlsx", None, 200),
    }


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "manager", "participant", "outsider"])
def test_role_endpoint_matrix(programme, questions, cast, client_for, who):
    client = client_for(cast[who])
    statuses = {}
    for name, (method, path, body, _ok) in _calls(programme, questions[QuestionKind.SINGLE]).items():
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        statuses[name] = getattr(client, method)(path, **kwargs).status_code
    if who in ("admin", "trainer"):
        expected = {name: call[3] for name, call in _calls(programme, questions[QuestionKind.SINGLE]).items()}
    else:
        expected = dict.fromkeys(statuses, 404 if who == "outsider" else 403)
    assert statuses == expected


def test_bad_question_answers_400_per_field(programme, cast, client_for):
    body = QUESTION | {
        "content": {
            "en": {"prompt": "First?", "options": ["A", "B"]},
            "pl": {"prompt": "?", "options": ["A", "B", "C"]},
        }
    }
    response = client_for(cast["trainer"]).post(
        f"/api/v1/quizzes/programmes/{programme.uuid}/questions", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["pl-options"] == ["Give as many options as in English (2), in the same order."]
    assert not Question.objects.exists()


def test_api_key_needs_the_write_scope(programme, questions, cast, client):
    read_only = create_api_key(
        workspace=programme.workspace, actor=cast["admin"].user, name="r", scopes=["quizzes:read"]
    )[1]
    writer = create_api_key(
        workspace=programme.workspace, actor=cast["admin"].user, name="w", scopes=["quizzes:write"]
    )[1]
    url = f"/api/v1/quizzes/programmes/{programme.uuid}/settings"
    body = {"desired_retention": 0.85, "questions_per_round": 3, "retire_after": 2}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {read_only}"}
    assert client.get(f"/api/v1/quizzes/programmes/{programme.uuid}/questions", **auth).json()["count"] == 4
    assert client.put(url, data=body, content_type="application/json", **auth).status_code == 403
    response = client.put(url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert response.status_code == 200 and QuizSettings.objects.get(programme=programme).questions_per_round == 3


def test_fit_through_the_api_is_for_admins(programme, cast, client_for, django_capture_on_commit_callbacks):
    url = f"/api/v1/quizzes/programmes/{programme.uuid}/fits"
    assert client_for(cast["trainer"]).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(cast["admin"]).post(url).status_code == 202
    assert client_for(cast["admin"]).get(url).json()["items"][0]["outcome"] == "too_few"
