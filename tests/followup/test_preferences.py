"""Mail preferences: the page and the API, each person their own only; API keys are refused."""

import json

import pytest

from takeroot.core.services import create_api_key
from takeroot.followup import preferences as mail_preferences
from takeroot.followup.models import Preference

API = "/api/v1/followup/preferences"


def test_preferences_page_needs_signing_in(client):
    answer = client.get("/follow-up/preferences/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_preferences_page_shows_the_defaults_and_explains(client_for, cast):
    page = client_for(cast["participant"]).get("/follow-up/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="immediate" required id="id_non_urgent_0" checked' in html
    assert 'id="id_optional_mail" checked' in html
    assert "still come when optional mail is off" in html
    assert 'href="/profile/"' in html
    assert not Preference.objects.exists()


def test_preferences_page_saves(client_for, cast):
    client = client_for(cast["participant"])
    answer = client.post("/follow-up/preferences/", {"non_urgent": "digest"})
    assert answer.status_code == 302
    assert answer["Location"] == "/follow-up/preferences/"
    preference = Preference.objects.get(user=cast["participant"].user)
    assert (preference.non_urgent, preference.optional_mail) == ("digest", False)
    page = client.get("/follow-up/preferences/")
    assert "Your mail preferences were saved." in page.content.decode()
    assert 'value="digest" required id="id_non_urgent_1" checked' in page.content.decode()
    client.post("/follow-up/preferences/", {"non_urgent": "immediate", "optional_mail": "on"})
    preference.refresh_from_db()
    assert (preference.non_urgent, preference.optional_mail) == ("immediate", True)
    assert Preference.objects.count() == 1


def test_preferences_page_keeps_the_choice_on_errors(client_for, cast):
    answer = client_for(cast["participant"]).post("/follow-up/preferences/", {"non_urgent": "weekly"})
    assert answer.status_code == 200
    assert "Select a valid choice." in answer.content.decode()
    assert not Preference.objects.exists()


def test_preferences_belong_to_the_account_only(client_for, cast):
    # Each person saves their own; nobody else's row changes, whatever the workspace.
    client_for(cast["outsider"]).post("/follow-up/preferences/", {"non_urgent": "digest"})
    assert list(Preference.objects.values_list("user__email", "optional_mail")) == [("outsider@globex.test", False)]
    assert mail_preferences.preference_for(cast["participant"].user).optional_mail is True


def test_api_reads_and_changes_my_preferences(client_for, cast):
    client = client_for(cast["participant"])
    assert client.get(API).json() == {"non_urgent": "immediate", "optional_mail": True, "language": "en"}
    changed = client.put(
        API, json.dumps({"non_urgent": "digest", "optional_mail": False}), content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json() == {"non_urgent": "digest", "optional_mail": False, "language": "en"}
    assert client.get(API).json()["non_urgent"] == "digest"
    preference = Preference.objects.get(user=cast["participant"].user)
    assert (preference.non_urgent, preference.optional_mail) == ("digest", False)


def test_api_refuses_bad_values(client_for, cast):
    client = client_for(cast["participant"])
    bad = client.put(API, json.dumps({"non_urgent": "weekly", "optional_mail": True}), content_type="application/json")
    assert bad.status_code == 422
    assert "non_urgent" in bad.json()["errors"]
    assert client.put(API, json.dumps("digest"), content_type="application/json").status_code == 422
    assert not Preference.objects.exists()


@pytest.mark.parametrize("scopes", [["followup:read"], ["followup:read", "followup:write"]])
def test_api_keys_are_refused_with_a_clear_reason(client, cast, scopes):
    secret = create_api_key(workspace=cast["admin"].workspace, actor=None, name="HR", scopes=scopes)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    read = client.get(API, **auth)
    assert read.status_code == 403
    assert read.json()["detail"] == "Mail preferences belong to people: sign in to read or change yours."
    body = json.dumps({"non_urgent": "digest", "optional_mail": False})
    assert client.put(API, body, content_type="application/json", **auth).status_code == 403
    assert not Preference.objects.exists()


def test_api_needs_authentication(client, db):
    assert client.get(API).status_code == 401


def test_optional_mail_skips_people_who_turned_it_off_and_carries_the_unsubscribe_headers(cast):
    from takeroot.core.mail import queue_mail

    mail_preferences.unsubscribe(user=cast["participant"].user)

    skipped = queue_mail(recipient=cast["participant"].user, template="digest", context={}, optional=True)
    sent = queue_mail(recipient=cast["manager"].user, template="digest", context={}, optional=True)
    essential = queue_mail(recipient=cast["participant"].user, template="digest", context={})

    assert skipped is None
    assert sent.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in essential.headers
