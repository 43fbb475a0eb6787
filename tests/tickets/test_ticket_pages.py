"""One ticket's page for the learner and the responders: the thread, the promise clock, answers,
messages, internal notes (never shown to the learner), reassigning, "this helped" / "I still need
help", withdrawing, and attachments downloaded only through the permission check. Another
participant is refused (403), someone of another workspace finds nothing (404)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from takeroot.tickets import services
from takeroot.tickets.enums import Category, ClosedHow, CommentKind, TicketState
from takeroot.tickets.models import Attachment, Comment, Ticket, TicketSettings

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def ticket(cast, enrolment):
    # Raised now (the pages read the real clock): Pia is mentored, so the mentor owns it.
    return services.raise_ticket(
        person=cast["participant"],
        category=Category.CONTENT,
        subject="Objection script",
        body="Where is the script for price objections?",
        enrolment=enrolment,
        files=[SimpleUploadedFile("question.pdf", PDF)],
    )


def url(name, ticket):
    return reverse(f"tickets:{name}", args=[ticket.uuid])


def page(client, ticket) -> str:
    response = client.get(url("ticket", ticket))
    assert response.status_code == 200
    return response.content.decode()


def test_the_learner_sees_the_thread_and_the_clock_but_no_answer_form(cast, client_for, ticket):
    html = page(client_for(cast["participant"]), ticket)
    assert "#1 Objection script" in html
    assert "Where is the script for price objections?" in html
    assert "Raised and sent to Maja Mentor." in html
    assert "Answer due by" in html and "(in 23 h 59 min)." in html
    assert 'name="kind" value="answer"' not in html
    assert 'name="kind" value="message"' in html
    assert "Withdraw the question" in html


def test_working_hours_are_named_on_the_clock(cast, client_for, ticket):
    TicketSettings.objects.create(workspace=ticket.workspace, clock="working_hours", timezone="UTC")
    Ticket.objects.filter(pk=ticket.pk).update(due_at=timezone.now() - 3 * 24 * HOUR)
    html = page(client_for(cast["mentor"]), ticket)
    assert "Overdue by" in html and "of working hours: the answer was due by" in html


@pytest.mark.parametrize("who", ["mentor", "trainer", "admin"])
def test_responders_see_the_answer_note_and_message_forms(cast, client_for, ticket, who):
    html = page(client_for(cast[who]), ticket)
    for kind in ("answer", "note", "message"):
        assert f'name="kind" value="{kind}"' in html
    assert ("Pass to someone else" in html) == (who in ("trainer", "admin"))


def test_an_answer_then_this_helped_closes_the_loop(cast, client_for, ticket):
    mentor = client_for(cast["mentor"])
    answered = mentor.post(url("reply", ticket), {"kind": "answer", "answer-body": "Module 2, page 4."}, follow=True)
    assert "Answer sent. The learner is asked whether it helped." in answered.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ANSWERED
    html = answered.content.decode()
    assert "First answered in 0 min, within the promise." in html

    learner = client_for(cast["participant"])
    html = page(learner, ticket)
    assert "Did the answer help?" in html and "Module 2, page 4." in html
    done = learner.post(url("confirm", ticket), {"helped": "yes"}, follow=True)
    assert "Thank you. The ticket is closed." in done.content.decode()
    ticket.refresh_from_db()
    assert (ticket.state, ticket.closed_how) == (TicketState.CLOSED, ClosedHow.CONFIRMED)


def test_i_still_need_help_reopens_the_ticket(cast, client_for, ticket):
    services.answer(ticket=ticket, person=cast["mentor"], body="Page 4.")
    client = client_for(cast["participant"])
    html = client.post(url("confirm", ticket), {"helped": "no"}, follow=True).content.decode()
    assert "The ticket is open again." in html
    assert "Reopened: the learner still needs help." in html
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopened) == (TicketState.OPEN, 1)


def test_an_internal_note_is_never_shown_to_the_learner(cast, client_for, ticket):
    client_for(cast["trainer"]).post(
        url("reply", ticket),
        {
            "kind": "note",
            "note-body": "She asked this last cohort too.",
            "note-files": [SimpleUploadedFile("notes-on-pia.pdf", PDF)],
        },
    )
    note = Comment.objects.get(kind=CommentKind.NOTE)
    assert "She asked this last cohort too." in page(client_for(cast["mentor"]), ticket)
    learner = client_for(cast["participant"])
    html = page(learner, ticket)
    assert "She asked this last cohort too." not in html
    assert "notes-on-pia.pdf" not in html
    file = Attachment.objects.get(comment=note)
    assert learner.get(reverse("tickets:attachment", args=[file.uuid])).status_code == 403


def test_the_learner_cannot_post_an_answer_or_a_note(cast, client_for, ticket):
    client = client_for(cast["participant"])
    for kind in ("answer", "note"):
        assert client.post(url("reply", ticket), {"kind": kind, f"{kind}-body": "x"}).status_code == 403
    assert not Comment.objects.filter(kind__in=[CommentKind.ANSWER, CommentKind.NOTE]).exists()


def test_an_empty_answer_keeps_the_page_with_the_error(cast, client_for, ticket):
    answer = client_for(cast["mentor"]).post(url("reply", ticket), {"kind": "answer", "answer-body": ""})
    assert answer.status_code == 200
    assert "This field is required." in answer.content.decode()


def test_a_refused_file_keeps_the_typed_message(cast, client_for, ticket):
    data = {
        "kind": "message",
        "message-body": "Here is a screenshot",
        "message-files": [SimpleUploadedFile("s.png", b"no")],
    }
    html = client_for(cast["participant"]).post(url("reply", ticket), data).content.decode()
    assert "s.png is not really a PNG file." in html
    assert "Here is a screenshot" in html
    assert not Comment.objects.filter(kind=CommentKind.MESSAGE).exists()


def test_reassign(cast, client_for, ticket):
    client = client_for(cast["admin"])
    html = client.post(url("reassign", ticket), {"reassign-owner": str(cast["trainer"].uuid)}, follow=True)
    assert "The ticket was passed to Tomasz Trainer." in html.content.decode()
    ticket.refresh_from_db()
    assert ticket.owner == cast["trainer"]
    refused = client.post(url("reassign", ticket), {"reassign-owner": str(cast["other_participant"].uuid)})
    assert refused.status_code == 200
    assert "Select a valid choice." in refused.content.decode()


def test_withdraw(cast, client_for, ticket):
    client_for(cast["participant"]).post(url("withdraw", ticket))
    ticket.refresh_from_db()
    assert (ticket.state, ticket.closed_how) == (TicketState.CLOSED, ClosedHow.WITHDRAWN)


def test_attachments_download_for_who_may_see_the_ticket(cast, client_for, ticket):
    file = Attachment.objects.get()
    download = reverse("tickets:attachment", args=[file.uuid])
    for who in ("participant", "mentor"):
        response = client_for(cast[who]).get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="question.pdf"'
    assert client_for(cast["other_participant"]).get(download).status_code == 403
    assert client_for(cast["outsider"]).get(download).status_code == 404


PAGES = [
    ("get", "ticket", {}),
    ("post", "reply", {"kind": "message", "message-body": "Hi"}),
    ("post", "reassign", {"reassign-owner": "x"}),
    ("post", "confirm", {"helped": "yes"}),
    ("post", "withdraw", {}),
]


@pytest.mark.parametrize(("method", "name", "data"), PAGES)
@pytest.mark.parametrize(("who", "status"), [("other_participant", 403), ("manager", 403), ("outsider", 404)])
def test_others_are_refused(cast, client_for, ticket, method, name, data, who, status):
    client = client_for(cast[who])
    response = getattr(client, method)(url(name, ticket), data)
    assert response.status_code == status
    ticket.refresh_from_db()
    assert ticket.state == TicketState.OPEN
    assert not Comment.objects.filter(kind=CommentKind.MESSAGE).exists()


@pytest.mark.parametrize("name", ["confirm", "withdraw"])
def test_only_the_learner_confirms_or_withdraws(cast, client_for, ticket, name):
    assert client_for(cast["mentor"]).post(url(name, ticket), {"helped": "yes"}).status_code == 403


def test_a_trainer_who_does_not_train_the_cohort_cannot_see_it(cast, client_for, ticket):
    ticket.cohort.trainers.clear()
    assert client_for(cast["trainer"]).get(url("ticket", ticket)).status_code == 403
