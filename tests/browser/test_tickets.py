"""A learner's question in the browser, end to end: the participant raises it from their cohort
page, the trainer finds it in the queue and answers, the participant confirms it helped; every
page on the way (and the metrics and settings pages) scanned with axe."""

import pytest
from playwright.sync_api import expect

from takeroot.tickets.enums import Category, RouteTo, TicketState
from takeroot.tickets.models import RoutingRule, Ticket
from tests.tickets.conftest import cohort  # noqa: F401 (the mentored participant's cohort)

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_question_raised_answered_and_confirmed(page, cast, cohort, enrolment, smtp_sink, language, screenshot):  # noqa: F811
    sign_in_as(page, cast["participant"], language)
    page.goto(f"/tickets/new/?enrolment={enrolment.uuid}")
    assert_no_axe_violations(page, f"ticket-raise-{language}")
    page.locator("button[type=submit]").last.click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    page.locator("input[name=category][value=content]").check()
    page.locator("select[name=module]").select_option(label="Customer conversations · Handling objections")
    page.locator("input[name=subject]").fill("Objection about price")
    body = page.locator("textarea[name=body]")
    expect(page.locator("input[name=subject]")).to_have_value("Objection about price")
    body.fill("What do I say when the client says it is too expensive?")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/tickets/*/")
    ticket = Ticket.objects.get()
    assert ticket.subject == "Objection about price"
    assert ticket.module.title == "Handling objections"
    assert_no_axe_violations(page, f"ticket-learner-{language}")
    page.goto("/tickets/mine/")
    expect(page.get_by_role("link", name="Objection about price")).to_be_visible()
    assert_no_axe_violations(page, f"ticket-mine-{language}")

    # A mentored participant's questions go to their mentor.
    sign_in_as(page, cast["mentor"], language)
    page.goto("/tickets/queue/")
    assert_no_axe_violations(page, f"ticket-queue-{language}")
    page.get_by_role("link", name="Objection about price").first.click()
    page.wait_for_url(f"**/tickets/{ticket.uuid}/")
    assert_no_axe_violations(page, f"ticket-owner-{language}")
    answer = "Ask what they compare the price with, then show the value."
    page.locator("#answer textarea[name=answer-body]").fill(answer)
    page.locator("#answer button[type=submit]").click()
    page.wait_for_url(f"**/tickets/{ticket.uuid}/")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ANSWERED
    screenshot(page, f"ticket-answered-{language}")

    sign_in_as(page, cast["trainer"], language)
    page.goto("/tickets/metrics/")
    assert_no_axe_violations(page, f"ticket-metrics-{language}")

    sign_in_as(page, cast["admin"], language)
    page.goto("/tickets/settings/")
    assert_no_axe_violations(page, f"ticket-settings-{language}")
    rule = RoutingRule.objects.create(workspace=ticket.workspace, category=Category.COMPLAINT, route_to=RouteTo.ADMIN)
    page.goto(f"/tickets/settings/rules/{rule.uuid}/")
    assert_no_axe_violations(page, f"ticket-rule-{language}")
    # The answer becomes a short lesson on the module, for the whole programme.
    page.goto(f"/tickets/{ticket.uuid}/patch/")
    assert_no_axe_violations(page, f"ticket-patch-form-{language}")
    page.locator("textarea[name=body]").fill("Ask what they compare the price with, then show the value.")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/tickets/patches/*/")
    assert_no_axe_violations(page, f"ticket-patch-{language}")

    sign_in_as(page, cast["participant"], language)
    page.goto(f"/tickets/{ticket.uuid}/")
    expect(page.get_by_text("Ask what they compare the price with")).to_be_visible()
    page.locator("button[name=helped][value=yes]").click()
    page.wait_for_url(f"**/tickets/{ticket.uuid}/")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    assert_no_axe_violations(page, f"ticket-closed-{language}")

    sign_in_as(page, cast["other_participant"], language)
    page.goto(f"/cohorts/{cohort.uuid}/")
    expect(page.get_by_text("Objection about price").first).to_be_visible()


def test_other_participant_cannot_open_the_ticket(page, cast, cohort, enrolment, smtp_sink):  # noqa: F811
    sign_in_as(page, cast["participant"])
    page.goto(f"/tickets/new/?enrolment={enrolment.uuid}")
    page.locator("input[name=category][value=technical]").check()
    page.locator("input[name=subject]").fill("The video does not play")
    page.locator("textarea[name=body]").fill("Module 2's video stops after a minute.")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/tickets/*/")
    ticket = Ticket.objects.get()
    sign_in_as(page, cast["other_participant"])
    response = page.goto(f"/tickets/{ticket.uuid}/")
    assert response.status in (403, 404)
