"""Learner tickets over JSON: list, get, raise, the thread (comments and internal notes), answer,
confirm and reassign. Same rules and services as the pages.

A ticket named in the path is looked up in the caller's workspace (else 404), then the rule
decides (403). An API key reads with ``tickets:read`` and answers, comments and reassigns with
``tickets:write``; it never acts as a learner: it cannot raise a ticket or confirm an answer.
Internal notes are never shown to the learner.
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, ErrorOut, api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Enrolment, Module

from .. import clock, services
from ..enums import Category, ClosedHow, CommentKind, Source, TicketState
from ..models import Attachment, Comment, Ticket
from ..queue import tickets_for_responder

router = Router()

API_KEY_SCOPES.update(
    {
        "tickets.view_ticket": "tickets:read",
        "tickets.answer_ticket": "tickets:write",
        "tickets.reassign_ticket": "tickets:write",
    }
)
RELATED = ("raised_by__user", "owner__user", "module", "programme", "cohort", "enrolment", "workspace")


def _me(request) -> Person | None:
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


def _find_ticket(request, uuid: UUID, perm: str = "tickets.view_ticket") -> Ticket:
    ticket = Ticket.objects.filter(workspace=api_workspace(request), uuid=uuid).select_related(*RELATED).first()
    if ticket is None:
        raise Http404
    require_api_perm(request, perm, ticket)
    return ticket


def _reread(ticket: Ticket) -> Ticket:
    """The ticket as a service left it (the caller's permission was checked before the change)."""
    return Ticket.objects.select_related(*RELATED).get(pk=ticket.pk)


def _is_learner(request, ticket: Ticket) -> bool:
    me = _me(request)
    return me is not None and ticket.raised_by_id == me.pk


def _sees_notes(request, ticket: Ticket) -> bool:
    return not _is_learner(request, ticket) and principal_has_perm(request, "tickets.answer_ticket", ticket)


class TicketAttachmentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    url: str = Field(description="Download address (signed-in pages; the same permission applies)")


class TicketOut(Schema):
    id: UUID
    number: int
    subject: str
    body: str
    category: Category
    state: TicketState
    source: Source
    learner: str
    owner: UUID | None
    owner_name: str | None
    programme: UUID | None
    cohort: UUID | None
    module: UUID | None
    created_at: datetime.datetime
    due_at: datetime.datetime
    first_response_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    within_promise: bool | None
    closed_at: datetime.datetime | None
    closed_how: ClosedHow | None
    reopened: int
    remaining_hours: float | None = Field(
        description="Open tickets: hours left of the promise in the workspace's clock (negative when overdue)"
    )
    attachments: list[TicketAttachmentOut] = Field(description="The files sent with the question")


class CommentOut(Schema):
    id: UUID
    kind: CommentKind
    author: UUID | None
    author_name: str | None
    body: str = Field(description="The text; for events, a sentence in the caller's language")
    created_at: datetime.datetime
    attachments: list[TicketAttachmentOut]


def _attachment_out(attachment: Attachment) -> dict:
    return {
        "id": attachment.uuid,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": reverse("tickets:attachment", args=[attachment.uuid]),
    }


def ticket_fields(ticket: Ticket) -> dict:
    """What the ticket and the queue schemas share."""
    return {
        "id": ticket.uuid,
        "number": ticket.number,
        "subject": ticket.subject,
        "category": ticket.category,
        "state": ticket.state,
        "learner": ticket.raised_by.user.name,
        "owner": ticket.owner.uuid if ticket.owner else None,
        "owner_name": ticket.owner.user.name if ticket.owner else None,
        "programme": ticket.programme.uuid if ticket.programme else None,
        "cohort": ticket.cohort.uuid if ticket.cohort else None,
        "module": ticket.module.uuid if ticket.module else None,
        "created_at": ticket.created_at,
        "due_at": ticket.due_at,
        "first_response_at": ticket.first_response_at,
        "closed_at": ticket.closed_at,
        "reopened": ticket.reopened,
    }


def _ticket_out(ticket: Ticket, *, now, promise: clock.Promise, opening_files=None) -> dict:
    remaining = None
    if ticket.state == TicketState.OPEN:
        left = promise.remaining(ticket.due_at, now)
        remaining = round(left.total_seconds() / 3600, 2)
    if opening_files is None:
        opening_files = [a for a in ticket.attachments.all() if a.comment_id is None]
    return {
        **ticket_fields(ticket),
        "body": ticket.body,
        "source": ticket.source,
        "answered_at": ticket.answered_at,
        "within_promise": ticket.within_promise,
        "closed_how": ticket.closed_how or None,
        "remaining_hours": remaining,
        "attachments": [_attachment_out(a) for a in opening_files],
    }


def _one(ticket: Ticket) -> dict:
    return _ticket_out(ticket, now=timezone.now(), promise=clock.Promise.of(ticket.workspace))


def _comment_out(comment: Comment) -> dict:
    text = services.event_text(comment) if comment.kind == CommentKind.EVENT else comment.body
    return {
        "id": comment.uuid,
        "kind": comment.kind,
        "author": comment.author.uuid if comment.author else None,
        "author_name": comment.author.user.name if comment.author else None,
        "body": text,
        "created_at": comment.created_at,
        "attachments": [_attachment_out(a) for a in comment.attachments.all()],
    }


# Tickets ------------------------------------------------------------------------------------------


class TicketQuery(Schema):
    state: TicketState | None = None
    mine: bool = Field(False, description="Only the tickets you raised or own (people only, not API keys)")


@router.get(
    "tickets",
    response={200: list[TicketOut], 400: ErrorOut, **READ_ERRORS},
    summary="The tickets you raised or may work on (an API key: the workspace's), newest first",
)
@paginate(Pages, page_size=50)
def list_tickets(request, query: Query[TicketQuery]):
    workspace = api_workspace(request)
    if is_api_key(request):
        require_api_perm(request, "tickets.view_ticket", workspace)
        if query.mine:
            raise ValidationError({"mine": [_("An API key has no tickets of its own.")]})
        tickets = Ticket.objects.filter(workspace=workspace)
    else:
        me = _me(request)
        if me is None:
            raise Http404
        worked = tickets_for_responder(request.user, workspace=workspace).values("pk")
        tickets = Ticket.objects.filter(workspace=workspace).filter(Q(raised_by=me) | Q(pk__in=worked))
        if query.mine:
            tickets = tickets.filter(Q(raised_by=me) | Q(owner=me))
    if query.state:
        tickets = tickets.filter(state=query.state)
    tickets = tickets.select_related(*RELATED).prefetch_related("attachments").order_by("-created_at", "-id")
    return _Rows(tickets, workspace=workspace)


class _Rows:
    """The tickets as the paginator sees them: counted and sliced in the database."""

    def __init__(self, tickets, *, workspace):
        self.tickets = tickets
        self.promise = clock.Promise.of(workspace)
        self.now = timezone.now()

    def count(self) -> int:
        return self.tickets.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return [_ticket_out(ticket, now=self.now, promise=self.promise) for ticket in self.tickets[index]]


@router.get("tickets/{uuid}", response={200: TicketOut, **READ_ERRORS}, summary="One ticket")
def get_ticket(request, uuid: UUID):
    return _one(_find_ticket(request, uuid))


class TicketIn(InputSchema):
    category: Category
    subject: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    enrolment: UUID | None = Field(None, description="Your enrolment the ticket is about")
    module: UUID | None = Field(None, description="A module of a programme you take part in")


@router.post(
    "tickets",
    response={201: TicketOut, **WRITE_ERRORS},
    summary="Raise a ticket as the signed-in participant (API keys cannot: they never act as a learner)",
)
def create_ticket(request, payload: TicketIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.raise_ticket", workspace)
    me = _me(request)
    if me is None:
        raise Http404
    enrolment = module = None
    if payload.enrolment is not None:
        enrolment = Enrolment.objects.filter(workspace=workspace, uuid=payload.enrolment, person=me).first()
        if enrolment is None:
            raise ValidationError({"enrolment": [_("Choose a training you take part in.")]})
    if payload.module is not None:
        module = Module.objects.filter(workspace=workspace, uuid=payload.module).first()
        if module is None:
            raise ValidationError({"module": [_("Choose a module of a training you take part in.")]})
    ticket = services.raise_ticket(
        person=me,
        category=payload.category,
        subject=payload.subject,
        body=payload.body,
        enrolment=enrolment,
        module=module,
        source=Source.API,
    )
    return Status(201, _one(ticket))


# The thread -------------------------------------------------------------------------------------


@router.get(
    "tickets/{uuid}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    summary="The ticket's thread, oldest first (internal notes only for responders)",
)
def list_comments(request, uuid: UUID):
    ticket = _find_ticket(request, uuid)
    comments = ticket.comments.select_related("author__user").prefetch_related("attachments")
    if not _sees_notes(request, ticket):
        comments = comments.exclude(kind=CommentKind.NOTE)
    return [_comment_out(comment) for comment in comments]


class CommentIn(InputSchema):
    body: str = Field(max_length=10000)
    internal: bool = Field(False, description="An internal note, never shown to the learner (responders only)")


@router.post(
    "tickets/{uuid}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="A message on the thread, or an internal note; the learner's message reopens an answered ticket",
)
def create_comment(request, uuid: UUID, payload: CommentIn):
    ticket = _find_ticket(request, uuid)
    if _is_learner(request, ticket):
        require_api_perm(request, "tickets.confirm_ticket", ticket)
    else:
        require_api_perm(request, "tickets.answer_ticket", ticket)
    created = services.comment(ticket=ticket, person=_me(request), body=payload.body, internal=payload.internal)
    return Status(201, _comment_out(created))


class AnswerIn(InputSchema):
    body: str = Field(max_length=10000)


@router.post(
    "tickets/{uuid}/answer",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Answer the ticket: it waits for the learner to confirm the answer helped",
)
def answer_ticket(request, uuid: UUID, payload: AnswerIn):
    ticket = _find_ticket(request, uuid, "tickets.answer_ticket")
    if _is_learner(request, ticket):
        raise ValidationError({"body": [_("You cannot answer your own ticket; write a message instead.")]})
    created = services.answer(ticket=ticket, person=_me(request), body=payload.body)
    return Status(201, _comment_out(created))


class ConfirmIn(InputSchema):
    helped: bool = Field(description="true: the answer helped (the ticket closes); false: reopen it")


@router.post(
    "tickets/{uuid}/confirm",
    response={200: TicketOut, **WRITE_ERRORS},
    summary="The learner says whether the answer helped (people only: never an API key)",
)
def confirm_ticket(request, uuid: UUID, payload: ConfirmIn):
    ticket = _find_ticket(request, uuid, "tickets.confirm_ticket")
    services.confirm(ticket=ticket, person=_me(request), helped=payload.helped)
    return _one(_reread(ticket))


class ReassignIn(InputSchema):
    owner: UUID = Field(description="A trainer, admin or mentor of the workspace (a person's id)")


@router.post(
    "tickets/{uuid}/reassign",
    response={200: TicketOut, **WRITE_ERRORS},
    summary="Pass the ticket to another trainer, admin or mentor",
)
def reassign_ticket(request, uuid: UUID, payload: ReassignIn):
    ticket = _find_ticket(request, uuid, "tickets.reassign_ticket")
    owner = Person.objects.filter(workspace=ticket.workspace, uuid=payload.owner).select_related("user").first()
    if owner is None:
        raise ValidationError({"owner": [_("There is nobody with this id in the workspace.")]})
    services.reassign(ticket=ticket, actor=None if is_api_key(request) else request.user, owner=owner)
    return _one(_reread(ticket))
