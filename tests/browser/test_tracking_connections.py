"""The learning-data pages in the browser: an admin connects an LMS and copies its credentials,
maps a waiting actor (after a wrong email that is kept and explained) and an activity, changes
what a verb counts as, and revokes the connection; every page scanned with axe."""

import pytest
from playwright.sync_api import expect

from takeroot.tracking.mapping import ADL
from takeroot.tracking.models import ActivityMapping, ActorMapping, LmsConnection, Statement, VerbMapping
from tests.tracking.test_mapping import QUIZ, account, ingest, statement

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_connects_an_lms_and_maps_what_it_sends(page, cast, enrolment, modules, screenshot):
    sign_in_as(page, cast["admin"])
    page.goto("/tracking/learning-data/")
    assert_no_axe_violations(page, "tracking-connections-empty")
    page.locator("input[name=name]").fill("Moodle academy")
    page.get_by_role("button", name="Create the connection").click()
    expect(page.get_by_role("heading", name="Copy the secret now")).to_be_visible()
    connection = LmsConnection.objects.get()
    expect(page.locator("#username")).to_have_value(connection.username)
    assert_no_axe_violations(page, "tracking-connection-created")
    screenshot(page, "tracking-connection-created")

    ingest(
        connection.workspace,
        statement(account("4711", "Pia P."), f"{ADL}answered", QUIZ, result={"score": {"scaled": 0.5}}, title="Quiz 1"),
        connection=connection,
    )
    page.goto("/tracking/learning-data/")
    assert_no_axe_violations(page, "tracking-connections")
    page.get_by_role("link", name="Moodle academy").click()
    assert_no_axe_violations(page, "tracking-connection")

    page.goto("/tracking/learning-data/unmatched/")
    assert_no_axe_violations(page, "tracking-unmatched")
    email = page.get_by_label("Email of the person account:https://moodle.acme.test|4711")
    email.fill("nobody@acme.test")
    page.get_by_role("button", name="Map account:https://moodle.acme.test|4711").click()
    expect(page.get_by_text("Nobody in this workspace has this email.")).to_be_visible()
    expect(page.get_by_label("Email of the person account:https://moodle.acme.test|4711")).to_have_value(
        "nobody@acme.test"
    )
    assert_no_axe_violations(page, "tracking-unmatched-error")
    page.get_by_label("Email of the person account:https://moodle.acme.test|4711").fill("participant@acme.test")
    page.get_by_role("button", name="Map account:https://moodle.acme.test|4711").click()
    expect(page.get_by_text("Actor mapped to Pia Participant.")).to_be_visible()
    assert ActorMapping.objects.get().person == cast["participant"]

    page.get_by_label(f"Module {QUIZ}").select_option(label="Handling objections")
    page.get_by_role("button", name=f"Map {QUIZ}").click()
    expect(page.get_by_text("Activity mapped to Handling objections.")).to_be_visible()
    assert ActivityMapping.objects.get().module == modules[1]
    expect(page.get_by_text("Every activity is in a module.")).to_be_visible()
    assert Statement.objects.get().processed is True
    screenshot(page, "tracking-unmatched-done")

    page.goto("/tracking/learning-data/mappings/")
    assert_no_axe_violations(page, "tracking-mappings")

    page.goto("/tracking/learning-data/verbs/")
    assert_no_axe_violations(page, "tracking-verbs")
    page.get_by_label(f"Counts as {ADL}answered").select_option(label="Assignment score")
    page.get_by_role("button", name=f"Save {ADL}answered").click()
    expect(page.get_by_text(f"Saved what {ADL}answered counts as.")).to_be_visible()
    assert VerbMapping.objects.get().input == "assignment_score"
    assert_no_axe_violations(page, "tracking-verbs-saved")

    page.goto(f"/tracking/learning-data/{connection.uuid}/")
    page.get_by_role("link", name="Revoke this connection").click()
    assert_no_axe_violations(page, "tracking-connection-revoke")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Connection revoked")).to_be_visible()
    connection.refresh_from_db()
    assert connection.revoked_at is not None
