"""A person's follow-up page and mine: touchpoints upcoming and past, pauses placed and cancelled
through the page (the person, their line manager, admins); and the delivery settings page."""

import datetime

import pytest
from django.utils import timezone

from takeroot.core.models import AuditEntry
from takeroot.followup.enums import TouchpointState
from takeroot.followup.models import DeliverySettings, Hold, Touchpoint

DAY = datetime.timedelta(days=1)


def url(person):
    return f"/people/{person.uuid}/follow-up/"


# Trainers see everyone (403 here); mentors and other participants do not see the person at all (404).
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("manager", 200),
        ("trainer", 403),
        ("mentor", 404),
        ("other_participant", 404),
        ("outsider", 404),
    ],
)
def test_person_followup_page_by_role(touchpoints, cast, client_for, role, status):
    assert client_for(cast[role]).get(url(cast["participant"])).status_code == status


def test_my_followup_shows_upcoming_and_past(touchpoints, cast, client_for):
    response = client_for(cast["participant"]).get("/follow-up/")
    assert response.status_code == 200
    assert [t.step.title for t in response.context["upcoming"]] == ["Micro-lesson: small batches"]
    assert [t.state for t in response.context["past"]] == [TouchpointState.OPENED, TouchpointState.DONE]
    page = response.content.decode()
    assert 'href="/follow-up/preferences/"' in page
    assert "Pause follow-up" in page


def test_own_person_page_leads_to_mine(touchpoints, cast, client_for):
    response = client_for(cast["participant"]).get(url(cast["participant"]))
    assert response.status_code == 302 and response["Location"] == "/follow-up/"


def test_manager_sees_their_reports_on_their_own_page(touchpoints, cast, client_for):
    page = client_for(cast["manager"]).get("/follow-up/").content.decode()
    assert url(cast["participant"]) in page
    assert "Talk with your report about the training" in page


def test_placing_a_hold_moves_upcoming_touchpoints(touchpoints, cast, client_for):
    upcoming = touchpoints["mine"][2]
    local_due = timezone.localtime(upcoming.due_at).date()
    start, end = timezone.localdate() + DAY, local_due + 3 * DAY
    response = client_for(cast["participant"]).post(
        "/follow-up/", {"starts_on": start.isoformat(), "ends_on": end.isoformat(), "reason": "Vacation"}
    )
    assert response.status_code == 302
    hold = Hold.objects.get(person=cast["participant"])
    assert (hold.starts_on, hold.ends_on, hold.reason, hold.created_by) == (start, end, "Vacation", cast["participant"])
    upcoming.refresh_from_db()
    assert timezone.localtime(upcoming.due_at).date() > end
    past = Touchpoint.objects.get(pk=touchpoints["mine"][0].pk)
    assert past.due_at == touchpoints["mine"][0].due_at


def test_overlapping_hold_refused_with_the_input_kept(touchpoints, cast, client_for):
    today = timezone.localdate()
    Hold.objects.create(
        workspace=cast["participant"].workspace,
        person=cast["participant"],
        starts_on=today + 5 * DAY,
        ends_on=today + 9 * DAY,
    )
    client = client_for(cast["manager"])
    response = client.post(
        url(cast["participant"]),
        {"starts_on": (today + 8 * DAY).isoformat(), "ends_on": (today + 12 * DAY).isoformat(), "reason": "Leave"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This overlaps the pause from" in page
    assert f'value="{(today + 8 * DAY).isoformat()}"' in page and 'value="Leave"' in page
    assert Hold.objects.count() == 1


def test_hold_refusals_by_role(touchpoints, cast, client_for):
    today = timezone.localdate()
    body = {"starts_on": (today + DAY).isoformat(), "ends_on": (today + 2 * DAY).isoformat()}
    assert client_for(cast["trainer"]).post(url(cast["participant"]), body).status_code == 403
    assert client_for(cast["outsider"]).post(url(cast["participant"]), body).status_code == 404
    assert not Hold.objects.exists()


def test_cancel_a_hold_through_the_page(touchpoints, cast, client_for):
    today = timezone.localdate()
    hold = Hold.objects.create(
        workspace=cast["participant"].workspace,
        person=cast["participant"],
        starts_on=today + DAY,
        ends_on=today + 3 * DAY,
    )
    assert client_for(cast["other_participant"]).post(f"/follow-up/holds/{hold.uuid}/cancel/").status_code == 404
    assert client_for(cast["outsider"]).post(f"/follow-up/holds/{hold.uuid}/cancel/").status_code == 404
    response = client_for(cast["admin"]).post(f"/follow-up/holds/{hold.uuid}/cancel/")
    assert response.status_code == 302 and response["Location"] == url(cast["participant"])
    hold.refresh_from_db()
    assert hold.cancelled_at is not None
    assert "No pauses." in client_for(cast["participant"]).get("/follow-up/").content.decode()


def test_home_panel_shows_the_next_touchpoint(touchpoints, cast, client_for):
    page = client_for(cast["participant"]).get("/").content.decode()
    assert "Coming up in your follow-up" in page and "Micro-lesson: small batches" in page


# Delivery settings ------------------------------------------------------------------------------

SETTINGS = "/workspace/follow-up/"


def _form(**changes):
    data = {
        "working_days": ["0", "1", "2", "3"],
        "holidays": "2026-12-24\n2026-12-25",
        "quiet_start": "19:00",
        "quiet_end": "08:00",
        "link_days": "21",
        "webhook_url": "https://hooks.example.com/takeroot",
        "webhook_format": "slack",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("trainer", 403), ("participant", 403), ("manager", 403)])
def test_delivery_settings_page_by_role(cast, client_for, role, status):
    assert client_for(cast[role]).get(SETTINGS).status_code == status


def test_saving_settings_replans_the_cohorts(touchpoints, cast, client_for, django_capture_on_commit_callbacks):
    upcoming = touchpoints["mine"][2]
    weekday = timezone.localtime(upcoming.due_at).weekday()
    others = [str(day) for day in range(7) if day != weekday]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["admin"]).post(SETTINGS, _form(working_days=others))
    assert response.status_code == 302
    settings = DeliverySettings.objects.get(workspace=cast["admin"].workspace)
    assert settings.working_days == [int(day) for day in others]
    assert settings.holidays == ["2026-12-24", "2026-12-25"]
    assert (settings.link_days, settings.webhook_format) == (21, "slack")
    upcoming.refresh_from_db()
    assert timezone.localtime(upcoming.due_at).weekday() != weekday
    assert AuditEntry.objects.filter(object_type="deliverysettings").exists()


def test_bad_holiday_line_keeps_the_text_and_names_the_line(cast, client_for):
    typed = "2026-12-24\n24.12.2026\n\n2026-02-30"
    response = client_for(cast["admin"]).post(SETTINGS, _form(holidays=typed, working_days=[]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2: “24.12.2026” is not a date; write it as YYYY-MM-DD." in page
    assert "Line 4: “2026-02-30” is not a date" in page
    assert "Choose at least one working day." in page
    assert "2026-12-24\n24.12.2026\n\n2026-02-30</textarea>" in page
    assert not DeliverySettings.objects.exists()


def test_new_webhook_secret(cast, client_for):
    client = client_for(cast["admin"])
    client.post(SETTINGS, _form())
    before = DeliverySettings.objects.get().webhook_secret
    assert before in client.get(SETTINGS).content.decode()
    assert client_for(cast["trainer"]).post(f"{SETTINGS}new-secret/").status_code == 403
    client_for(cast["admin"]).post(f"{SETTINGS}new-secret/")
    assert DeliverySettings.objects.get().webhook_secret != before
