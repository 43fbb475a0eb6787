"""The learner's pages: the raise form (prefilled, only their modules, files checked by content,
bad input keeps what was typed), the promise stated after sending, and "My questions"."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from takeroot.programmes import services as programmes
from takeroot.tickets import services
from takeroot.tickets.enums import Category
from takeroot.tickets.models import Ticket, TicketSettings

from .conftest import NOW

pytestmark = pytest.mark.django_db
RAISE = reverse("tickets:raise")
MINE = reverse("tickets:mine")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_form_offers_only_the_modules_of_the_learners_programmes(cast, client_for, enrolment, modules):
    admin = cast["admin"]
    other = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Finance basics", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=other, actor=admin.user, title="Budgets", objectives=[])
    html = client_for(cast["participant"]).get(RAISE).content.decode()
    assert "Customer conversations · Opening the call" in html
    assert "Customer conversations · Handling objections" in html
    assert "Budgets" not in html
    assert "You will get an answer within 24 hours." in html
    assert "<legend>What is it about?</legend>" in html


def test_the_form_is_prefilled_from_the_link(cast, client_for, enrolment, modules):
    page = client_for(cast["participant"]).get(f"{RAISE}?enrolment={enrolment.uuid}&module={modules[1].uuid}")
    html = page.content.decode()
    assert f'<option value="{modules[1].uuid}" selected>' in html
    assert f'name="enrolment" value="{enrolment.uuid}"' in html
    assert "About Customer conversations (Kraków spring)." in html


def test_raising_a_ticket_opens_its_page_with_the_promise(cast, client_for, enrolment, modules):
    TicketSettings.objects.create(workspace=enrolment.workspace, clock="working_hours", promise_hours=16)
    client = client_for(cast["participant"])
    data = {
        "category": Category.CONTENT,
        "module": str(modules[0].uuid),
        "subject": "Opening lines",
        "body": "Which opening works for cold calls?",
        "enrolment": str(enrolment.uuid),
        "files": [SimpleUploadedFile("notes.pdf", PDF)],
    }
    answer = client.post(RAISE, data, follow=True)
    ticket = Ticket.objects.get()
    assert answer.redirect_chain == [(reverse("tickets:ticket", args=[ticket.uuid]), 302)]
    html = answer.content.decode()
    assert "Your question #1 was sent. You will get an answer within 16 working hours." in html
    assert (ticket.enrolment, ticket.module, ticket.owner, ticket.source) == (
        enrolment,
        modules[0],
        cast["mentor"],
        "web",
    )
    assert [a.name for a in ticket.attachments.all()] == ["notes.pdf"]


def test_a_wrong_file_type_is_refused_and_the_form_keeps_what_was_typed(cast, client_for, enrolment):
    data = {
        "category": Category.TECHNICAL,
        "subject": "Video does not play",
        "body": "The module 2 video stops after 10 seconds.",
        "files": [SimpleUploadedFile("clip.pdf", b"this is no pdf")],
    }
    answer = client_for(cast["participant"]).post(RAISE, data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "clip.pdf is not really a PDF file." in html
    assert 'value="Video does not play"' in html
    assert "The module 2 video stops after 10 seconds." in html
    assert re.search(r'<input type="radio" name="category" value="technical"[^>]* checked>', html)
    assert not Ticket.objects.exists()


def test_missing_fields_are_named(cast, client_for, enrolment):
    answer = client_for(cast["participant"]).post(RAISE, {"subject": "", "body": ""})
    assert answer.status_code == 200
    assert answer.content.decode().count("This field is required.") == 3
    assert not Ticket.objects.exists()


def test_my_questions_lists_only_mine(cast, client_for, enrolment, other_enrolment):
    for person, enrol, subject in (
        (cast["participant"], enrolment, "Mine"),
        (cast["other_participant"], other_enrolment, "Olek's"),
    ):
        services.raise_ticket(person=person, category="content", subject=subject, body="?", enrolment=enrol, now=NOW)
    html = client_for(cast["participant"]).get(MINE).content.decode()
    assert "#1 Mine" in html
    assert "Olek" not in html


def test_the_pages_need_a_sign_in(client):
    for url in (RAISE, MINE):
        assert client.get(url).status_code == 302


def test_the_raise_link_include_prefills(cast, client_for, enrolment, modules, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user, request.workspace = cast["participant"].user, enrolment.workspace
    html = render_to_string(
        "tickets/_raise_link.html",
        {"enrolment": enrolment, "module": modules[0], "user": request.user, "request": request},
    )
    assert f'href="{RAISE}?enrolment={enrolment.uuid}&amp;module={modules[0].uuid}"' in html
    assert "Ask a question or report a problem" in html
