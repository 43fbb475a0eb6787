"""The follow-up mail's "ask a question" link opens the raise form about the link's training
(nobody is signed in), raises a ticket with source MAIL_LINK and states the promise; a refused
file keeps what was typed and leaves the link unused; only the training's participants may use it."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from takeroot.followup import links
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.models import UsedLink
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.tickets.models import Ticket, TicketSettings

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def link_path(person, cohort) -> str:
    url = links.link_url(person=person, purpose=LinkPurpose.ASK_QUESTION, target=str(cohort.uuid))
    return url.removeprefix(settings.BASE_URL)


@pytest.fixture
def working_hours(cohort):
    return TicketSettings.objects.create(workspace=cohort.workspace, clock="working_hours", promise_hours=16)


def test_the_link_opens_the_raise_form_about_the_training(client, cast, cohort, enrolment, modules, working_hours):
    html = client.get(link_path(cast["participant"], cohort)).content.decode()
    assert f'name="enrolment" value="{enrolment.uuid}"' in html
    assert "Customer conversations · Handling objections" in html
    assert "You will get an answer within 16 working hours." in html
    assert 'enctype="multipart/form-data"' in html


def test_the_link_raises_a_ticket_and_states_the_promise(client, cast, cohort, enrolment, modules, working_hours):
    data = {
        "category": "content",
        "module": str(modules[1].uuid),
        "subject": "Price objections",
        "body": "What do I say when they say it is too expensive?",
        "files": [SimpleUploadedFile("call-notes.pdf", PDF)],
    }
    answer = client.post(link_path(cast["participant"], cohort), data)
    assert answer.status_code == 200
    ticket = Ticket.objects.get()
    html = answer.content.decode()
    assert "Your question #1 is with the right person. You will get an answer within 16 working hours, by mail." in html
    assert f'href="{reverse("tickets:ticket", args=[ticket.uuid])}"' in html
    assert (ticket.source, ticket.enrolment, ticket.module, ticket.owner) == (
        "mail_link",
        enrolment,
        modules[1],
        cast["mentor"],
    )
    assert [a.name for a in ticket.attachments.all()] == ["call-notes.pdf"]
    assert "_auth_user_id" not in client.session  # the link signs nobody in


def test_a_refused_file_keeps_what_was_typed_and_the_link_unused(client, cast, cohort, enrolment):
    data = {
        "category": "technical",
        "subject": "Video",
        "body": "The video stops after ten seconds.",
        "files": [SimpleUploadedFile("screen.png", b"not a png")],
    }
    answer = client.post(link_path(cast["participant"], cohort), data)
    html = answer.content.decode()
    assert "screen.png is not really a PNG file." in html
    assert "The video stops after ten seconds." in html and 'value="Video"' in html
    assert not Ticket.objects.exists()
    assert not UsedLink.objects.exists()


@pytest.mark.parametrize("who", ["manager", "trainer"])
def test_only_the_trainings_participants_may_use_it(client, cast, cohort, enrolment, who):
    assert client.get(link_path(cast[who], cohort)).status_code == 403


def test_a_withdrawn_participant_is_refused(client, cast, cohort, enrolment):
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    path = link_path(cast["participant"], cohort)
    assert client.post(path, {"category": "content", "subject": "a", "body": "b"}).status_code == 403
    assert not Ticket.objects.exists()
