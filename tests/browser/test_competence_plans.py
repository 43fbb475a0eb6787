"""The plan pages pass axe in four languages, editable for the team's manager and read-only for its
members; and a manager reserves learning time in the browser."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.catalogue.services import create_initiative
from takeroot.competence import services
from takeroot.competence.models import LearningTimeBlock
from takeroot.core.models import User

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast):
    manager = cast["manager"]
    plan = services.create_plan(
        workspace=manager.workspace,
        actor=manager.user,
        team=manager.team,
        year=timezone.localdate().year,
        summary="Sell value, not discounts.",
    )
    goal = services.add_goal(plan=plan, actor=None, title="Negotiate value", description="Discounts fall to 8 %.")
    services.add_goal(plan=plan, actor=None, title="Use the CRM for every contact")
    initiative = create_initiative(workspace=plan.workspace, actor=None, title="Negotiation bootcamp")
    item = services.add_planned_initiative(plan=plan, actor=None, goal=goal, initiative=initiative, status="done")
    services.add_planned_initiative(plan=plan, actor=None, goal=goal, new_initiative={"title": "Value-selling pairs"})
    block = services.add_block(
        plan=plan,
        actor=None,
        title="Learning lunch",
        weekday=4,
        starts_at=datetime.time(12),
        ends_at=datetime.time(13),
    )
    return {"plan": plan, "goal": goal, "item": item, "block": block}


def test_plan_pages_pass_axe_in_four_languages(browser, live_server, cast, plan, screenshot):
    p = plan["plan"].uuid
    year = plan["plan"].year
    pages_by_person = {
        "admin": {"plans-admin": f"/competence-plans/?year={year}", "rollup": f"/competence-plans/rollup/?year={year}"},
        "manager": {
            "plan-edit-view": f"/competence-plans/{p}/",
            "plan-new": "/competence-plans/new/",
            "plan-edit": f"/competence-plans/{p}/edit/",
            "goal-new": f"/competence-plans/{p}/goals/new/",
            "goal-edit": f"/competence-plans/{p}/goals/{plan['goal'].uuid}/",
            "item-new": f"/competence-plans/{p}/initiatives/new/",
            "item-edit": f"/competence-plans/{p}/initiatives/{plan['item'].uuid}/",
            "block-new": f"/competence-plans/{p}/blocks/new/",
            "block-edit": f"/competence-plans/{p}/blocks/{plan['block'].uuid}/",
            "block-delete": f"/competence-plans/{p}/blocks/{plan['block'].uuid}/delete/",
            "plan-delete": f"/competence-plans/{p}/delete/",
        },
        "participant": {"home-plan": "/", "plans": "/competence-plans/", "plan-read": f"/competence-plans/{p}/"},
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


def test_form_errors_pass_axe(page, cast, plan):
    sign_in(page, cast["manager"].user.email)
    page.goto(f"/competence-plans/{plan['plan'].uuid}/blocks/new/")
    page.get_by_label("Title").fill("Backwards")
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("13:00")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The learning time must end after it starts, on the same day.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Backwards")
    assert_no_axe_violations(page, "block-form-errors")


def test_manager_reserves_learning_time_in_the_browser(page, cast, plan, screenshot):
    sign_in(page, cast["manager"].user.email)
    page.goto(f"/competence-plans/{plan['plan'].uuid}/")
    expect(page.get_by_text("1 of 2 done").first).to_be_visible()
    page.get_by_role("link", name="Reserve learning time").click()
    page.get_by_label("Title").fill("Book circle")
    page.get_by_label("Day of the week").select_option("1")
    page.get_by_label("Starts at").fill("08:00")
    page.get_by_label("Ends at").fill("09:00")
    page.get_by_label("Repeats").select_option("2")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Learning time saved.")).to_be_visible()
    expect(page.get_by_text("Tuesday, every other week, 08:00–09:00 (Europe/Warsaw)")).to_be_visible()
    screenshot(page, "plan-after-edit")
    block = LearningTimeBlock.objects.get(title="Book circle")
    assert (block.weekday, block.every_weeks, block.starts_at) == (1, 2, datetime.time(8))
