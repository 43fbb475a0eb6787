"""Delivery against a real SMTP server on loopback: what arrived, the conditions that skip, the
retries, and exactly-once sending when a worker dies between claiming and sending."""

import datetime
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from takeroot.core.enums import DigestFrequency
from takeroot.core.models import AuditEntry
from takeroot.core.periodic import JOBS
from takeroot.followup import delivery, rendering
from takeroot.followup.digest import followup_section
from takeroot.followup.enums import Audience, Channel, LinkPurpose, NonUrgentMail, StepKind, TouchpointState
from takeroot.followup.links import read_link
from takeroot.followup.models import Design, FollowUpSession, Invitation, Preference, Step, Touchpoint
from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Programme

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)
LINK = re.compile(r"http://\S+/l/\S+|http://\S+link\S*")


@pytest.fixture
def programme(workspace):
    return Programme.objects.create(workspace=workspace, name="Feedback that lands")


@pytest.fixture
def design(programme):
    return Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")


@pytest.fixture
def cohort(programme, trainer):
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        workspace=programme.workspace,
        programme=programme,
        name="Kraków spring",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=10),
    )
    cohort.trainers.set([trainer])
    return cohort


@pytest.fixture
def enrolment(cohort, participant):
    return Enrolment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        person=participant,
        status=EnrolmentStatus.ACTIVE,
        manager=participant.manager,
    )


def make_step(design, **fields) -> Step:
    fields.setdefault("kind", StepKind.MESSAGE)
    fields.setdefault("content", {"en": {"subject": "Hello {name}", "body": "How is {programme} going?"}})
    return Step.objects.create(workspace=design.workspace, design=design, **fields)


def make_touchpoint(step, enrolment, recipient=None, *, due_at=None, occurrence=0) -> Touchpoint:
    return Touchpoint.objects.create(
        workspace=step.workspace,
        step=step,
        enrolment=enrolment,
        recipient=recipient or enrolment.person,
        occurrence=occurrence,
        due_at=due_at or NOW - HOUR,
    )


def state_of(touchpoint) -> Touchpoint:
    return Touchpoint.objects.get(pk=touchpoint.pk)


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return text, html


def link_token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


# What arrives ------------------------------------------------------------------------------------


def test_send_due_delivers_in_the_recipients_language(smtp_sink, design, enrolment, participant):
    participant.user.language = "pl"
    participant.user.save()
    step = make_step(
        design,
        content={
            "en": {"subject": "Hello {name}", "body": "English"},
            "pl": {"subject": "Cześć {name}", "body": "Jak idzie {programme}?\n\nDrugi akapit <b>x</b>"},
        },
    )
    touchpoint = make_touchpoint(step, enrolment)

    assert delivery.send_due(now=NOW) == 1

    [message] = smtp_sink.messages
    assert message["Subject"] == "Cześć Pia Participant"
    assert message["To"] == "participant@acme.test"
    assert message["Message-ID"] == f"<touchpoint-{touchpoint.uuid}@takeroot>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"].startswith("<http://")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert text.startswith("Jak idzie Feedback that lands?\n\nDrugi akapit <b>x</b>\n")
    assert "<p>Jak idzie Feedback that lands?</p>\n\n<p>Drugi akapit &lt;b&gt;x&lt;/b&gt;</p>" in html
    assert '<html lang="pl">' in html
    found = state_of(touchpoint)
    assert (found.state, found.sent_at, found.attempts, found.claimed_at) == (TouchpointState.SENT, NOW, 1, None)


def test_essential_mail_has_no_unsubscribe_header(smtp_sink, design, enrolment):
    make_touchpoint(make_step(design, essential=True), enrolment)

    delivery.send_due(now=NOW)

    [message] = smtp_sink.messages
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert "stop optional" not in parts(message)[0].lower()


def test_placeholders_are_filled_and_unknown_ones_stay(smtp_sink, design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment)
    ActionGoal.objects.create(workspace=plan.workspace, plan=plan, title="Give weekly feedback", baseline=0, target=4)
    body = "{name}|{participant}|{programme}|{cohort}|{goal}|{manager}|{plan_link}|{unknown}|{0}|{name.__class__}"
    make_touchpoint(make_step(design, content={"en": {"subject": "For {name}", "body": body}}), enrolment)

    delivery.send_due(now=NOW)

    text = parts(smtp_sink.messages[0])[0]
    assert text.splitlines()[0] == (
        "Pia Participant|Pia Participant|Feedback that lands|Kraków spring|Give weekly feedback|Magnus Manager|"
        f"http://127.0.0.1:8000/action-plans/{plan.uuid}/|{{unknown}}|{{0}}|{{name.__class__}}"
    )


def test_check_in_reminder_carries_a_one_click_check_in_link(smtp_sink, design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, state=PlanState.APPROVED)
    touchpoint = make_touchpoint(make_step(design, kind=StepKind.CHECK_IN), enrolment)

    delivery.send_due(now=NOW)

    text, html = parts(smtp_sink.messages[0])
    [check_in_url] = re.findall(r"Check in now: (\S+)", text)
    link = read_link(link_token(check_in_url))
    assert (link.purpose, link.target, link.touchpoint, link.person) == (
        LinkPurpose.CHECK_IN,
        str(plan.uuid),
        touchpoint,
        enrolment.person,
    )
    assert f'href="{check_in_url}"' in html
    [question_url] = re.findall(r"A question\? Ask it here: (\S+)", text)
    question = read_link(link_token(question_url))
    assert (question.purpose, question.target) == (LinkPurpose.ASK_QUESTION, str(enrolment.cohort.uuid))


def test_material_lists_the_checklist_and_the_link(smtp_sink, design, enrolment):
    content = {"en": {"subject": "Checklist", "body": "Before Friday:", "checklist": ["Ask {manager}", "Try it"]}}
    step = make_step(design, kind=StepKind.MATERIAL, content=content, material_url="https://example.com/video")
    make_touchpoint(step, enrolment)

    delivery.send_due(now=NOW)

    text, html = parts(smtp_sink.messages[0])
    assert "[ ] Ask Magnus Manager\n[ ] Try it\n" in text
    assert "Open the material: https://example.com/video" in text
    assert "<li>Ask Magnus Manager</li><li>Try it</li>" in html
    assert '<a href="https://example.com/video">' in html


def test_manager_talk_goes_to_the_manager_with_an_agenda(smtp_sink, design, enrolment, manager):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment)
    ActionGoal.objects.create(workspace=plan.workspace, plan=plan, title="Shorter meetings", baseline=0, target=1)
    content = {"en": {"subject": "Talk with {participant}", "body": "Hello {name}."}}
    step = make_step(design, kind=StepKind.MANAGER_TALK, audience=Audience.MANAGER, content=content)
    make_touchpoint(step, enrolment, manager)

    delivery.send_due(now=NOW)

    [message] = smtp_sink.messages
    text, _html = parts(message)
    assert (message["To"], message["Subject"]) == ("manager@acme.test", "Talk with Pia Participant")
    assert "- What Pia Participant learned in Feedback that lands and what they try out at work.\n" in text
    assert "- Their action plan: Shorter meetings.\n" in text
    assert f"See the action plan: http://127.0.0.1:8000/action-plans/{plan.uuid}/" in text
    assert "A question?" not in text  # only participants' mails offer it


def test_session_invitation_links_the_upcoming_session(smtp_sink, design, enrolment, participant):
    session = FollowUpSession.objects.create(
        workspace=enrolment.workspace,
        cohort=enrolment.cohort,
        title="Four weeks on",
        starts_at=NOW + 72 * HOUR,
        ends_at=NOW + 74 * HOUR,
        place="Room 3",
    )
    invitation = Invitation.objects.create(workspace=session.workspace, session=session, person=participant)
    make_touchpoint(make_step(design, kind=StepKind.SESSION_INVITATION), enrolment)

    delivery.send_due(now=NOW)

    text = parts(smtp_sink.messages[0])[0]
    assert "Four weeks on: " in text
    [attend] = re.findall(r"I'll attend: (\S+)", text)
    [decline] = re.findall(r"I can't attend: (\S+)", text)
    assert read_link(link_token(attend)).target == f"{invitation.uuid}:attending"
    assert read_link(link_token(decline)).target == f"{invitation.uuid}:declined"


def test_render_works_for_an_unsaved_touchpoint(design, enrolment):
    step = make_step(design, kind=StepKind.ACTION_PLAN)
    touchpoint = Touchpoint(workspace=step.workspace, step=step, enrolment=enrolment, recipient=enrolment.person)

    rendered = rendering.render(touchpoint)

    assert rendered.subject == "Hello Pia Participant"
    assert rendered.url == f"http://127.0.0.1:8000/action-plans/open/{enrolment.uuid}/"
    assert "Message-ID" not in rendered.headers
    assert Touchpoint.objects.count() == 0


# Conditions --------------------------------------------------------------------------------------


def test_session_invitation_without_a_session_is_skipped(smtp_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design, kind=StepKind.SESSION_INVITATION), enrolment)

    delivery.send_due(now=NOW)

    assert smtp_sink.messages == []
    found = state_of(touchpoint)
    assert (found.state, found.reason) == (TouchpointState.SKIPPED, "No follow-up session scheduled.")


def test_a_touchpoint_more_than_a_week_overdue_is_skipped_not_sent(smtp_sink, design, enrolment):
    # Someone enrolled into a running cohort does not get the weeks behind them at once.
    step = make_step(design)
    old = make_touchpoint(step, enrolment, due_at=NOW - 8 * 24 * HOUR, occurrence=0)
    recent = make_touchpoint(step, enrolment, due_at=NOW - 6 * 24 * HOUR, occurrence=1)

    delivery.send_due(now=NOW)

    assert len(smtp_sink.messages) == 1
    assert (state_of(old).state, state_of(old).reason) == (TouchpointState.SKIPPED, rendering.REASON_TOO_LATE)
    assert state_of(recent).state == TouchpointState.SENT


def test_recent_check_in_skips_the_reminder(smtp_sink, design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment)
    CheckIn.objects.create(workspace=plan.workspace, plan=plan, confidence=4, created_at=NOW - 2 * 24 * HOUR)
    skipped = make_touchpoint(make_step(design, kind=StepKind.CHECK_IN, if_no_check_in_days=3), enrolment)
    sent = make_touchpoint(make_step(design, kind=StepKind.CHECK_IN, if_no_check_in_days=1), enrolment)

    delivery.send_due(now=NOW)

    assert len(smtp_sink.messages) == 1
    assert (state_of(skipped).state, state_of(skipped).reason) == (
        TouchpointState.SKIPPED,
        "Checked in recently enough for this step.",
    )
    assert state_of(sent).state == TouchpointState.SENT


def test_plan_conditions_skip(smtp_sink, design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, state=PlanState.APPROVED)
    ActionGoal.objects.create(workspace=plan.workspace, plan=plan, title="A", baseline=0, target=1, done_at=NOW)
    approved = make_touchpoint(make_step(design, only_if_plan_not_approved=True, stop_when_plan_done=False), enrolment)
    done = make_touchpoint(make_step(design, stop_when_plan_done=True), enrolment)

    delivery.send_due(now=NOW)

    assert smtp_sink.messages == []
    assert state_of(approved).reason == "The action plan is already approved."
    assert (state_of(done).state, state_of(done).reason) == (
        TouchpointState.SKIPPED,
        "Every goal of the action plan is reached.",
    )


def test_withdrawn_enrolment_cancels(smtp_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.WITHDRAWN, withdrawn_at=NOW)

    delivery.send_due(now=NOW)

    assert smtp_sink.messages == []
    assert state_of(touchpoint).state == TouchpointState.CANCELLED


def test_unsubscribed_gets_only_essential_mail(smtp_sink, design, enrolment, participant):
    Preference.objects.create(user=participant.user, optional_mail=False)
    optional = make_touchpoint(make_step(design), enrolment)
    essential = make_touchpoint(make_step(design, essential=True), enrolment)

    delivery.send_due(now=NOW)

    assert len(smtp_sink.messages) == 1
    assert (state_of(optional).state, state_of(optional).reason) == (
        TouchpointState.SKIPPED,
        "Unsubscribed from optional mail.",
    )
    assert state_of(essential).state == TouchpointState.SENT


def test_digest_readers_get_optional_mail_in_their_digest(smtp_sink, design, enrolment, participant):
    participant.user.digest_frequency = DigestFrequency.DAILY
    participant.user.save()
    Preference.objects.create(user=participant.user, non_urgent=NonUrgentMail.DIGEST)
    waiting = make_touchpoint(make_step(design, kind=StepKind.ACTION_PLAN), enrolment)
    essential = make_touchpoint(make_step(design, essential=True), enrolment)

    assert delivery.send_due(now=NOW) == 1

    assert len(smtp_sink.messages) == 1
    assert state_of(waiting).state == TouchpointState.SCHEDULED
    section = followup_section(participant, NOW - 24 * HOUR)
    assert [(item.text, item.url) for item in section.items] == [
        ("Hello Pia Participant", f"/action-plans/open/{enrolment.uuid}/")
    ]
    assert state_of(waiting).state == TouchpointState.SENT
    assert state_of(essential).state == TouchpointState.SENT
    assert followup_section(participant, NOW).items == []


# Retries and failures ----------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_retries_with_back_off_then_fails(design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    now = NOW
    with override_settings(MAILERS=mailers):
        for attempt in range(1, 5):
            assert delivery.send_due(now=now) == 1
            found = state_of(touchpoint)
            assert (found.state, found.attempts) == (TouchpointState.SCHEDULED, attempt)
            assert found.next_attempt_at == now + datetime.timedelta(minutes=2**attempt)
            assert found.last_error.startswith("The mail server could not be reached:")
            assert delivery.send_due(now=now) == 0  # not before its time
            now = found.next_attempt_at
        delivery.send_due(now=now)
    found = state_of(touchpoint)
    assert (found.state, found.attempts, found.next_attempt_at) == (TouchpointState.FAILED, 5, None)
    assert found.last_error.startswith("The mail server could not be reached:")


class Refusing:
    """Answers 451 (try later) to the first message and 550 (never) to the next."""

    def __init__(self):
        self.answers = ["451 4.3.0 Mailbox busy, try later", "550 5.1.1 No such mailbox"]

    async def handle_DATA(self, server, session, envelope):
        return self.answers.pop(0)


@pytest.fixture
def refusing_sink():
    port = closed_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        yield
    controller.stop()


def test_temporary_refusal_retries_and_permanent_one_fails(refusing_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)

    delivery.send_due(now=NOW)
    found = state_of(touchpoint)
    assert (found.state, found.attempts, found.last_error) == (
        TouchpointState.SCHEDULED,
        1,
        "451 4.3.0 Mailbox busy, try later",
    )

    delivery.send_due(now=NOW + 3 * datetime.timedelta(minutes=1))
    found = state_of(touchpoint)
    assert (found.state, found.attempts, found.last_error) == (TouchpointState.FAILED, 2, "550 5.1.1 No such mailbox")


# Exactly once ------------------------------------------------------------------------------------


def test_send_due_twice_sends_once(smtp_sink, design, enrolment):
    step = make_step(design)
    for occurrence in range(3):
        make_touchpoint(step, enrolment, occurrence=occurrence)

    assert delivery.send_due(now=NOW) == 3
    assert delivery.send_due(now=NOW) == 0

    assert len(smtp_sink.messages) == 3


def test_claimed_row_is_not_sent_by_another_worker(smtp_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    Touchpoint.objects.filter(pk=touchpoint.pk).update(state=TouchpointState.SENDING, claimed_at=NOW)

    assert delivery.send_due(now=NOW) == 0
    assert smtp_sink.messages == []


def test_worker_killed_between_claiming_and_sending(smtp_sink, design, enrolment):
    step = make_step(design)
    touchpoints = [make_touchpoint(step, enrolment, occurrence=n) for n in range(4)]
    # The worker claims, then dies before it sends anything.
    assert sorted(delivery._claim(NOW, 500)) == sorted(t.pk for t in touchpoints)
    assert delivery.send_due(now=NOW) == 0
    assert delivery.release_stuck(now=NOW + datetime.timedelta(minutes=14)) == 0
    assert delivery.send_due(now=NOW + datetime.timedelta(minutes=14)) == 0

    assert delivery.release_stuck(now=NOW + datetime.timedelta(minutes=16)) == 4
    assert delivery.send_due(now=NOW + datetime.timedelta(minutes=16)) == 4
    assert delivery.send_due(now=NOW + datetime.timedelta(minutes=17)) == 0

    ids = sorted(m["Message-ID"] for m in smtp_sink.messages)
    assert ids == sorted(f"<touchpoint-{t.uuid}@takeroot>" for t in touchpoints)
    assert {state_of(t).state for t in touchpoints} == {TouchpointState.SENT}


def test_batch_uses_a_fixed_number_of_queries(
    smtp_sink, design, enrolment, other_participant, django_assert_max_num_queries
):
    # One enrolment with one touchpoint, then a batch of four with plans, goals and check-ins.
    step = make_step(design, kind=StepKind.CHECK_IN, if_no_check_in_days=1)
    other = Enrolment.objects.create(workspace=enrolment.workspace, cohort=enrolment.cohort, person=other_participant)
    for e in (enrolment, other):
        plan = ActionPlan.objects.create(workspace=e.workspace, enrolment=e)
        ActionGoal.objects.create(workspace=e.workspace, plan=plan, title="G", baseline=0, target=1)
        CheckIn.objects.create(workspace=e.workspace, plan=plan, confidence=3, created_at=NOW - 48 * HOUR)
    make_touchpoint(step, enrolment)
    with django_assert_max_num_queries(12) as one:
        delivery.send_due(now=NOW)
    for e in (enrolment, other):
        for occurrence in (1, 2):
            make_touchpoint(step, e, occurrence=occurrence)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert delivery.send_due(now=NOW) == 4
    assert len(smtp_sink.messages) == 5


# Periodic jobs and the task ----------------------------------------------------------------------


def test_periodic_job_queues_the_sending_task(smtp_sink, design, enrolment, django_capture_on_commit_callbacks):
    make_touchpoint(make_step(design), enrolment, due_at=timezone.now() - HOUR)
    assert {"send_due_touchpoints", "release_stuck_touchpoints"} <= set(JOBS)

    with django_capture_on_commit_callbacks(execute=True):
        JOBS["send_due_touchpoints"].run()

    assert len(smtp_sink.messages) == 1


def test_periodic_job_releases_stuck_claims(design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    Touchpoint.objects.filter(pk=touchpoint.pk).update(
        state=TouchpointState.SENDING, claimed_at=timezone.now() - datetime.timedelta(minutes=20)
    )

    JOBS["release_stuck_touchpoints"].run()

    assert (state_of(touchpoint).state, state_of(touchpoint).claimed_at) == (TouchpointState.SCHEDULED, None)


# Test sends and changes by people ----------------------------------------------------------------


def test_send_test_goes_to_the_asker_marked_and_unsaved(smtp_sink, design, enrolment, admin):
    step = make_step(design, kind=StepKind.CHECK_IN)
    ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment)

    delivery.send_test(step=step, enrolment=enrolment, to=admin.user)

    [message] = smtp_sink.messages
    assert (message["To"], message["Subject"]) == ("admin@acme.test", "[Test] Hello Pia Participant")
    assert message["List-Unsubscribe"] is None
    text = parts(message)[0]
    assert text.startswith("This is a test: the message as its recipient will get it.\n")
    [check_in_url] = re.findall(r"Check in now: (\S+)", text)
    assert read_link(link_token(check_in_url)).person == admin  # never a link acting for the participant
    assert Touchpoint.objects.count() == 0


def test_resend_and_cancel(smtp_sink, design, enrolment, admin):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    delivery.send_due(now=NOW)
    touchpoint.refresh_from_db()

    delivery.resend(touchpoint=touchpoint, actor=admin.user)

    found = state_of(touchpoint)
    assert (found.state, found.attempts) == (TouchpointState.SCHEDULED, 0)
    assert found.due_at <= timezone.now()
    delivery.send_due()
    assert len(smtp_sink.messages) == 2
    with pytest.raises(ValidationError):
        delivery.cancel(touchpoint=state_of(touchpoint), actor=admin, reason="No longer needed")

    delivery.resend(touchpoint=state_of(touchpoint), actor=admin)
    delivery.cancel(touchpoint=state_of(touchpoint), actor=admin, reason="No longer needed")

    found = state_of(touchpoint)
    assert (found.state, found.reason) == (TouchpointState.CANCELLED, "No longer needed")
    changes = [e.changes["state"] for e in AuditEntry.objects.filter(object_uuid=touchpoint.uuid).order_by("id")]
    assert changes == [["sent", "scheduled"], ["sent", "scheduled"], ["scheduled", "cancelled"]]
    with pytest.raises(ValidationError):
        delivery.resend(touchpoint=Touchpoint(pk=found.pk, state=TouchpointState.SCHEDULED), actor=admin)


def test_opened_and_done_never_go_back(smtp_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design), enrolment)
    delivery.send_due(now=NOW)

    delivery.mark_opened(touchpoint)
    assert touchpoint.state == TouchpointState.OPENED
    opened_at = touchpoint.opened_at
    delivery.mark_done(touchpoint)
    delivery.mark_opened(touchpoint)

    found = state_of(touchpoint)
    assert (found.state, found.opened_at) == (TouchpointState.DONE, opened_at)
    assert found.done_at is not None


def test_channel_choice_webhook_without_address_fails_visibly(smtp_sink, design, enrolment):
    touchpoint = make_touchpoint(make_step(design, channel=Channel.WEBHOOK), enrolment)

    delivery.send_due(now=NOW)

    found = state_of(touchpoint)
    assert (found.state, found.last_error) == (
        TouchpointState.FAILED,
        "No webhook address is set in the delivery settings.",
    )
    assert smtp_sink.messages == []
