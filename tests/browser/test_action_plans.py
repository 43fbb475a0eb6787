"""The action plan pages pass axe in four languages (the participant's plan with its chart, the
check-in form, the manager's team page); and a participant records a check-in in the browser."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.core.models import User
from takeroot.plans import services
from takeroot.plans.models import CheckIn
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="DevOps practices", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Flow", objectives=["Ships in small batches"])
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"]])
    enrolment = Enrolment.objects.get(cohort=cohort)
    plan = services.open_plan(enrolment=enrolment, actor=None, opened_by=cast["participant"])
    goal = services.add_goal(
        plan=plan,
        actor=None,
        kind="numeric",
        title="Release faster",
        metric="Release lead time",
        unit="days",
        baseline=Decimal(10),
        target=Decimal("8.5"),
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    services.add_goal(plan=plan, actor=None, kind="rating", title="Calm feedback", baseline=4, target=7)
    services.add_task(plan=plan, actor=None, title="Follow up 3 key clients", due_on=timezone.localdate())
    services.submit_plan(plan=plan, actor=None)
    services.approve_plan(plan=plan, actor=None, reviewer=cast["manager"], comment="Go ahead.")
    now = timezone.now()
    for weeks, value in ((3, "9.8"), (2, "9.5"), (1, "9.1")):
        services.record_check_in(
            plan=plan,
            actor=None,
            author=cast["participant"],
            status="on_track",
            confidence=4,
            values={goal.uuid: value},
            changed_work="Smaller pull requests.",
            support_needed="A pairing session." if weeks == 1 else "",
            created_at=now - datetime.timedelta(weeks=weeks),
        )
    services.give_feedback(plan=plan, actor=None, author=cast["manager"], comment="Good progress.", rating=4)
    return plan


def test_action_plan_pages_pass_axe_in_four_languages(browser, live_server, cast, plan, screenshot):
    pages_by_person = {
        "participant": {
            "action-plan": f"/action-plans/{plan.uuid}/",
            "action-check-in": f"/action-plans/{plan.uuid}/check-in/",
            "action-plans-mine": "/action-plans/",
        },
        "manager": {
            "action-team": "/action-plans/team/",
            "action-plan-manager": f"/action-plans/{plan.uuid}/",
            "action-support": "/action-plans/support/",
        },
    }
    for language in LANGUAGES:
        for role, pages in pages_by_person.items():
            User.objects.filter(pk=cast[role].user.pk).update(language=language)
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, cast[role].user.email)
            for name, path in pages.items():
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language
                assert_no_axe_violations(page, f"{name} [{language}]")
                screenshot(page, f"{name}-{language}")
            context.close()


def test_participant_checks_in_in_the_browser(page, cast, plan, screenshot):
    sign_in(page, cast["participant"].user.email)
    page.goto(f"/action-plans/{plan.uuid}/")
    page.get_by_role("link", name="Check in").click()
    page.get_by_label("Release faster").fill("soon")
    page.get_by_label("At risk").check()
    page.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Enter a number, for example 8.5.")).to_be_visible()
    expect(page.get_by_label("Release faster")).to_have_value("soon")
    assert_no_axe_violations(page, "check-in-errors")

    page.get_by_label("Release faster").fill("8.9")
    page.get_by_label("What got in the way?").fill("Peak season.")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()
    screenshot(page, "action-plan-after-check-in")
    latest = CheckIn.objects.order_by("-created_at").first()
    assert (latest.status, latest.confidence, latest.obstacles) == ("at_risk", 3, "Peak season.")
    assert str(latest.values.get().value.normalize()) == "8.9"


def test_participant_chooses_a_buddy_who_cheers(page, browser, live_server, cast, plan, screenshot):
    sign_in(page, cast["participant"].user.email)
    page.goto(f"/action-plans/{plan.uuid}/")
    page.get_by_role("link", name="Choose a buddy").click()
    assert_no_axe_violations(page, "buddy-choose")
    page.get_by_label("Accountability buddy").select_option(label="Olek Other")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Olek Other follows your goals and cheers you on.")).to_be_visible()

    context = browser.new_context(base_url=live_server.url)
    buddy = context.new_page()
    sign_in(buddy, cast["other_participant"].user.email)
    buddy.goto("/action-plans/")
    buddy.get_by_role("link", name="Goals of Pia Participant · DevOps practices").click()
    expect(buddy.get_by_role("heading", name="Release faster")).to_be_visible()
    expect(buddy.get_by_text("A pairing session.")).to_have_count(0)
    buddy.get_by_label("For the goal").select_option(label="Release faster")
    buddy.get_by_label("Comment").fill("Two more days to cut!")
    buddy.get_by_role("button", name="Cheer them on").click()
    expect(buddy.get_by_text("Your cheer was sent.")).to_be_visible()
    assert_no_axe_violations(buddy, "buddy-goals")
    screenshot(buddy, "buddy-goals")
    context.close()

    page.reload()
    expect(page.get_by_text("Two more days to cut!")).to_be_visible()
