"""Dashboards in the browser: the trainer's cohort dashboard (from the cohort page, a custom period,
the download links), the programme's, the manager's team dashboard, the admin's organisation
dashboard and index, and the participant's "My progress" from the navigation; every page scanned
with axe."""

import pytest
from playwright.sync_api import expect

from tests.tracking.test_dashboards_support import finding, flag, record_month

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month(enrolment, other_enrolment, modules, cohort):
    record_month(enrolment, other_enrolment, modules)
    flag(enrolment)
    finding(cohort, modules[0])


def test_trainer_cohort_and_programme_dashboards(page, cast, programme, cohort, enrolment, month, screenshot):
    sign_in_as(page, cast["trainer"])
    page.goto(f"/cohorts/{cohort.uuid}/")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url(f"**/tracking/dashboards/cohorts/{cohort.uuid}/")
    expect(page.get_by_role("heading", name="Dashboard: Kraków spring")).to_be_visible()
    expect(page.locator("#at-risk-list").get_by_role("link", name="Pia Participant")).to_be_visible()
    expect(page.locator("#participants")).to_contain_text("75 %")
    assert_no_axe_violations(page, "dashboard-cohort")
    screenshot(page, "dashboard-cohort")

    page.locator("select[name=period]").select_option("custom")
    page.locator("input[name=from]").fill("2026-09-21")
    page.locator("input[name=to]").fill("2026-10-04")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**from=2026-09-21**")
    expect(page.locator("#period")).to_contain_text("21")
    assert_no_axe_violations(page, "dashboard-cohort-custom")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.endswith("-2026-09-21-2026-10-04.xlsx")

    page.locator("#participants").get_by_role("link", name="Pia Participant").click()
    page.wait_for_url(f"**/tracking/progress/{enrolment.uuid}/")
    expect(page.locator("#facts")).to_contain_text("Pia Participant attended 3 of 4 sessions.")
    assert_no_axe_violations(page, "dashboard-progress-trainer")

    page.goto(f"/tracking/dashboards/programmes/{programme.uuid}/")
    expect(page.locator("#cohorts")).to_contain_text("Kraków spring")
    assert_no_axe_violations(page, "dashboard-programme")


def test_manager_admin_and_participant_dashboards(page, cast, cohort, enrolment, month, screenshot):
    sign_in_as(page, cast["manager"])
    page.goto("/")
    page.get_by_role("link", name="Dashboards").first.click()
    page.wait_for_url("**/tracking/dashboards/")
    assert_no_axe_violations(page, "dashboard-index-manager")
    page.get_by_role("link", name="Sales").click()
    page.wait_for_url("**/tracking/dashboards/teams/*/")
    expect(page.locator("#participants")).to_contain_text("Pia Participant")
    assert_no_axe_violations(page, "dashboard-team")

    sign_in_as(page, cast["admin"])
    page.goto("/tracking/dashboards/organisation/?period=all")
    expect(page.locator("#programmes")).to_contain_text("Customer conversations")
    expect(page.locator("#at-risk-count")).to_contain_text("1 participant is flagged at risk.")
    assert_no_axe_violations(page, "dashboard-organisation")
    screenshot(page, "dashboard-organisation")

    sign_in_as(page, cast["participant"])
    page.goto("/")
    page.get_by_role("link", name="My progress").first.click()
    page.wait_for_url(f"**/tracking/progress/{enrolment.uuid}/")
    expect(page.locator("#facts")).to_contain_text("You attended 3 of 4 sessions.")
    assert_no_axe_violations(page, "dashboard-progress-participant")
    screenshot(page, "dashboard-progress")
