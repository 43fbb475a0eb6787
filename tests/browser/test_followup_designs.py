"""Follow-up designs in the browser: an admin starts from the default design, adds a step (the
errors said beside the fields, the input kept), previews a participant's timeline with real dates
and sends a test to themself; every page passes axe."""

import datetime

import pytest
from playwright.sync_api import expect

from takeroot.followup.models import Design
from takeroot.programmes import services as programmes

from .test_foundation import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Difficult conversations", currency="PLN"
    )
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 9, 28),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[cast["trainer"]],
    )
    start = datetime.datetime(2026, 9, 30, 7, 0, tzinfo=datetime.UTC)
    programmes.save_session(
        cohort=cohort, actor=admin.user, title="Day 1", starts_at=start, ends_at=start + datetime.timedelta(hours=6)
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"]])
    return programme


def test_design_pages_pass_axe(page, cast, course, smtp_sink, screenshot):
    sign_in(page, "admin@acme.test")
    page.goto(f"/programmes/{course.uuid}/follow-up/")
    assert_no_axe_violations(page, "followup-design-start")
    page.get_by_role("button", name="Start from the default design").click()
    expect(page.get_by_text("Follow-up design created.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Day 21 from the last session")
    assert Design.objects.get(programme=course).steps.count() == 12
    assert_no_axe_violations(page, "followup-design")
    screenshot(page, "followup-design")

    # A step with a subject but no message: the error is said, what was typed stays.
    page.get_by_role("link", name="Add a step").click()
    page.get_by_label("Kind of step").select_option(label="Message")
    page.locator("input[name=offset_days]").fill("45")
    page.locator("input[name=subject_en]").fill("Six weeks on, {name}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Write a subject and a message in at least one language.")).to_be_visible()
    expect(page.locator("input[name=subject_en]")).to_have_value("Six weeks on, {name}")
    expect(page.locator("input[name=offset_days]")).to_have_value("45")
    assert_no_axe_violations(page, "followup-step-form-errors")
    screenshot(page, "followup-step-form-errors")
    page.locator("textarea[name=body_en]").fill("What has changed since the training?")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Step saved.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Six weeks on, {name}")

    # The preview for the cohort's participant, and a test send to the admin.
    page.get_by_role("link", name="Preview for a participant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview the follow-up")
    expect(page.get_by_role("table")).to_contain_text(
        "Difficult conversations: write down what you will do differently"
    )
    assert_no_axe_violations(page, "followup-design-preview")
    screenshot(page, "followup-design-preview")
    page.get_by_role("button", name="Send me a test").first.click()
    expect(page.get_by_text("Sent to admin@acme.test.")).to_be_visible()
    assert [m["To"] for m in smtp_sink.messages] == ["admin@acme.test"]
