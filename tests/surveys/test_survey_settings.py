"""The anonymity thresholds: at least 3 responses for results, comments not below results, admins
only, on the page and through the API."""

import pytest
from django.core.exceptions import ValidationError

from takeroot.core.models import AuditEntry
from takeroot.core.services import create_api_key
from takeroot.surveys.instruments import save_survey_settings, survey_settings_for
from takeroot.surveys.models import SurveySettings


def test_defaults_until_saved(workspace):
    found = survey_settings_for(workspace)
    assert (found.pk, found.min_responses, found.min_comments) == (None, 5, 8)


def test_save_and_audit(workspace, cast):
    save_survey_settings(workspace=workspace, actor=cast["admin"].user, min_responses=4, min_comments=6)
    found = SurveySettings.objects.get(workspace=workspace)
    assert (found.min_responses, found.min_comments) == (4, 6)
    entry = AuditEntry.objects.get(object_type="surveysettings")
    assert entry.changes == {"min_responses": [5, 4], "min_comments": [8, 6]}


def test_refuses_two_and_comments_below_results(workspace, cast):
    with pytest.raises(ValidationError) as caught:
        save_survey_settings(workspace=workspace, actor=None, min_responses=2, min_comments=8)
    assert list(caught.value.message_dict) == ["min_responses"]
    assert "from 3 to 50" in caught.value.message_dict["min_responses"][0]
    with pytest.raises(ValidationError) as caught:
        save_survey_settings(workspace=workspace, actor=None, min_responses=6, min_comments=5)
    assert caught.value.message_dict == {
        "min_comments": [
            "Comments can be identified more easily than numbers: their threshold cannot be lower than the "
            "results' (6)."
        ]
    }
    assert not SurveySettings.objects.exists()


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "manager", "participant"])
def test_page_is_for_admins(workspace, cast, client_for, who):
    status = client_for(cast[who]).get("/surveys/settings/").status_code
    assert status == (200 if who == "admin" else 403)


def test_page_shows_clear_errors_and_keeps_input(workspace, cast, client_for):
    client = client_for(cast["admin"])
    page = client.post("/surveys/settings/", {"min_responses": "2", "min_comments": "8"}).content.decode()
    assert "The thresholds were not saved." in page
    assert "Give at least 3: with fewer responses, people could work out who answered what." in page
    page = client.post("/surveys/settings/", {"min_responses": "7", "min_comments": "6"}).content.decode()
    assert "their threshold cannot be lower than the results&#x27; (7)." in page
    assert 'value="7"' in page and 'value="6"' in page
    assert not SurveySettings.objects.exists()
    response = client.post("/surveys/settings/", {"min_responses": "6", "min_comments": "10"})
    assert response.status_code == 302
    assert SurveySettings.objects.get(workspace=workspace).min_comments == 10


def test_outsider_changes_only_their_own_workspace(workspace, other_workspace, cast, client_for):
    client_for(cast["outsider"]).post("/surveys/settings/", {"min_responses": "9", "min_comments": "9"})
    assert survey_settings_for(workspace).min_responses == 5
    assert survey_settings_for(other_workspace).min_responses == 9


def test_api_reads_and_changes_thresholds(workspace, cast, client_for, client):
    admin = client_for(cast["admin"])
    assert admin.get("/api/v1/surveys/settings").json() == {"min_responses": 5, "min_comments": 8}
    bad = admin.put(
        "/api/v1/surveys/settings", data={"min_responses": 2, "min_comments": 8}, content_type="application/json"
    )
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["min_responses"]
    bad = admin.put(
        "/api/v1/surveys/settings", data={"min_responses": 5, "min_comments": 4}, content_type="application/json"
    )
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["min_comments"]
    good = admin.put(
        "/api/v1/surveys/settings", data={"min_responses": 3, "min_comments": 3}, content_type="application/json"
    )
    assert good.json() == {"min_responses": 3, "min_comments": 3}


@pytest.mark.parametrize("who", ["trainer", "participant"])
def test_api_change_is_for_admins(workspace, cast, client_for, who):
    client = client_for(cast[who])
    assert client.get("/api/v1/surveys/settings").status_code == 200  # members may know the thresholds
    body = {"min_responses": 6, "min_comments": 9}
    assert client.put("/api/v1/surveys/settings", data=body, content_type="application/json").status_code == 403


def test_api_key_scopes(workspace, cast, client):
    reader = create_api_key(workspace=workspace, actor=cast["admin"].user, name="r", scopes=["surveys:read"])[1]
    writer = create_api_key(workspace=workspace, actor=cast["admin"].user, name="w", scopes=["surveys:write"])[1]
    body = {"min_responses": 6, "min_comments": 9}
    put = {"data": body, "content_type": "application/json"}
    assert client.put("/api/v1/surveys/settings", HTTP_AUTHORIZATION=f"Bearer {reader}", **put).status_code == 403
    assert client.put("/api/v1/surveys/settings", HTTP_AUTHORIZATION=f"Bearer {writer}", **put).status_code == 200
    assert client.get("/api/v1/surveys/settings", HTTP_AUTHORIZATION=f"Bearer {reader}").json()["min_comments"] == 9
