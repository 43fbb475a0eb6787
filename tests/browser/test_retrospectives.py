"""The retrospective pages pass axe in four languages; a rater rates in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from takeroot.catalogue.services import create_initiative
from takeroot.core.models import User
from takeroot.retrospectives import services
from takeroot.retrospectives.models import Rating

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def retrospective(cast):
    admin = cast["admin"]
    today = datetime.date.today()
    workshop = create_initiative(
        workspace=admin.workspace,
        actor=admin.user,
        title="Feedback workshop",
        kind="workshop",
        starts_on=today - datetime.timedelta(days=200),
        teams=[cast["participant"].team],
    )
    conference = create_initiative(
        workspace=admin.workspace,
        actor=admin.user,
        title="Logistics Summit",
        kind="conference",
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=89),
    )
    retrospective = services.open_retrospective(
        workspace=admin.workspace,
        actor=admin.user,
        title="What stuck",
        introduction="Be honest.",
        initiatives=[workshop, conference],
        leadership=[cast["manager"]],
        participants=[cast["participant"]],
    )
    services.add_indicator(
        retrospective=retrospective,
        actor=admin.user,
        initiative=workshop,
        name="Customer complaints per month",
        value=41,
        unit="complaints",
        source="CRM report Q3",
    )
    return retrospective


def test_retrospective_pages_pass_axe_in_four_languages(browser, live_server, cast, retrospective, screenshot):
    pages_by_person = {
        "admin": {
            "retrospective-list": "/retrospectives/",
            "retrospective-open": "/retrospectives/new/",
            "retrospective-detail": f"/retrospectives/{retrospective.uuid}/",
            "retrospective-edit": f"/retrospectives/{retrospective.uuid}/edit/",
        },
        "participant": {
            "retrospective-home": "/",
            "retrospective-list-rater": "/retrospectives/",
            "retrospective-rate": f"/retrospectives/{retrospective.uuid}/rate/",
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


def test_a_rater_rates_with_an_error_then_finishes(page, cast, retrospective, screenshot):
    sign_in(page, "participant@acme.test")
    page.get_by_role("link", name="What stuck").first.click()
    workshop = page.get_by_role("group", name="Feedback workshop")
    workshop.get_by_label("Changed how we work").check()
    workshop.get_by_label("Concrete practice tasks").check()
    workshop.get_by_label("Other", exact=True).check()
    workshop.get_by_label("I would repeat it").check()
    workshop.get_by_label("Comment").fill("We still use the checklist.")
    page.get_by_role("button", name="Save").click()
    # "Other" without its text: nothing saved, the error next to the field, everything kept.
    expect(workshop.get_by_text("Say what the other reason is.")).to_be_visible()
    expect(workshop.get_by_label("Comment")).to_have_value("We still use the checklist.")
    assert_no_axe_violations(page, "rating page with errors")
    screenshot(page, "retrospective-rate-errors")
    assert not Rating.objects.exists()
    workshop.get_by_label("Other reason").fill("Right before peak season")
    page.get_by_role("group", name="Logistics Summit").get_by_label("Forgotten").check()
    page.get_by_role("button", name="I am done").click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    rating = Rating.objects.get(initiative__title="Feedback workshop")
    assert (rating.level, rating.reasons, rating.other_reason, rating.repeat) == (
        3,
        ["practice_tasks", "other"],
        "Right before peak season",
        True,
    )
    assert Rating.objects.get(initiative__title="Logistics Summit").level == 0
    page.goto("/")
    expect(page.get_by_text("Your view is asked")).to_have_count(0)
