"""Follow-up sessions in the browser: the trainer opens the cohort's sessions, schedules one (an
error is said beside the field and the input kept), records attendance, notes and an agreed step;
the participant answers on the session page. Every page passes axe."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.followup.enums import Rsvp
from takeroot.followup.models import FollowUpSession
from takeroot.plans.models import ActionTask
from takeroot.programmes import services as programmes

from .test_foundation import assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="DevOps practices", format="classroom", currency="PLN"
    )
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    return cohort


def test_follow_up_sessions_pass_axe(browser, live_server, cast, cohort, screenshot):
    # The form takes the trainer's local time.
    zone = zoneinfo.ZoneInfo(cast["trainer"].user.timezone)
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=14), zone).replace(hour=10, minute=0)

    context, page = signed_in(browser, live_server, cast["trainer"])
    page.goto(f"/cohorts/{cohort.uuid}/follow-up-sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up sessions")
    assert_no_axe_violations(page, "followup-sessions")
    page.get_by_role("link", name="Schedule a follow-up session").click()
    page.get_by_label("Title").fill("Four weeks on")
    page.get_by_label("Starts at").fill(f"{start:%Y-%m-%dT%H:%M}")
    page.get_by_label("Ends at").fill(f"{start - datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("Room or place").fill("Room 2")
    page.get_by_label("Agenda").fill("What worked")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("The session must end after it starts.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Four weeks on")
    expect(page.get_by_label("Agenda")).to_have_value("What worked")
    assert_no_axe_violations(page, "followup-session-form-errors")
    screenshot(page, "followup-session-form-errors")
    page.get_by_label("Ends at").fill(f"{start + datetime.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Four weeks on")
    expect(page.get_by_text("Session scheduled")).to_be_visible()
    assert_no_axe_violations(page, "followup-session-detail")
    context.close()
    session = FollowUpSession.objects.get()
    assert session.invitations.count() == 2

    # The participant answers on the session page.
    context, page = signed_in(browser, live_server, cast["participant"])
    page.goto(f"/follow-up-sessions/{session.uuid}/")
    page.get_by_label("I'll attend").check()
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text("Thank you, your answer is saved.")).to_be_visible()
    assert_no_axe_violations(page, "followup-session-invitee")
    context.close()
    assert session.invitations.get(person=cast["participant"]).answer == Rsvp.ATTENDING

    # After the session the trainer records attendance, notes and an agreed step.
    FollowUpSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    context, page = signed_in(browser, live_server, cast["trainer"])
    page.goto(f"/follow-up-sessions/{session.uuid}/")
    page.get_by_label("Did Pia Participant attend?").select_option(label="Attended")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    page.get_by_label("Successes").fill("Smaller batches")
    page.get_by_role("button", name="Save the notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    page.get_by_label("Participant:").select_option(label="Pia Participant")
    page.get_by_label("Step:", exact=True).fill("Pair on a release")
    page.get_by_label("Due on").fill(f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}")
    page.get_by_role("button", name="Add to their plan").click()
    expect(page.get_by_text("Step added to Pia Participant's action plan.")).to_be_visible()
    expect(page.get_by_role("cell", name="Pair on a release")).to_be_visible()
    assert_no_axe_violations(page, "followup-session-after")
    screenshot(page, "followup-session-after")
    context.close()
    assert ActionTask.objects.get().plan.enrolment.person == cast["participant"]
