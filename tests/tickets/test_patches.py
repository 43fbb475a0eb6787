"""Patches: published from a ticket by its responders, recorded in the ticket's thread, shown to
every participant of the programme (and nobody else's), changed and withdrawn with audit entries."""

import pytest
from django.urls import reverse

from takeroot.core.models import AuditEntry
from takeroot.programmes.models import Enrolment
from takeroot.tickets.enums import CommentKind
from takeroot.tickets.models import Comment, Patch
from takeroot.tickets.patches import additions_for, publish_patch
from takeroot.tickets.services import event_text

from .conftest import NOW
from .test_queue import build_second_cohort, make_ticket

LESSON = {"title": "Three ways to open a call", "body": "Name, reason, question.", "url": ""}


@pytest.fixture
def second_cohort(cast, workspace):
    return build_second_cohort(cast, workspace)


@pytest.fixture
def ticket(enrolment, modules):
    return make_ticket(enrolment, subject="How do I open a cold call?", module=modules[0])


@pytest.fixture
def patch(cast, ticket, modules):
    trainer = cast["trainer"]
    return publish_patch(ticket=ticket, module=modules[0], actor=trainer.user, author=trainer, now=NOW, **LESSON)


def create_url(ticket):
    return reverse("tickets:patch_create", args=[ticket.uuid])


def test_trainer_publishes_a_patch_from_the_ticket(cast, client_for, ticket, modules):
    client = client_for(cast["trainer"])

    form = client.get(create_url(ticket))
    assert form.status_code == 200
    assert 'value="How do I open a cold call?"' in form.content.decode()  # the subject as a starting title
    data = {"module": modules[1].uuid, "title": "Objections list", "body": "", "url": "https://example.com/list"}
    response = client.post(create_url(ticket), data, follow=True)

    patch = Patch.objects.get()
    assert (patch.module, patch.ticket, patch.created_by, patch.url) == (
        modules[1],
        ticket,
        cast["trainer"],
        "https://example.com/list",
    )
    assert "Published: everyone in the programme sees it with the module." in response.content.decode()
    event = Comment.objects.get(ticket=ticket)
    assert (event.kind, event.author) == (CommentKind.EVENT, cast["trainer"])
    assert (
        event_text(event) == "Published an addition to the module “Handling objections” for everyone: Objections list"
    )
    assert AuditEntry.objects.filter(object_type="patch", action="created", actor=cast["trainer"].user).count() == 1


def test_a_patch_needs_a_lesson_or_a_link_and_keeps_what_was_typed(cast, client_for, ticket, modules):
    data = {"module": modules[0].uuid, "title": "Only a title", "body": "", "url": ""}
    response = client_for(cast["admin"]).post(create_url(ticket), data)

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["Write a short lesson, give a link, or both."]
    assert 'value="Only a title"' in response.content.decode()
    assert not Patch.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("participant", 403), ("mentor", 403), ("manager", 403), ("outsider", 404)]
)
def test_only_responders_who_may_publish_reach_the_form(cast, client_for, ticket, modules, who, status):
    client = client_for(cast[who])
    data = {"module": modules[0].uuid, **LESSON}

    assert client.get(create_url(ticket)).status_code == status
    assert client.post(create_url(ticket), data).status_code == status
    assert not Patch.objects.exists()


def test_patch_shown_to_every_participant_of_the_programme(cast, client_for, patch, cohort):
    page = client_for(cast["other_participant"]).get(reverse("programmes:cohort_detail", args=[cohort.uuid]))

    html = page.content.decode()
    assert "Added to the modules since the training" in html
    assert reverse("tickets:patch", args=[patch.uuid]) in html
    detail = client_for(cast["other_participant"]).get(reverse("tickets:patch", args=[patch.uuid])).content.decode()
    assert "Name, reason, question." in detail
    assert "How do I open a cold call?" not in detail  # the question stays the learner's


def test_patch_not_shown_to_another_programmes_participant(client_for, patch, second_cohort):
    lars = Enrolment.objects.get(cohort=second_cohort).person
    client = client_for(lars)

    assert client.get(reverse("tickets:patch", args=[patch.uuid])).status_code == 403
    own_page = client.get(reverse("programmes:cohort_detail", args=[second_cohort.uuid])).content.decode()
    assert "Three ways to open a call" not in own_page
    assert additions_for(second_cohort.programme) == []


def test_outsider_does_not_find_the_patch(cast, client_for, patch):
    client = client_for(cast["outsider"])

    for name in ("tickets:patch", "tickets:patch_edit"):
        assert client.get(reverse(name, args=[patch.uuid])).status_code == 404
    assert client.post(reverse("tickets:patch_withdraw", args=[patch.uuid])).status_code == 404


def test_the_learner_sees_the_link_to_their_ticket(cast, client_for, patch, ticket):
    page = client_for(cast["participant"]).get(reverse("tickets:patch", args=[patch.uuid])).content.decode()

    assert reverse("tickets:ticket", args=[ticket.uuid]) in page


def test_edit_a_patch_is_audited(cast, client_for, patch, modules):
    edit = reverse("tickets:patch_edit", args=[patch.uuid])
    data = {"module": modules[0].uuid, "title": "Four ways to open a call", "body": "Name, reason, question, pause."}
    response = client_for(cast["trainer"]).post(edit, data)

    assert response.status_code == 302
    patch.refresh_from_db()
    assert patch.title == "Four ways to open a call"
    entry = AuditEntry.objects.get(object_type="patch", action="changed")
    assert entry.changes["title"] == ["Three ways to open a call", "Four ways to open a call"]


def test_withdraw_a_patch(cast, client_for, patch, ticket):
    response = client_for(cast["admin"]).post(reverse("tickets:patch_withdraw", args=[patch.uuid]))

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:ticket", args=[ticket.uuid])
    assert not Patch.objects.exists()
    events = [event_text(comment) for comment in Comment.objects.filter(ticket=ticket)]
    assert events[-1] == "Withdrew the addition to the module “Opening the call”: Three ways to open a call"
    assert AuditEntry.objects.filter(object_type="patch", action="deleted").count() == 1


def test_another_programmes_trainer_reads_but_does_not_change(client_for, patch, second_cohort):
    client = client_for(second_cohort.trainers.get())

    assert client.get(reverse("tickets:patch", args=[patch.uuid])).status_code == 200
    assert client.get(reverse("tickets:patch_edit", args=[patch.uuid])).status_code == 403
    assert client.post(reverse("tickets:patch_withdraw", args=[patch.uuid])).status_code == 403
    assert Patch.objects.filter(pk=patch.pk).exists()


def test_additions_for_lists_modules_in_order(cast, ticket, modules, patch, programme):
    trainer = cast["trainer"]
    publish_patch(ticket=ticket, module=modules[1], actor=None, author=trainer, title="B", url="https://example.com/b")

    assert [(item.module.title, [p.title for p in item.patches]) for item in additions_for(programme)] == [
        ("Opening the call", ["Three ways to open a call"]),
        ("Handling objections", ["B"]),
    ]


def test_a_module_of_another_programme_is_refused(cast, ticket, second_cohort):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        publish_patch(
            ticket=ticket,
            module=second_cohort.programme.modules.get(),
            actor=None,
            author=cast["admin"],
            title="Wrong place",
            body="…",
        )
    assert error.value.message_dict == {"module": ["Choose a module of the ticket's programme."]}


def test_publishing_keeps_the_moment_given(patch):
    patch.refresh_from_db()

    assert patch.created_at == NOW
