"""One-click links and mail preferences in the browser: a participant checks in from a link
signed out (pre-filled form, an error shown beside its field, then saved once), sees the used,
tampered and unsubscribe pages, and a signed-in person saves their preferences; every page
passes axe."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from takeroot.followup import links
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.models import Preference
from takeroot.plans import services as plans
from takeroot.plans.models import CheckIn

from ..plan_support import devops_cohort, submitted_plan
from .test_foundation import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast):
    plan, goal = submitted_plan(devops_cohort(cast), cast["participant"])
    plans.record_check_in(
        plan=plan, actor=None, author=cast["participant"], status="at_risk", confidence=3, values={goal.uuid: "9.6"}
    )
    return plan


def _path(url: str) -> str:
    return url.removeprefix(settings.BASE_URL)


def test_check_in_link_and_its_pages_pass_axe(page, cast, plan, screenshot):
    path = _path(links.link_url(person=cast["participant"], purpose=LinkPurpose.CHECK_IN, target=str(plan.uuid)))
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in")
    expect(page.get_by_label("Release faster")).to_have_value("9.6")
    expect(page.get_by_label("At risk")).to_be_checked()
    assert_no_axe_violations(page, "link-check-in")
    screenshot(page, "followup-link-check-in")

    page.get_by_label("Release faster").fill("about 9")
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Enter a number, for example 8.5.")).to_be_visible()
    expect(page.get_by_label("Release faster")).to_have_value("about 9")
    assert_no_axe_violations(page, "link-check-in-errors")

    page.get_by_label("Release faster").fill("9")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in saved. Thank you.")
    assert_no_axe_violations(page, "link-check-in-done")
    assert CheckIn.objects.filter(plan=plan).count() == 2

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    assert_no_axe_violations(page, "link-used")
    page.goto(path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:])
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_no_axe_violations(page, "link-invalid")


def test_unsubscribe_and_preferences_pages_pass_axe(page, cast, screenshot):
    user = cast["participant"].user
    page.goto(_path(links.unsubscribe_url(user)))
    assert_no_axe_violations(page, "link-unsubscribe")
    page.get_by_role("button", name="Stop optional mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Optional mail is off")
    assert_no_axe_violations(page, "link-unsubscribed")
    assert Preference.objects.get(user=user).optional_mail is False

    sign_in(page, user.email)
    page.goto("/follow-up/preferences/")
    expect(page.get_by_label("Receive optional mail")).not_to_be_checked()
    assert_no_axe_violations(page, "followup-preferences")
    screenshot(page, "followup-preferences")
    page.get_by_label("Collect them in my digest").check()
    page.get_by_label("Receive optional mail").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your mail preferences were saved.")).to_be_visible()
    preference = Preference.objects.get(user=user)
    assert (preference.non_urgent, preference.optional_mail) == ("digest", True)
