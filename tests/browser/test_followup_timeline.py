"""Follow-up in the browser: the trainer reads the cohort's timeline and resends a failed
touchpoint, the participant pauses their follow-up (an overlap is refused with the input kept),
the admin saves the delivery settings after fixing a bad holiday line; every page passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.followup.models import DeliverySettings, Hold

from ..followup.conftest import cohort, design, failed, programme, touchpoints
from .test_foundation import assert_no_axe_violations, signed_in

__all__ = ["cohort", "design", "failed", "programme", "touchpoints"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_followup_pages_pass_axe(browser, live_server, cast, cohort, failed, screenshot):
    context, page = signed_in(browser, live_server, cast["trainer"])
    page.goto(f"/cohorts/{cohort.uuid}/follow-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up of Gdańsk autumn")
    expect(page.get_by_text("550 Mailbox unavailable").first).to_be_visible()
    assert_no_axe_violations(page, "followup-cohort")
    screenshot(page, "followup-cohort")
    page.get_by_role("button", name="Resend").first.click()
    expect(page.get_by_text("goes out again shortly")).to_be_visible()
    page.get_by_label("State").select_option("scheduled")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Olek Other").first).to_be_visible()
    context.close()

    context, page = signed_in(browser, live_server, cast["participant"])
    page.goto("/follow-up/")
    assert_no_axe_violations(page, "followup-mine")
    today = timezone.localdate()
    start, end = today + datetime.timedelta(days=2), today + datetime.timedelta(days=5)
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("Until").fill(end.isoformat())
    page.get_by_label("Reason").fill("Vacation")
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text("Follow-up is paused from")).to_be_visible()
    page.get_by_label("From").fill((end - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Until").fill((end + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Reason").fill("Leave")
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text("This overlaps the pause from")).to_be_visible()
    expect(page.get_by_label("Reason")).to_have_value("Leave")
    assert_no_axe_violations(page, "followup-mine-error")
    screenshot(page, "followup-mine")
    assert Hold.objects.count() == 1
    context.close()

    context, page = signed_in(browser, live_server, cast["admin"])
    page.goto("/workspace/follow-up/")
    assert_no_axe_violations(page, "followup-delivery-settings")
    page.get_by_label("Holidays").fill("2026-12-24\n24/12/2026")
    page.get_by_label("Saturday").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Line 2: “24/12/2026” is not a date")).to_be_visible()
    expect(page.get_by_label("Holidays")).to_have_value("2026-12-24\n24/12/2026")
    assert_no_axe_violations(page, "followup-delivery-settings-error")
    page.get_by_label("Holidays").fill("2026-12-24")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Delivery settings saved.")).to_be_visible()
    screenshot(page, "followup-delivery-settings")
    context.close()
    settings = DeliverySettings.objects.get()
    assert settings.holidays == ["2026-12-24"] and 5 in settings.working_days
