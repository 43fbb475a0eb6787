"""Touchpoints, holds and delivery settings over the API: who sees what (404), who may act (403),
API keys by scope, filters and pagination."""

import datetime

import pytest
from django.utils import timezone

from takeroot.core.services import create_api_key
from takeroot.followup.enums import TouchpointState
from takeroot.followup.models import DeliverySettings, Hold

API = "/api/v1"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def api_key(cast):
    def make(*scopes, workspace=None):
        _key, secret = create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=cast["admin"].user, name="Key", scopes=list(scopes)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_list_touchpoints_by_role(touchpoints, cohort, cast, client_for):
    everything = ids(client_for(cast["admin"]).get(f"{API}/touchpoints"))
    assert len(everything) == 9
    assert ids(client_for(cast["trainer"]).get(f"{API}/touchpoints")) == everything
    mine = client_for(cast["participant"]).get(f"{API}/touchpoints").json()["items"]
    assert {row["person"] for row in mine} == {str(cast["participant"].uuid)} and len(mine) == 3
    assert ids(client_for(cast["outsider"]).get(f"{API}/touchpoints")) == set()


def test_list_touchpoints_filters_and_pages(touchpoints, cohort, cast, client_for):
    client = client_for(cast["admin"])
    failed = client.get(f"{API}/touchpoints?state=failed").json()["items"]
    assert [(row["state"], row["reason"]) for row in failed] == [("failed", "550 Mailbox unavailable")]
    assert len(ids(client.get(f"{API}/touchpoints?person={cast['other_participant'].uuid}"))) == 3
    assert len(ids(client.get(f"{API}/touchpoints?cohort={cohort.uuid}"))) == 9
    assert ids(client.get(f"{API}/touchpoints?cohort=00000000-0000-0000-0000-000000000000")) == set()
    page = client.get(f"{API}/touchpoints?page_size=4&page=3").json()
    assert (page["count"], len(page["items"])) == (9, 1)
    assert client.get(f"{API}/touchpoints?state=lost").status_code == 422


def test_read_touchpoint_404_and_403(touchpoints, cast, client_for):
    theirs = touchpoints["theirs"][0]
    assert client_for(cast["participant"]).get(f"{API}/touchpoints/{theirs.uuid}").status_code == 404
    assert client_for(cast["outsider"]).get(f"{API}/touchpoints/{theirs.uuid}").status_code == 404
    body = client_for(cast["other_participant"]).get(f"{API}/touchpoints/{theirs.uuid}").json()
    assert body["step_title"] == "Write your action plan" and body["kind"] == "action_plan"
    # the recipient sees it but may not cancel it
    response = client_for(cast["other_participant"]).post(
        f"{API}/touchpoints/{touchpoints['theirs'][2].uuid}/cancel", {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_cancel_and_resend_through_the_api(touchpoints, failed, cast, client_for):
    client = client_for(cast["trainer"])
    upcoming = touchpoints["mine"][2]
    response = client.post(
        f"{API}/touchpoints/{upcoming.uuid}/cancel", {"reason": "Changed role"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("cancelled", "Changed role")
    again = client.post(f"{API}/touchpoints/{upcoming.uuid}/cancel", {}, content_type="application/json")
    assert again.status_code == 400
    response = client.post(f"{API}/touchpoints/{failed.uuid}/resend")
    assert response.status_code == 200 and response.json()["state"] == TouchpointState.SCHEDULED


def test_api_keys_by_scope(touchpoints, failed, cast, client, api_key):
    reader = api_key("followup:read")
    assert len(ids(client.get(f"{API}/touchpoints", **reader))) == 9
    assert client.post(f"{API}/touchpoints/{failed.uuid}/resend", **reader).status_code == 403
    assert client.get(f"{API}/touchpoints", **api_key("people:read")).status_code == 403
    writer = api_key("followup:read", "followup:write")
    assert client.post(f"{API}/touchpoints/{failed.uuid}/resend", **writer).status_code == 200
    foreign = api_key("followup:read", workspace=cast["outsider"].workspace)
    assert client.get(f"{API}/touchpoints/{failed.uuid}", **foreign).status_code == 404


# Holds ------------------------------------------------------------------------------------------


def _hold_body(person, start=1, end=4, **changes):
    today = timezone.localdate()
    body = {
        "person": str(person.uuid),
        "starts_on": (today + start * DAY).isoformat(),
        "ends_on": (today + end * DAY).isoformat(),
        "reason": "Vacation",
    }
    return body | changes


def test_holds_through_the_api(touchpoints, cast, client_for):
    manager = client_for(cast["manager"])
    response = manager.post(f"{API}/followup-holds", _hold_body(cast["participant"]), content_type="application/json")
    assert response.status_code == 201, response.content
    hold_id = response.json()["id"]
    assert response.json()["person_name"] == "Pia Participant"
    overlap = manager.post(
        f"{API}/followup-holds", _hold_body(cast["participant"], 3, 6), content_type="application/json"
    )
    assert overlap.status_code == 400
    assert ids(manager.get(f"{API}/followup-holds")) == {hold_id}
    assert ids(client_for(cast["other_participant"]).get(f"{API}/followup-holds")) == set()
    assert client_for(cast["other_participant"]).delete(f"{API}/followup-holds/{hold_id}").status_code == 404
    manager = client_for(cast["manager"])  # one test client: sign the manager in again
    assert manager.delete(f"{API}/followup-holds/{hold_id}").status_code == 204
    assert Hold.objects.get(uuid=hold_id).cancelled_at is not None
    assert ids(manager.get(f"{API}/followup-holds")) == set()
    assert ids(manager.get(f"{API}/followup-holds?include_cancelled=true")) == {hold_id}


def test_hold_refusals(touchpoints, cast, client_for):
    trainer = client_for(cast["trainer"])
    body = _hold_body(cast["participant"])
    assert trainer.post(f"{API}/followup-holds", body, content_type="application/json").status_code == 403
    stranger = _hold_body(cast["outsider"])
    assert (
        client_for(cast["admin"]).post(f"{API}/followup-holds", stranger, content_type="application/json").status_code
        == 400
    )
    backwards = _hold_body(cast["participant"], 5, 2)
    response = client_for(cast["participant"]).post(f"{API}/followup-holds", backwards, content_type="application/json")
    assert response.status_code == 400 and "ends_on" in response.json()["errors"]
    assert not Hold.objects.exists()


# Delivery settings ------------------------------------------------------------------------------

SETTINGS = {
    "working_days": [0, 1, 2, 3, 4, 5],
    "holidays": ["2026-12-24", "2026-12-25"],
    "quiet_start": "21:00",
    "quiet_end": "06:30",
    "link_days": 30,
    "webhook_url": "https://hooks.example.com/x",
    "webhook_format": "teams",
}


def test_settings_through_the_api(touchpoints, cast, client_for, client, api_key, django_capture_on_commit_callbacks):
    admin = client_for(cast["admin"])
    assert admin.get(f"{API}/followup-settings").json()["working_days"] == [0, 1, 2, 3, 4]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.put(f"{API}/followup-settings", SETTINGS, content_type="application/json")
    assert response.status_code == 200 and response.json() == SETTINGS
    assert DeliverySettings.objects.get().link_days == 30
    bad = admin.put(
        f"{API}/followup-settings", SETTINGS | {"webhook_url": "not an address"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "webhook_url" in bad.json()["errors"]
    assert (
        admin.put(
            f"{API}/followup-settings", SETTINGS | {"working_days": [7]}, content_type="application/json"
        ).status_code
        == 422
    )
    assert client_for(cast["trainer"]).get(f"{API}/followup-settings").status_code == 403
    assert client.get(f"{API}/followup-settings", **api_key("followup:read")).status_code == 403
    writer = api_key("followup:write")
    assert client.get(f"{API}/followup-settings", **writer).json()["link_days"] == 30
