"""The wins in the browser: the participant shares a win reached through a check-in, a colleague
applauds it in the feed (htmx), the manager marks a win (errors shown beside the fields), the admin
makes, edits, previews and sends the monthly digest, and members read the newsletter; every page
passes axe, the feed and my wins in four languages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.core.models import OutgoingMail, User
from takeroot.plans import services as plans
from takeroot.wins import services
from takeroot.wins.models import Reaction, Win, WinsDigest

from ..plan_support import devops_cohort, submitted_plan
from .test_foundation import LANGUAGES, assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goal_win(cast):
    plan, goal = submitted_plan(devops_cohort(cast), cast["participant"])
    plans.approve_plan(plan=plan, actor=None, reviewer=cast["manager"])
    # A transactional test: the check-in commits, so goal_reached records the win.
    plans.record_check_in(
        plan=plan, actor=None, author=cast["participant"], status="done", confidence=5, values={goal.uuid: "8.2"}
    )
    return Win.objects.get(goal=goal)


def test_wins_flow_passes_axe(browser, live_server, cast, goal_win, screenshot):
    assert goal_win.title == "Release faster: 10 → 8.2 days"
    assert OutgoingMail.objects.filter(template="wins_recorded", recipient=cast["participant"].user).count() == 1

    # The participant decides to share.
    context, page = signed_in(browser, live_server, cast["participant"])
    page.goto("/wins/mine/")
    assert_no_axe_violations(page, "wins-mine")
    page.get_by_label("Share it with the organisation").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your win is shared. Well done!")).to_be_visible()
    page.goto(f"/wins/{goal_win.uuid}/")
    assert_no_axe_violations(page, "win-detail")
    screenshot(page, "win-detail")
    context.close()

    # A colleague applauds it in the feed, through htmx.
    context, page = signed_in(browser, live_server, cast["other_participant"])
    page.goto("/wins/")
    applause = page.get_by_role("button", name="Applause")
    expect(applause).to_have_attribute("aria-pressed", "false")
    applause.click()
    expect(page.get_by_role("button", name="Applause")).to_have_attribute("aria-pressed", "true")
    assert page.url.endswith("/wins/")
    assert Reaction.objects.get().person == cast["other_participant"]
    assert_no_axe_violations(page, "wins-feed")
    screenshot(page, "wins-feed")
    context.close()

    # The manager marks a win; a missing title is said beside the field, the story kept.
    context, page = signed_in(browser, live_server, cast["manager"])
    page.goto("/wins/new/")
    page.get_by_label("Participant").select_option(label="Pia Participant")
    page.get_by_label("The story").fill("Coached two colleagues.")
    page.get_by_role("button", name="Record the win").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("The story")).to_have_value("Coached two colleagues.")
    assert_no_axe_violations(page, "wins-mark-errors")
    page.get_by_label("What did they achieve?").fill("Led the first pilot")
    page.get_by_role("button", name="Record the win").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Led the first pilot")
    context.close()

    # The admin makes this month's digest, edits it, previews and sends it.
    context, page = signed_in(browser, live_server, cast["admin"])
    page.goto("/wins/digests/")
    assert_no_axe_violations(page, "wins-digests")
    page.get_by_role("textbox", name="Month").fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_role("button", name="Make the draft").click()
    expect(page.get_by_text("Draft digest made.")).to_be_visible()
    assert_no_axe_violations(page, "wins-digest-edit")
    page.get_by_label("Introduction").fill("A month of small changes.")
    page.get_by_label("Title").first.fill("Releases in two days instead of ten")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Digest saved.")).to_be_visible()
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Releases in two days instead of ten")).to_be_visible()
    assert_no_axe_violations(page, "wins-newsletter-preview")
    page.goto("/wins/digests/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Send to everyone").click()
    expect(page.get_by_text("Digest sent to")).to_be_visible()
    screenshot(page, "wins-newsletter")
    context.close()
    digest = WinsDigest.objects.get()
    assert digest.state == "sent"
    assert OutgoingMail.objects.filter(template="wins_digest").count() > 0

    # Members read the newsletter once it is sent.
    context, page = signed_in(browser, live_server, cast["other_participant"])
    page.goto(f"/wins/digests/{digest.uuid}/newsletter/")
    expect(page.get_by_text("A month of small changes.")).to_be_visible()
    assert_no_axe_violations(page, "wins-newsletter")
    context.close()


def test_feed_and_my_wins_pass_axe_in_four_languages(browser, live_server, cast, goal_win):
    services.set_sharing(win=goal_win, actor=None, sharing="shared")
    for language in LANGUAGES:
        User.objects.filter(pk=cast["participant"].user.pk).update(language=language)
        context, page = signed_in(browser, live_server, cast["participant"])
        for path in ("/wins/", "/wins/mine/", f"/wins/{goal_win.uuid}/"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            assert_no_axe_violations(page, f"{path} [{language}]")
        context.close()
