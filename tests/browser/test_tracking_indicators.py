"""The indicator set in the browser: an admin reads the set, adds an indicator after a formula
mistake that is explained on the form (what was typed stays), changes a default's threshold,
archives and restores it. Every page scanned with axe, in English and Swedish."""

import pytest
from playwright.sync_api import expect

from takeroot.tracking.indicators import indicators_for
from takeroot.tracking.models import Indicator

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_indicator_pages_are_accessible(page, cast, language, screenshot):
    indicators = indicators_for(cast["admin"].workspace)
    sign_in_as(page, cast["admin"], language)
    page.goto("/tracking/indicators/")
    assert_no_axe_violations(page, f"indicators-{language}")
    screenshot(page, f"indicators-{language}")
    page.goto("/tracking/indicators/new/")
    assert_no_axe_violations(page, f"indicator-new-{language}")
    page.goto(f"/tracking/indicators/{indicators[0].uuid}/edit/")
    assert_no_axe_violations(page, f"indicator-edit-default-{language}")


def test_an_admin_adds_an_indicator_after_a_formula_mistake(page, cast):
    workspace = cast["admin"].workspace
    indicators_for(workspace)
    sign_in_as(page, cast["admin"])
    page.goto("/tracking/indicators/new/")
    page.get_by_label("Name").fill("Check-ins made")
    page.get_by_label("Category").select_option("application")
    page.locator("#id_formula").fill("mean(checkin)")
    page.get_by_label("Unit").select_option("%")
    page.get_by_label("Threshold").fill("90")
    page.get_by_role("button", name="Save the indicator").click()

    assert page.get_by_text("Unknown input 'checkin'.").count() == 1
    assert page.get_by_label("Name").input_value() == "Check-ins made"
    assert_no_axe_violations(page, "indicator-new-error")
    page.locator("#id_formula").fill("mean(check_in)")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_text("Indicator added")).to_be_visible()

    own = Indicator.objects.get(workspace=workspace, is_default=False)
    assert (own.name, own.formula, own.threshold) == ("Check-ins made", "mean(check_in)", 0.9)
    assert page.get_by_role("row", name="Check-ins made").count() == 1


def test_a_default_is_tuned_archived_and_restored(page, cast):
    workspace = cast["admin"].workspace
    attendance = indicators_for(workspace)[0]
    sign_in_as(page, cast["admin"])
    page.goto(f"/tracking/indicators/{attendance.uuid}/edit/")
    assert page.locator("#id_formula").is_disabled()
    page.get_by_label("Threshold").fill("85")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_text("Indicator saved.")).to_be_visible()
    page.get_by_role("button", name="Archive Attendance rate").click()
    expect(page.get_by_role("button", name="Restore Attendance rate")).to_be_visible()
    assert_no_axe_violations(page, "indicators-with-archived")
    page.get_by_role("button", name="Restore Attendance rate").click()
    expect(page.get_by_text("Indicator restored")).to_be_visible()

    attendance.refresh_from_db()
    assert (attendance.threshold, attendance.archived_at) == (0.85, None)
