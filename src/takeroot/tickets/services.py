"""Every change to a learner ticket: raising, answering, messages and notes, reassigning, the
learner's "this helped" / "I still need help", withdrawing, and the promise clock's run (warning,
escalation, closing by itself).

Each state change writes an EVENT comment, so the thread tells the story, and an audit entry.
Mail is queued through the outbox (sent after the commit). ``person`` is the member acting; where
it may be None, an API key acts on the workspace's behalf (never as the learner).
"""

import copy
import datetime
import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.scope import across_workspaces, workspace_scope
from takeroot.core.services import record_audit
from takeroot.practice.files import check_files
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module

from . import clock, routing
from .enums import Category, ClosedHow, CommentKind, Source, TicketState
from .models import Attachment, Comment, Ticket

MAX_SUBJECT = 200
MAX_BODY = 10000

# What an EVENT comment says, stored as {"event": code, ...} and shown in the reader's language.
EVENTS = {
    "raised": gettext_noop("Raised and sent to %(owner)s."),
    "raised_unowned": gettext_noop("Raised; nobody could be found to answer it yet."),
    "answered": gettext_noop("Answered by %(person)s."),
    "reopened": gettext_noop("Reopened: the learner still needs help. The promise clock starts again."),
    "reassigned": gettext_noop("Passed to %(owner)s by %(person)s."),
    "confirmed": gettext_noop("Closed: the learner confirmed the answer helped."),
    "withdrawn": gettext_noop("Withdrawn by the learner."),
    "warned": gettext_noop("The promise is about to be broken: %(owner)s was reminded."),
    "escalated": gettext_noop("The promise was broken: the admins were told."),
    "auto_closed": gettext_noop("Closed by itself: no reply from the learner for %(days)s days."),
}
API_KEY_NAME = gettext_noop("an API key")


def event_text(comment: Comment) -> str:
    """An EVENT comment's text in the active language (the stored text when it is not an event)."""
    try:
        data = json.loads(comment.body)
        template = EVENTS[data.pop("event")]
    except (ValueError, KeyError, TypeError, AttributeError):
        return comment.body
    names = {key: _(value) if value == API_KEY_NAME else value for key, value in data.items()}
    try:
        return _(template) % names
    except (KeyError, ValueError, TypeError):
        return _(template)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _user(person: Person | None) -> User | None:
    return person.user if person is not None else None


def _name(person: Person | None) -> str:
    return person.user.name or person.user.email if person is not None else API_KEY_NAME


def _event(ticket: Ticket, code: str, now: datetime.datetime, author: Person | None = None, **params) -> Comment:
    return Comment.objects.create(
        workspace=ticket.workspace,
        ticket=ticket,
        author=author,
        kind=CommentKind.EVENT,
        body=json.dumps({"event": code, **params}, ensure_ascii=False),
        created_at=now,
    )


def _text(value: str, field: str, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > limit:
        raise ValidationError(
            {field: _("Keep it under %(limit)d characters (it has %(count)d).") % {"limit": limit, "count": len(value)}}
        )
    return value


def _attach(ticket: Ticket, checked: list, person: Person | None, comment: Comment | None = None) -> list[Attachment]:
    saved = []
    for upload, content_type in checked:
        attachment = Attachment(
            workspace=ticket.workspace,
            ticket=ticket,
            comment=comment,
            name=str(upload.name).rsplit("/", 1)[-1][:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=person,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _check_files(files: Iterable) -> list:
    files = [upload for upload in files or () if upload]
    return check_files(files) if files else []


def _when(user: User, moment: datetime.datetime) -> str:
    """A moment as the recipient reads it: their language and time zone."""
    with translation.override(user.language), timezone.override(user.timezone or "UTC"):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _mail(ticket: Ticket, user: User | None, template: str, **extra) -> None:
    if user is None or not user.is_active:
        return
    context = {
        "number": ticket.number,
        "subject": ticket.subject,
        "learner": ticket.raised_by.user.name or ticket.raised_by.user.email,
        "category": ticket.category,
        "programme": ticket.programme.name if ticket.programme_id else "",
        "module": ticket.module.title if ticket.module_id else "",
        "path": ticket_path(ticket),
        "due": _when(user, ticket.due_at),
        "workspace": ticket.workspace.name,
        **extra,
    }
    queue_mail(recipient=user, template=template, context=context, workspace=ticket.workspace)


def ticket_path(ticket: Ticket) -> str:
    return reverse("tickets:ticket", args=[ticket.uuid])


def enrolments_of(person: Person):
    """The person's enrolments a ticket may be about (not withdrawn), with cohort and programme."""
    return (
        Enrolment.objects.filter(person=person)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("cohort__programme")
        .order_by("-cohort__starts_on", "id")
    )


def modules_for(person: Person):
    """The modules of the programmes the person is enrolled in (not withdrawn)."""
    programmes = enrolments_of(person).values("cohort__programme")
    return Module.objects.filter(programme__in=programmes).select_related("programme").order_by("programme", "position")


def _next_number(workspace: Workspace) -> int:
    top = Ticket.objects.filter(workspace=workspace).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _create_numbered(*, workspace: Workspace, **fields) -> Ticket:
    """A ticket with the workspace's next number; two raised at once: the second takes the next."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Ticket.objects.create(workspace=workspace, number=_next_number(workspace), **fields)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _restart_clock(ticket: Ticket, now: datetime.datetime) -> None:
    settings, rules = clock.settings_for(ticket.workspace), clock.rules_for(ticket.workspace)
    ticket.state = TicketState.OPEN
    ticket.reopened += 1
    ticket.due_at = clock.due_at(now, settings, rules)
    ticket.warned_at = None
    ticket.escalated_at = None
    ticket.closed_at = None
    ticket.closed_how = ""


def raise_ticket(
    *,
    person: Person,
    category: str,
    subject: str,
    body: str,
    enrolment: Enrolment | None = None,
    module: Module | None = None,
    files: Iterable = (),
    source: str = Source.WEB,
    now: datetime.datetime | None = None,
) -> Ticket:
    """Raise a learner's ticket. ``enrolment`` and ``module`` must be the person's (a module of a
    programme they are enrolled in); a module alone finds its enrolment.

    Side effects: the ticket (numbered per workspace), its attachments, owner by ``routing``,
    ``due_at`` by the promise clock, an EVENT comment, mail to the owner ("ticket_raised"), an
    audit entry. Raises ``ValidationError`` (nothing saved) on bad input or refused files."""
    now = _now(now)
    workspace = person.workspace
    errors = {}
    if category not in Category.values:
        errors["category"] = _("Choose what it is about.")
    try:
        subject = _text(subject, "subject", MAX_SUBJECT, _("Write a short subject."))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body = _text(body, "body", MAX_BODY, _("Write your question or describe the problem."))
    except ValidationError as error:
        errors.update(error.message_dict)
    mine = enrolments_of(person)
    if enrolment is not None and not mine.filter(pk=enrolment.pk).exists():
        errors["enrolment"] = _("Choose a training you take part in.")
        enrolment = None
    if module is not None:
        if enrolment is not None and module.programme_id != enrolment.cohort.programme_id:
            errors["module"] = _("Choose a module of this training.")
        elif enrolment is None:
            enrolment = mine.filter(cohort__programme_id=module.programme_id).first()
            if enrolment is None:
                errors["module"] = _("Choose a module of a training you take part in.")
    try:
        checked = _check_files(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    cohort = enrolment.cohort if enrolment else None
    programme = cohort.programme if cohort else (module.programme if module else None)
    owner = routing.owner_for(workspace=workspace, category=category, enrolment=enrolment, programme=programme)
    due = clock.due_at(now, clock.settings_for(workspace), clock.rules_for(workspace))
    with transaction.atomic():  # the ticket, its files, event, audit and mail: all or nothing
        ticket = _create_numbered(
            workspace=workspace,
            raised_by=person,
            enrolment=enrolment,
            cohort=cohort,
            programme=programme,
            module=module,
            category=category,
            subject=subject,
            body=body,
            source=source,
            owner=owner,
            created_at=now,
            due_at=due,
        )
        _attach(ticket, checked, person)
        if owner is not None:
            _event(ticket, "raised", now, person, owner=_name(owner))
        else:
            _event(ticket, "raised_unowned", now, person)
        record_audit(
            workspace=workspace,
            actor=person.user,
            action=AuditAction.CREATED,
            obj=ticket,
            changes={"owner": ("", owner), "category": ("", category), "due_at": ("", due.isoformat())},
        )
        if owner is not None:
            _mail(ticket, owner.user, "ticket_raised", body=body)
    return ticket


def _refuse_closed(ticket: Ticket) -> None:
    if ticket.state == TicketState.CLOSED:
        raise ValidationError(_("This ticket is closed. Raise a new one if you need more help."))


def _is_learner(ticket: Ticket, person: Person | None) -> bool:
    return person is not None and ticket.raised_by_id == person.pk


@transaction.atomic
def answer(
    *, ticket: Ticket, person: Person | None, body: str, files: Iterable = (), now: datetime.datetime | None = None
) -> Comment:
    """A responder's answer (``person`` None: an API key). The first answer stamps
    ``first_response_at`` and whether it came within the promise; every answer stamps
    ``answered_at`` and leaves the ticket ANSWERED, waiting for the learner.

    Side effects: the ANSWER comment and its attachments, an EVENT comment, mail to the learner
    ("ticket_answered", with "this helped" / "I still need help"), an audit entry."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _refuse_closed(ticket)
    if _is_learner(ticket, person):
        raise ValidationError(_("You cannot answer your own ticket; write a message instead."))
    body = _text(body, "body", MAX_BODY, _("Write the answer."))
    checked = _check_files(files)
    comment = Comment.objects.create(
        workspace=ticket.workspace, ticket=ticket, author=person, kind=CommentKind.ANSWER, body=body, created_at=now
    )
    _attach(ticket, checked, person, comment)
    before = ticket.state
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    if ticket.within_promise is None:
        ticket.within_promise = now <= ticket.due_at
    ticket.answered_at = now
    ticket.state = TicketState.ANSWERED
    ticket.save(update_fields=["first_response_at", "within_promise", "answered_at", "state"])
    if before != TicketState.ANSWERED:
        _event(ticket, "answered", now, person, person=_name(person))
    record_audit(
        workspace=ticket.workspace,
        actor=_user(person),
        action=AuditAction.CHANGED,
        obj=ticket,
        changes={"state": (before, ticket.state)},
    )
    _mail(ticket, ticket.raised_by.user, "ticket_answered", answer=body, answerer=_name(person))
    return comment


@transaction.atomic
def comment(
    *,
    ticket: Ticket,
    person: Person | None,
    body: str,
    internal: bool = False,
    files: Iterable = (),
    now: datetime.datetime | None = None,
) -> Comment:
    """A message on the thread, or (``internal``) a note only responders see. The learner's message
    on an ANSWERED ticket reopens it: OPEN again, ``reopened`` counted, the promise clock
    restarted.

    Side effects: the comment and its attachments; on a reopen an EVENT comment and an audit entry;
    mail: the learner's message to the owner ("ticket_message"), a responder's message to the
    learner; an internal note mails nobody."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _refuse_closed(ticket)
    learner = _is_learner(ticket, person)
    if internal and learner:
        raise ValidationError(_("Only the people answering tickets can write internal notes."))
    body = _text(body, "body", MAX_BODY, _("Write a message."))
    checked = _check_files(files)
    kind = CommentKind.NOTE if internal else CommentKind.MESSAGE
    note = Comment.objects.create(
        workspace=ticket.workspace, ticket=ticket, author=person, kind=kind, body=body, created_at=now
    )
    _attach(ticket, checked, person, note)
    if learner and ticket.state == TicketState.ANSWERED:
        _reopen(ticket, person, now)
        _mail(ticket, ticket.owner.user if ticket.owner else None, "ticket_reopened", message=body)
    elif learner:
        _mail(ticket, ticket.owner.user if ticket.owner else None, "ticket_message", message=body, author=_name(person))
    elif not internal:
        _mail(ticket, ticket.raised_by.user, "ticket_message", message=body, author=_name(person))
    return note


def _reopen(ticket: Ticket, person: Person | None, now: datetime.datetime) -> None:
    before = ticket.state
    _restart_clock(ticket, now)
    ticket.save(update_fields=["state", "reopened", "due_at", "warned_at", "escalated_at", "closed_at", "closed_how"])
    _event(ticket, "reopened", now, person)
    record_audit(
        workspace=ticket.workspace,
        actor=_user(person),
        action=AuditAction.CHANGED,
        obj=ticket,
        changes={"state": (before, ticket.state), "reopened": (ticket.reopened - 1, ticket.reopened)},
    )


def responder_choices(workspace: Workspace):
    """Who a ticket may be passed to: the workspace's trainers, admins and mentors (active)."""
    return (
        Person.objects.filter(workspace=workspace, user__is_active=True)
        .filter(Q(is_admin=True) | Q(is_trainer=True) | Q(is_mentor=True))
        .select_related("user")
        .order_by("user__name", "id")
    )


@transaction.atomic
def reassign(*, ticket: Ticket, actor: User | None, owner: Person, now: datetime.datetime | None = None) -> Ticket:
    """Pass the ticket to another trainer, admin or mentor of the workspace (``actor`` None: an
    API key). The promise clock keeps running.

    Side effects: the owner, an EVENT comment, mail to the new owner ("ticket_reassigned"), an
    audit entry."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _refuse_closed(ticket)
    if owner is None or not responder_choices(ticket.workspace).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose a trainer, admin or mentor of this workspace.")})
    if owner.pk == ticket.owner_id:
        raise ValidationError({"owner": _("%(name)s already owns this ticket.") % {"name": _name(owner)}})
    before = ticket.owner
    ticket.owner = owner
    ticket.save(update_fields=["owner"])
    acting = Person.objects.filter(workspace=ticket.workspace, user=actor).first() if actor else None
    _event(ticket, "reassigned", now, acting, owner=_name(owner), person=_name(acting))
    record_audit(
        workspace=ticket.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=ticket,
        changes={"owner": (before, owner)},
    )
    _mail(ticket, owner.user, "ticket_reassigned", by=_name(acting))
    return ticket


@transaction.atomic
def confirm(*, ticket: Ticket, person: Person, helped: bool, now: datetime.datetime | None = None) -> Ticket:
    """The learner says whether the answer helped: it closes the loop (CLOSED, CONFIRMED), or
    reopens the ticket with the promise clock restarted.

    Side effects: an EVENT comment, an audit entry; when not helped, mail to the owner
    ("ticket_reopened")."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not _is_learner(ticket, person):
        raise ValidationError(_("Only the person who raised the ticket can say whether the answer helped."))
    if ticket.state != TicketState.ANSWERED:
        raise ValidationError(
            _("This ticket is closed.") if ticket.state == TicketState.CLOSED else _("This ticket has no answer yet.")
        )
    if not helped:
        _reopen(ticket, person, now)
        _mail(ticket, ticket.owner.user if ticket.owner else None, "ticket_reopened", message="")
        return ticket
    ticket.state, ticket.closed_at, ticket.closed_how = TicketState.CLOSED, now, ClosedHow.CONFIRMED
    ticket.save(update_fields=["state", "closed_at", "closed_how"])
    _event(ticket, "confirmed", now, person)
    record_audit(
        workspace=ticket.workspace,
        actor=person.user,
        action=AuditAction.CHANGED,
        obj=ticket,
        changes={"state": (TicketState.ANSWERED, TicketState.CLOSED), "closed_how": ("", ClosedHow.CONFIRMED)},
    )
    return ticket


@transaction.atomic
def withdraw(*, ticket: Ticket, person: Person, now: datetime.datetime | None = None) -> Ticket:
    """The learner withdraws their ticket (no longer needed). Side effects: CLOSED (WITHDRAWN), an
    EVENT comment, an audit entry."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not _is_learner(ticket, person):
        raise ValidationError(_("Only the person who raised the ticket can withdraw it."))
    _refuse_closed(ticket)
    before = ticket.state
    ticket.state, ticket.closed_at, ticket.closed_how = TicketState.CLOSED, now, ClosedHow.WITHDRAWN
    ticket.save(update_fields=["state", "closed_at", "closed_how"])
    _event(ticket, "withdrawn", now, person)
    record_audit(
        workspace=ticket.workspace,
        actor=person.user,
        action=AuditAction.CHANGED,
        obj=ticket,
        changes={"state": (before, TicketState.CLOSED), "closed_how": ("", ClosedHow.WITHDRAWN)},
    )
    return ticket


# The promise clock's run ------------------------------------------------------------------------


def _admins(workspace: Workspace) -> list[User]:
    people = Person.objects.filter(workspace=workspace, is_admin=True, user__is_active=True).select_related("user")
    return [person.user for person in people]


def _claim(ticket: Ticket, **conditions_and_stamp) -> bool:
    """Claim a row with a conditional update, so two runs never act twice on it."""
    stamp = conditions_and_stamp.pop("stamp")
    return Ticket.objects.filter(pk=ticket.pk, **conditions_and_stamp).update(**stamp) == 1


def _run_workspace(workspace: Workspace, now: datetime.datetime) -> dict:
    settings, rules = clock.settings_for(workspace), clock.rules_for(workspace)
    counts = {"warned": 0, "escalated": 0, "closed": 0}
    related = ("raised_by__user", "owner__user", "programme", "module", "workspace")
    waiting = Ticket.objects.filter(workspace=workspace, state=TicketState.OPEN).select_related(*related)
    # Breached: the admins are told, once per promise.
    for ticket in waiting.filter(escalated_at__isnull=True, due_at__lte=now):
        if not _claim(ticket, state=TicketState.OPEN, escalated_at__isnull=True, stamp={"escalated_at": now}):
            continue
        with transaction.atomic():
            _event(ticket, "escalated", now)
            owner = _name(ticket.owner) if ticket.owner else ""
            for user in _admins(workspace):
                _mail(ticket, user, "ticket_escalated", owner=owner)
        counts["escalated"] += 1
    # Breaching soon: the owner is reminded, once per promise.
    window = _window(settings, settings.warn_before_hours)
    warning_line = clock.due_at(now, window, rules)
    soon = waiting.filter(warned_at__isnull=True, escalated_at__isnull=True, due_at__gt=now, due_at__lte=warning_line)
    for ticket in soon.exclude(owner__isnull=True):
        if not _claim(ticket, state=TicketState.OPEN, warned_at__isnull=True, stamp={"warned_at": now}):
            continue
        with transaction.atomic():
            _event(ticket, "warned", now, owner=_name(ticket.owner))
            left = clock.elapsed(now, ticket.due_at, settings, rules)
            _mail(ticket, ticket.owner.user, "ticket_warning", hours_left=round(left.total_seconds() / 3600, 1))
        counts["warned"] += 1
    # Answered and no reply for ``auto_close_days``: the loop closes by itself.
    quiet_since = now - datetime.timedelta(days=settings.auto_close_days)
    answered = Ticket.objects.filter(workspace=workspace, state=TicketState.ANSWERED, answered_at__lte=quiet_since)
    for ticket in answered.select_related(*related):
        stamp = {"state": TicketState.CLOSED, "closed_at": now, "closed_how": ClosedHow.AUTOMATIC}
        if not _claim(ticket, state=TicketState.ANSWERED, stamp=stamp):
            continue
        with transaction.atomic():
            _event(ticket, "auto_closed", now, days=settings.auto_close_days)
            record_audit(
                workspace=workspace,
                actor=None,
                action=AuditAction.CHANGED,
                obj=ticket,
                changes={"state": (TicketState.ANSWERED, TicketState.CLOSED), "closed_how": ("", ClosedHow.AUTOMATIC)},
            )
            _mail(ticket, ticket.raised_by.user, "ticket_closed", days=settings.auto_close_days)
        counts["closed"] += 1
    return counts


def _window(settings, hours: int):
    """The settings with another number of promise hours: a window counted in the same clock."""
    window = copy.copy(settings)
    window.promise_hours = hours
    return window


def run_clock(*, now: datetime.datetime | None = None) -> dict:
    """Across every workspace with tickets: warn owners ``warn_before_hours`` before the promise
    breaks (once, ``warned_at``), tell the admins when it breaks (once, ``escalated_at``), close
    ANSWERED tickets after ``auto_close_days`` without a reply (AUTOMATIC). Idempotent: each row is
    claimed with a conditional update. Returns the counts."""
    now = _now(now)
    with across_workspaces():
        workspace_ids = set(
            Ticket.objects.exclude(state=TicketState.CLOSED).values_list("workspace_id", flat=True).distinct()
        )
        workspaces = list(Workspace.objects.filter(pk__in=workspace_ids).order_by("pk"))
    totals = {"warned": 0, "escalated": 0, "closed": 0}
    for workspace in workspaces:
        with workspace_scope(workspace):
            for key, value in _run_workspace(workspace, now).items():
                totals[key] += value
    return totals
