"""Raising, answering, messages and notes, reassigning, the learner's confirmation and
withdrawal: the ticket's state, the promise clock, the thread's events, the mail and the audit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.programmes import services as programmes
from takeroot.tickets import services
from takeroot.tickets.enums import Category, ClosedHow, CommentKind, Source, TicketState
from takeroot.tickets.models import Attachment, Comment, Ticket

from .conftest import DAY, HOUR, NOW

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def raise_one(cast, enrolment, **fields) -> Ticket:
    values = {
        "person": cast["participant"],
        "category": Category.CONTENT,
        "subject": "Objection script",
        "body": "Where is the script for price objections?",
        "enrolment": enrolment,
        "now": NOW,
    }
    values.update(fields)
    return services.raise_ticket(**values)


def events(ticket) -> list[str]:
    return [services.event_text(c) for c in ticket.comments.filter(kind=CommentKind.EVENT)]


def mails(template) -> list[str]:
    return [m.recipient.email for m in OutgoingMail.objects.filter(template=template).order_by("id")]


def test_raise_routes_numbers_starts_the_clock_and_mails_the_owner(cast, enrolment, other_enrolment, modules):
    ticket = raise_one(cast, enrolment, module=modules[1], files=[SimpleUploadedFile("notes.pdf", PDF)])
    assert (ticket.number, ticket.owner, ticket.state, ticket.source) == (1, cast["mentor"], TicketState.OPEN, "web")
    assert (ticket.cohort, ticket.programme, ticket.module) == (
        enrolment.cohort,
        enrolment.cohort.programme,
        modules[1],
    )
    assert ticket.due_at == NOW + 24 * HOUR  # the default promise, around the clock
    assert [a.name for a in ticket.attachments.all()] == ["notes.pdf"]
    assert mails("ticket_raised") == ["mentor@acme.test"]
    assert events(ticket) == ["Raised and sent to Maja Mentor."]
    assert AuditEntry.objects.filter(object_uuid=ticket.uuid, action="created").count() == 1
    second = raise_one(cast, other_enrolment, person=cast["other_participant"], source=Source.MAIL_LINK)
    assert (second.number, second.owner, second.source) == (2, cast["trainer"], "mail_link")


def test_numbers_are_per_workspace(cast, enrolment):
    raise_one(cast, enrolment)
    outsider_ticket = services.raise_ticket(
        person=cast["outsider"], category=Category.OTHER, subject="Login", body="I cannot sign in.", now=NOW
    )
    assert (outsider_ticket.number, outsider_ticket.owner) == (1, cast["outsider"])


def test_a_module_alone_finds_the_enrolment(cast, enrolment, modules):
    ticket = raise_one(cast, None, module=modules[0])
    assert (ticket.enrolment, ticket.cohort) == (enrolment, enrolment.cohort)


def test_bad_input_is_refused_and_nothing_is_saved(cast, enrolment, other_enrolment):
    with pytest.raises(ValidationError) as refused:
        raise_one(cast, other_enrolment, subject=" ", body="", category="gossip")
    assert set(refused.value.message_dict) == {"subject", "body", "category", "enrolment"}
    with pytest.raises(ValidationError) as refused:
        raise_one(cast, enrolment, files=[SimpleUploadedFile("virus.exe", b"MZ...")])
    assert refused.value.message_dict["files"] == [
        "virus.exe: this type of file is not accepted. Use PDF, DOCX, XLSX, PPTX, PNG, JPG or TXT."
    ]
    with pytest.raises(ValidationError) as refused:
        raise_one(cast, enrolment, files=[SimpleUploadedFile("fake.pdf", b"not a pdf")])
    assert refused.value.message_dict["files"] == ["fake.pdf is not really a PDF file."]
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert not OutgoingMail.objects.exists()


@pytest.fixture
def outsider_module(cast):
    """A module of a programme of the same workspace the participant is not enrolled in."""
    admin = cast["admin"]
    other = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Finance basics", format="classroom", currency="PLN"
    )
    return programmes.save_module(programme=other, actor=admin.user, title="Budgets", objectives=[])


def test_a_module_of_another_programme_is_refused(cast, enrolment, outsider_module):
    with pytest.raises(ValidationError) as refused:
        raise_one(cast, enrolment, module=outsider_module)
    assert list(refused.value.message_dict) == ["module"]


def test_the_first_answer_stamps_the_promise_and_waits_for_the_learner(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.answer(ticket=ticket, person=cast["mentor"], body="It is in module 2, page 4.", now=NOW + 3 * HOUR)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ANSWERED
    assert (ticket.first_response_at, ticket.answered_at, ticket.within_promise) == (NOW + 3 * HOUR,) * 2 + (True,)
    assert mails("ticket_answered") == ["participant@acme.test"]
    assert "Answered by Maja Mentor." in events(ticket)


def test_a_late_answer_is_recorded_as_outside_the_promise_once(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.answer(ticket=ticket, person=cast["trainer"], body="Sorry, late.", now=NOW + 30 * HOUR)
    services.comment(ticket=ticket, person=cast["participant"], body="Which page?", now=NOW + 31 * HOUR)
    services.answer(ticket=ticket, person=cast["trainer"], body="Page 4.", now=NOW + 32 * HOUR)
    ticket.refresh_from_db()
    assert (ticket.first_response_at, ticket.answered_at, ticket.within_promise) == (
        NOW + 30 * HOUR,
        NOW + 32 * HOUR,
        False,
    )


def test_the_learners_message_on_an_answered_ticket_reopens_it_with_the_clock_restarted(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.answer(ticket=ticket, person=cast["mentor"], body="See page 4.", now=NOW + HOUR)
    services.comment(ticket=ticket, person=cast["participant"], body="Page 4 is empty.", now=NOW + 2 * DAY)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopened, ticket.due_at) == (TicketState.OPEN, 1, NOW + 3 * DAY)
    assert mails("ticket_reopened") == ["mentor@acme.test"]
    assert events(ticket)[-1] == "Reopened: the learner still needs help. The promise clock starts again."


def test_a_message_on_an_open_ticket_does_not_reopen_it(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.comment(ticket=ticket, person=cast["participant"], body="Also: the slides?", now=NOW + HOUR)
    services.comment(ticket=ticket, person=cast["mentor"], body="Which slides?", now=NOW + 2 * HOUR)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopened, ticket.due_at) == (TicketState.OPEN, 0, NOW + 24 * HOUR)
    assert mails("ticket_message") == ["mentor@acme.test", "participant@acme.test"]


def test_an_internal_note_mails_nobody_and_the_learner_cannot_write_one(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    note = services.comment(ticket=ticket, person=cast["trainer"], body="Pia asked before.", internal=True, now=NOW)
    assert note.kind == CommentKind.NOTE
    assert not OutgoingMail.objects.filter(template="ticket_message").exists()
    with pytest.raises(ValidationError):
        services.comment(ticket=ticket, person=cast["participant"], body="Secret", internal=True, now=NOW)


def test_confirm_helped_closes_the_loop(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.answer(ticket=ticket, person=cast["mentor"], body="See page 4.", now=NOW + HOUR)
    services.confirm(ticket=ticket, person=cast["participant"], helped=True, now=NOW + 2 * HOUR)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.closed_how, ticket.closed_at) == (
        TicketState.CLOSED,
        ClosedHow.CONFIRMED,
        NOW + 2 * HOUR,
    )
    assert events(ticket)[-1] == "Closed: the learner confirmed the answer helped."
    with pytest.raises(ValidationError):
        services.comment(ticket=ticket, person=cast["participant"], body="One more thing", now=NOW + 3 * HOUR)


def test_not_helped_reopens_with_the_clock_restarted(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.answer(ticket=ticket, person=cast["mentor"], body="See page 4.", now=NOW + HOUR)
    services.confirm(ticket=ticket, person=cast["participant"], helped=False, now=NOW + 5 * HOUR)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopened, ticket.due_at) == (TicketState.OPEN, 1, NOW + 29 * HOUR)
    assert mails("ticket_reopened") == ["mentor@acme.test"]


def test_only_the_learner_confirms_and_only_an_answered_ticket(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    with pytest.raises(ValidationError):
        services.confirm(ticket=ticket, person=cast["participant"], helped=True, now=NOW)  # no answer yet
    services.answer(ticket=ticket, person=cast["mentor"], body="See page 4.", now=NOW + HOUR)
    with pytest.raises(ValidationError):
        services.confirm(ticket=ticket, person=cast["mentor"], helped=True, now=NOW)


def test_withdraw(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.withdraw(ticket=ticket, person=cast["participant"], now=NOW + HOUR)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.closed_how) == (TicketState.CLOSED, ClosedHow.WITHDRAWN)
    assert events(ticket)[-1] == "Withdrawn by the learner."


def test_reassign_to_a_responder_of_the_workspace(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    services.reassign(ticket=ticket, actor=cast["admin"].user, owner=cast["trainer"], now=NOW + HOUR)
    ticket.refresh_from_db()
    assert ticket.owner == cast["trainer"]
    assert ticket.due_at == NOW + 24 * HOUR  # the clock keeps running
    assert events(ticket)[-1] == "Passed to Tomasz Trainer by Anna Admin."
    assert mails("ticket_reassigned") == ["trainer@acme.test"]
    for nobody in (cast["other_participant"], cast["outsider"], cast["trainer"]):
        with pytest.raises(ValidationError):
            services.reassign(ticket=ticket, actor=cast["admin"].user, owner=nobody)


def test_the_learner_cannot_answer_their_own_ticket(cast, enrolment):
    ticket = raise_one(cast, enrolment)
    with pytest.raises(ValidationError):
        services.answer(ticket=ticket, person=cast["participant"], body="Solved it myself", now=NOW)
    assert not Comment.objects.filter(kind=CommentKind.ANSWER).exists()
