"""The at-risk pages and API: who sees the list and a flag (a participant never; a trainer of
another cohort 404; another workspace 404), logging an intervention keeps what was typed on bad
input, the settings page and API for admins only, API key scopes."""

import datetime

import pytest

from takeroot.core.services import create_api_key
from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionPlan
from takeroot.programmes import services as programmes
from takeroot.tracking.enums import FlagState
from takeroot.tracking.models import AtRiskFlag, Intervention, TrackingSettings
from takeroot.tracking.risk import evaluate_enrolments
from tests.course_support import DAY, NOW
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def flag(enrolment, cast):
    enrolment.mentor = cast["mentor"]
    enrolment.save()
    ActionPlan.objects.create(
        workspace=enrolment.workspace, enrolment=enrolment, state=PlanState.APPROVED, submitted_at=NOW - 30 * DAY
    )
    evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    return AtRiskFlag.objects.get()


@pytest.fixture
def other_trainer(workspace, programme, cast):
    trainer = PersonFactory(workspace=workspace, user=UserFactory(email="t2@acme.test", name="T2"), is_trainer=True)
    programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Other",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[trainer],
    )
    return trainer


def key(cast, *scopes):
    secret = create_api_key(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="k", scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret[1]}"}


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("trainer", 200), ("mentor", 200), ("manager", 404), ("participant", 404), ("outsider", 404)],
)
def test_who_opens_a_flag(client_for, cast, flag, who, status):
    assert client_for(cast[who]).get(f"/tracking/at-risk/{flag.uuid}/").status_code == status
    api = client_for(cast[who]).get(f"/api/v1/tracking/flags/{flag.uuid}")
    assert api.status_code == status


def test_a_trainer_of_another_cohort_gets_404_on_the_page(client_for, flag, other_trainer):
    assert client_for(other_trainer).get(f"/tracking/at-risk/{flag.uuid}/").status_code == 404
    assert client_for(other_trainer).get("/tracking/at-risk/").status_code == 200
    assert client_for(other_trainer).get("/api/v1/tracking/flags").json()["items"] == []


def test_the_manager_sees_the_flag_when_the_workspace_allows(client_for, cast, flag):
    TrackingSettings.objects.create(workspace=flag.workspace, notify_managers=True)
    assert client_for(cast["manager"]).get(f"/tracking/at-risk/{flag.uuid}/").status_code == 200
    page = client_for(cast["manager"]).get("/tracking/at-risk/")
    assert "Pia Participant" in page.content.decode()


def test_the_list_shows_open_flags_with_counts_and_resolved_under_a_tab(client_for, cast, flag):
    page = client_for(cast["trainer"]).get("/tracking/at-risk/").content.decode()
    assert "Pia Participant" in page and "Missed check-ins" in page and "Open (1)" in page
    assert client_for(cast["participant"]).get("/tracking/at-risk/").status_code == 403
    flag.state, flag.resolved_at = FlagState.RESOLVED, NOW
    flag.save()
    page = client_for(cast["trainer"]).get("/tracking/at-risk/").content.decode()
    assert "Nobody you look after is flagged at risk." in page
    assert "Pia Participant" in client_for(cast["trainer"]).get("/tracking/at-risk/?state=resolved").content.decode()


def test_logging_an_intervention_on_the_page(client_for, cast, flag):
    client = client_for(cast["mentor"])
    url = f"/tracking/at-risk/{flag.uuid}/interventions/"
    bad = client.post(url, {"kind": "extended_deadline", "note": "Two more weeks"})
    assert bad.status_code == 400
    assert "Give the new deadline." in bad.content.decode() and "Two more weeks" in bad.content.decode()
    good = client.post(url, {"kind": "extended_deadline", "note": "Two more weeks", "new_deadline": "2099-01-01"})
    assert good.status_code == 302
    page = client.get(f"/tracking/at-risk/{flag.uuid}/").content.decode()
    assert "Two more weeks" in page and "Engagement before and after the first intervention" in page
    client.post(f"/tracking/at-risk/{flag.uuid}/resolve/")
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by) == (FlagState.RESOLVED, cast["mentor"])
    assert client_for(cast["participant"]).post(url, {"kind": "talked"}).status_code == 404
    assert client_for(cast["outsider"]).post(url, {"kind": "talked"}).status_code == 404


def test_the_api_logs_interventions_and_resolves(client_for, client, cast, flag):
    url = f"/api/v1/tracking/flags/{flag.uuid}"
    writer = key(cast, "tracking:read", "tracking:write")
    made = client.post(f"{url}/interventions", {"kind": "talked", "note": "Call"}, content_type=JSON, **writer)
    assert made.status_code == 201
    assert made.json()["interventions"][0]["by"] is None
    refused = client.post(f"{url}/resolve", content_type=JSON, **writer)
    assert refused.status_code == 400
    reader = key(cast, "tracking:read")
    assert client.post(f"{url}/resolve", content_type=JSON, **reader).status_code == 403
    listed = client.get("/api/v1/tracking/flags?state=open", **reader).json()
    assert [item["id"] for item in listed["items"]] == [str(flag.uuid)]
    assert listed["items"][0]["reasons"][0]["text"].startswith("4 check-ins missed")
    resolved = client_for(cast["trainer"]).post(f"{url}/resolve", content_type=JSON)
    assert resolved.json()["state"] == "resolved"
    assert Intervention.objects.count() == 1


def test_an_outsiders_key_finds_nothing(client, cast, flag):
    outsider_key = create_api_key(
        workspace=cast["outsider"].workspace, actor=cast["outsider"].user, name="k", scopes=["tracking:read"]
    )[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {outsider_key}"}
    assert client.get(f"/api/v1/tracking/flags/{flag.uuid}", **auth).status_code == 404
    assert client.get("/api/v1/tracking/flags", **auth).json()["items"] == []


def test_settings_page_and_api_are_for_admins(client_for, client, cast, workspace):
    assert client_for(cast["trainer"]).get("/tracking/settings/").status_code == 403
    admin = client_for(cast["admin"])
    bad = admin.post(
        "/tracking/settings/", {"engagement_drop_percent": 5, "missed_check_ins": 2, "score_drop_points": 20}
    )
    assert bad.status_code == 400
    good = admin.post(
        "/tracking/settings/",
        {"notify_managers": "on", "engagement_drop_percent": 50, "missed_check_ins": 3, "score_drop_points": 20},
    )
    assert good.status_code == 302
    saved = TrackingSettings.objects.get(workspace=workspace)
    assert (saved.notify_managers, saved.engagement_drop_percent, saved.missed_check_ins) == (True, 50, 3)
    response = admin.put("/api/v1/tracking/settings", {"missed_check_ins": 11}, content_type=JSON)
    assert response.status_code == 422  # the schema says 1 to 10
    assert set(response.json()["errors"]) == {"missed_check_ins"}
    assert (
        admin.put("/api/v1/tracking/settings", {"missed_check_ins": 4}, content_type=JSON).json()["missed_check_ins"]
        == 4
    )
    assert client_for(cast["trainer"]).get("/api/v1/tracking/settings").status_code == 403
    assert client.get("/api/v1/tracking/settings", **key(cast, "tracking:read")).status_code == 403
