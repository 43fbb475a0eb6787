"""The promise clock's run: the owner is warned once before the promise breaks, the admins are
told once when it does (the mail arrives at a real SMTP server), an answered ticket nobody replied
to closes by itself once; a reopened ticket's clock warns and escalates again."""

import pytest

from takeroot.core.models import OutgoingMail
from takeroot.tickets import services
from takeroot.tickets.enums import Category, ClosedHow, CommentKind, TicketState
from takeroot.tickets.models import TicketSettings
from takeroot.tickets.periodic import run_ticket_clock

from .conftest import DAY, HOUR, NOW

pytestmark = pytest.mark.django_db
MINUTE = HOUR / 60


@pytest.fixture
def ticket(cast, other_enrolment):
    # Olek has no mentor: a content question goes to the trainer.
    return services.raise_ticket(
        person=cast["other_participant"],
        category=Category.CONTENT,
        subject="Objection script",
        body="Where is the script?",
        enrolment=other_enrolment,
        now=NOW,
    )


def run(capture, now):
    with capture(execute=True):
        return services.run_clock(now=now)


def recipients(template):
    return [m.recipient.email for m in OutgoingMail.objects.filter(template=template).order_by("id")]


def test_the_owner_is_warned_once_before_the_promise_breaks(ticket, django_capture_on_commit_callbacks):
    assert run(django_capture_on_commit_callbacks, NOW + 19 * HOUR)["warned"] == 0  # 5 h left: not yet
    assert run(django_capture_on_commit_callbacks, NOW + 20 * HOUR)["warned"] == 1  # 4 h left
    assert run(django_capture_on_commit_callbacks, NOW + 21 * HOUR)["warned"] == 0
    ticket.refresh_from_db()
    assert ticket.warned_at == NOW + 20 * HOUR
    assert recipients("ticket_warning") == ["trainer@acme.test"]
    assert "Tomasz Trainer was reminded" in services.event_text(ticket.comments.filter(kind=CommentKind.EVENT).last())


def test_the_escalation_mail_arrives_once_at_the_admins(ticket, cast, smtp_sink, django_capture_on_commit_callbacks):
    assert run(django_capture_on_commit_callbacks, NOW + 24 * HOUR - MINUTE)["escalated"] == 0
    assert run(django_capture_on_commit_callbacks, NOW + 24 * HOUR)["escalated"] == 1
    assert run(django_capture_on_commit_callbacks, NOW + 30 * HOUR)["escalated"] == 0
    escalations = [m for m in smtp_sink.messages if m["Subject"].startswith("Promise broken")]
    assert [m["To"] for m in escalations] == ["admin@acme.test"]
    message = escalations[0]
    assert message["Subject"] == "Promise broken: ticket #1 has no answer"
    text = message.get_body(("plain",)).get_content()
    assert "Ticket #1 “Objection script” from Olek Other" in text
    assert "It is owned by Tomasz Trainer." in text
    assert f"/tickets/{ticket.uuid}/" in text
    ticket.refresh_from_db()
    assert ticket.escalated_at == NOW + 24 * HOUR
    assert ticket.state == TicketState.OPEN


def test_a_breached_ticket_is_escalated_not_warned(ticket, django_capture_on_commit_callbacks):
    counts = run(django_capture_on_commit_callbacks, NOW + 2 * DAY)
    assert (counts["warned"], counts["escalated"]) == (0, 1)


def test_working_hours_count_for_the_warning(cast, ticket, django_capture_on_commit_callbacks):
    TicketSettings.objects.create(
        workspace=ticket.workspace, clock="working_hours", timezone="UTC", warn_before_hours=2
    )
    ticket.due_at = NOW + 3 * DAY + 8 * HOUR  # Thursday 17:00 UTC
    ticket.save()
    assert run(django_capture_on_commit_callbacks, NOW + 3 * DAY + 5 * HOUR)["warned"] == 0  # Thursday 14:00
    assert run(django_capture_on_commit_callbacks, NOW + 3 * DAY + 6 * HOUR)["warned"] == 1  # 2 working h left


def test_an_answered_ticket_closes_by_itself_after_the_quiet_days(ticket, django_capture_on_commit_callbacks):
    services.answer(ticket=ticket, person=ticket.owner, body="Module 2, page 4.", now=NOW + HOUR)
    assert run(django_capture_on_commit_callbacks, NOW + HOUR + 7 * DAY - MINUTE)["closed"] == 0
    assert run(django_capture_on_commit_callbacks, NOW + HOUR + 7 * DAY)["closed"] == 1
    assert run(django_capture_on_commit_callbacks, NOW + HOUR + 8 * DAY)["closed"] == 0
    ticket.refresh_from_db()
    assert (ticket.state, ticket.closed_how) == (TicketState.CLOSED, ClosedHow.AUTOMATIC)
    last = ticket.comments.filter(kind=CommentKind.EVENT).last()
    assert services.event_text(last) == "Closed by itself: no reply from the learner for 7 days."
    assert recipients("ticket_closed") == ["other@acme.test"]


def test_a_reopened_ticket_is_warned_and_escalated_again(ticket, cast, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, NOW + 25 * HOUR)
    services.answer(ticket=ticket, person=ticket.owner, body="Late, sorry.", now=NOW + 26 * HOUR)
    services.confirm(ticket=ticket, person=cast["other_participant"], helped=False, now=NOW + 27 * HOUR)
    assert run(django_capture_on_commit_callbacks, NOW + 47 * HOUR)["warned"] == 1
    assert run(django_capture_on_commit_callbacks, NOW + 51 * HOUR)["escalated"] == 1
    assert recipients("ticket_escalated") == ["admin@acme.test", "admin@acme.test"]


def test_the_periodic_job_runs_the_clock_through_the_worker(ticket, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_ticket_clock()
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None  # raised long ago: the promise is broken now
    assert [m["To"] for m in smtp_sink.messages if m["Subject"].startswith("Promise broken")] == ["admin@acme.test"]


def test_every_ticket_mail_of_a_story_arrives(ticket, cast, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(ticket=ticket, person=cast["other_participant"], body="Also the slides.", now=NOW + HOUR)
        services.reassign(ticket=ticket, actor=cast["admin"].user, owner=cast["admin"], now=NOW + HOUR)
        services.run_clock(now=NOW + 21 * HOUR)
        services.run_clock(now=NOW + 25 * HOUR)
        services.answer(ticket=ticket, person=cast["admin"], body="Slides are in module 1.", now=NOW + 26 * HOUR)
        services.confirm(ticket=ticket, person=cast["other_participant"], helped=False, now=NOW + 27 * HOUR)
        services.answer(ticket=ticket, person=cast["admin"], body="Now attached.", now=NOW + 28 * HOUR)
        services.run_clock(now=NOW + 28 * HOUR + 7 * DAY)
    got = [(m["To"], m["Subject"]) for m in smtp_sink.messages]
    assert got == [  # the raising mail went before (the fixture)
        ("trainer@acme.test", "A new message on ticket #1"),
        ("admin@acme.test", "Ticket #1 was passed to you"),
        ("admin@acme.test", "Ticket #1 is due soon"),
        ("admin@acme.test", "Promise broken: ticket #1 has no answer"),
        ("other@acme.test", "Your question #1 has an answer"),
        ("admin@acme.test", "Ticket #1 is open again: the learner still needs help"),
        ("other@acme.test", "Your question #1 has an answer"),
        ("other@acme.test", "Ticket #1 was closed"),
    ]
    answered = smtp_sink.messages[4].get_body(("plain",)).get_content()
    assert "Anna Admin answered your question #1 “Objection script”:" in answered
    assert "Slides are in module 1." in answered
    assert "“This helped” or “I still need help”" in answered
