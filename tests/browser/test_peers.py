"""Peer learning in the browser: the trainer forms pairs with a preview, a participant starts a
thread and another replies with a link, the trainer hides a reply with a reason, the team's
ambassador shares an insight; every page passes axe."""

import datetime

import pytest
from playwright.sync_api import expect

from takeroot.peers import services
from takeroot.peers.models import PeerGroup, Post, Thread
from takeroot.programmes import services as programmes

from ..factories import PersonFactory, UserFactory
from .test_foundation import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(cast, workspace):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=workspace, actor=admin.user, name="Feedback that works", format="classroom", currency="PLN"
    )
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 30),
        trainers=[cast["trainer"]],
    )
    bea = PersonFactory(workspace=workspace, user=UserFactory(email="bea@acme.test", name="Bea Buddy"))
    carl = PersonFactory(workspace=workspace, user=UserFactory(email="carl@acme.test", name="Carl Colleague"))
    programmes.enrol_people(
        cohort=cohort, actor=None, people=[cast["participant"], cast["other_participant"], bea, carl]
    )
    services.name_ambassador(team=cast["participant"].team, person=cast["participant"], actor=None, named_by=None)
    return cohort


def test_peer_learning_flow_passes_axe(browser, live_server, cast, cohort, screenshot):
    def signed_in(person):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in(page, person.user.email)
        return context, page

    context, page = signed_in(cast["trainer"])
    page.goto(f"/peers/cohort/{cohort.uuid}/")
    assert_no_axe_violations(page, "peers-cohort-empty")
    page.get_by_role("link", name="Pairs and groups").click()
    assert_no_axe_violations(page, "peers-groups-empty")
    page.get_by_role("link", name="Form groups automatically").click()
    page.get_by_label("People per group").select_option("2")
    page.get_by_label("Mix teams: people from different teams together").check()
    page.get_by_role("button", name="Show the proposal").click()
    expect(page.get_by_role("heading", name="Proposed groups")).to_be_visible()
    assert_no_axe_violations(page, "peers-auto-preview")
    screenshot(page, "peers-auto-preview")
    assert not PeerGroup.objects.exists()
    page.get_by_role("button", name="Save these groups").click()
    expect(page.get_by_text("2 groups formed.")).to_be_visible()
    assert_no_axe_violations(page, "peers-groups")
    screenshot(page, "peers-groups")
    context.close()

    context, page = signed_in(cast["participant"])
    page.goto("/peers/")
    assert_no_axe_violations(page, "peers-mine")
    page.get_by_role("link", name="Feedback that works · Gdańsk autumn").click()
    page.get_by_role("button", name="Post the thread").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_no_axe_violations(page, "peers-cohort-errors")
    page.get_by_label("Title").fill("What did you try in the first week?")
    page.get_by_label("Message").fill("I tried the checklist on two shifts.")
    page.get_by_role("button", name="Post the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you try in the first week?")
    assert_no_axe_violations(page, "peers-thread")
    page.goto(f"/peers/teams/{cast['participant'].team.uuid}/")
    page.get_by_label("Title").fill("Three ideas worth trying here")
    page.get_by_label("Message").fill("Smaller batches and a visible board.")
    page.get_by_role("button", name="Share the insight").click()
    expect(page.get_by_text("Insight shared with your team.")).to_be_visible()
    page.goto(f"/peers/teams/{cast['participant'].team.uuid}/")
    assert_no_axe_violations(page, "peers-team")
    page.goto("/peers/ambassadors/")
    assert_no_axe_violations(page, "peers-ambassadors")
    context.close()

    thread = Thread.objects.get(cohort=cohort)
    context, page = signed_in(cast["other_participant"])
    page.goto(f"/peers/threads/{thread.uuid}/")
    page.get_by_label("Your reply").fill("Notes at https://wiki.example.com/checklist")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_role("link", name="https://wiki.example.com/checklist")).to_be_visible()
    context.close()

    context, page = signed_in(cast["trainer"])
    page.goto(f"/peers/threads/{thread.uuid}/")
    page.get_by_role("link", name="Hide — Olek Other").click()
    assert_no_axe_violations(page, "peers-hide-post")
    page.get_by_label("Reason").fill("Please share the notes in the group thread.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Post hidden. Its author sees the reason.")).to_be_visible()
    page.get_by_role("button", name="Lock").click()
    expect(page.get_by_text("Thread locked: it takes no more replies.")).to_be_visible()
    assert_no_axe_violations(page, "peers-thread-moderator")
    screenshot(page, "peers-thread-moderator")
    context.close()
    assert Post.objects.filter(hidden_at__isnull=False).count() == 1
