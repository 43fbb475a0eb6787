"""One ticket's page for the learner and the responders: the thread, the promise clock, the
answer / message / internal-note forms, reassigning, "this helped" / "I still need help",
withdrawing, and the attachments (downloaded only through a permission check).

A ticket is looked up in the current workspace (else 404), then the rule decides (403). The
learner never sees internal notes, neither in the thread nor as files."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view

from .. import clock, services
from ..enums import CommentKind, TicketState
from ..models import Attachment, Ticket
from ..ticket_forms import ReassignForm, ReplyForm

RELATED = ("raised_by__user", "owner__user", "module", "programme", "cohort", "enrolment", "workspace")


def find_ticket(request, uuid, perm: str = "tickets.view_ticket") -> Ticket:
    """The ticket of the current workspace (404 elsewhere) that the viewer may ``perm`` (403)."""
    ticket = get_or_404(Ticket.objects.filter(workspace=request.workspace).select_related(*RELATED), uuid=uuid)
    require_perm(request, perm, ticket)
    return ticket


def _moment(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def promise_lines(ticket: Ticket, now: datetime.datetime, promise: clock.Promise) -> list[dict]:
    """The promise clock as sentences, each with a tone ("ok", "late", "done") that a word in the
    sentence also says, so colour is never the only sign."""
    working = promise.working_hours
    lines = []
    if ticket.first_response_at is not None:
        took = clock.hours_text(promise.elapsed(ticket.created_at, ticket.first_response_at))
        if ticket.within_promise:
            text = _("First answered in %(took)s, within the promise.") % {"took": took}
        else:
            text = _("First answered in %(took)s, after the promise.") % {"took": took}
        if working:
            text = text[:-1] + " " + _("(counted in working hours)") + "."
        lines.append({"text": text, "tone": "done" if ticket.within_promise else "late"})
    if ticket.state == TicketState.OPEN:
        left = promise.remaining(ticket.due_at, now)
        due = _moment(ticket.due_at)
        if left >= datetime.timedelta(0):
            if working:
                text = _("Answer due by %(due)s (in %(left)s of working hours).")
            else:
                text = _("Answer due by %(due)s (in %(left)s).")
            lines.append({"text": text % {"due": due, "left": clock.hours_text(left)}, "tone": "ok"})
        else:
            if working:
                text = _("Overdue by %(late)s of working hours: the answer was due by %(due)s.")
            else:
                text = _("Overdue by %(late)s: the answer was due by %(due)s.")
            lines.append({"text": text % {"due": due, "late": clock.hours_text(left)}, "tone": "late"})
    elif ticket.state == TicketState.CLOSED:
        lines.append({"text": f"{ticket.get_closed_how_display()} ({_moment(ticket.closed_at)})", "tone": "done"})
    return lines


def _thread(ticket: Ticket, *, responder: bool) -> list[dict]:
    comments = ticket.comments.select_related("author__user").prefetch_related("attachments")
    if not responder:
        comments = comments.exclude(kind=CommentKind.NOTE)
    items = []
    for comment in comments:
        text = services.event_text(comment) if comment.kind == CommentKind.EVENT else comment.body
        items.append({"comment": comment, "text": text, "files": list(comment.attachments.all())})
    return items


def _page(request, ticket: Ticket, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    me = request.person
    learner = me is not None and ticket.raised_by_id == me.pk
    responder = principal_has_perm(request, "tickets.answer_ticket", ticket) and not learner
    is_open = ticket.state != TicketState.CLOSED
    promise = clock.Promise.of(ticket.workspace)
    context = {
        "ticket": ticket,
        "learner": learner,
        "responder": responder,
        "is_open": is_open,
        "thread": _thread(ticket, responder=responder),
        "opening_files": list(ticket.attachments.filter(comment__isnull=True)),
        "promise_lines": promise_lines(ticket, timezone.now(), promise),
        "promise": clock.promise_text(promise.settings),
    }
    if is_open and responder:
        context["answer_form"] = forms.get("answer") or ReplyForm(kind=ReplyForm.ANSWER)
        context["note_form"] = forms.get("note") or ReplyForm(kind=ReplyForm.NOTE)
        context["message_form"] = forms.get("message") or ReplyForm(kind=ReplyForm.MESSAGE)
        if principal_has_perm(request, "tickets.reassign_ticket", ticket):
            people = services.responder_choices(ticket.workspace)
            context["reassign_form"] = forms.get("reassign") or ReassignForm(people=people, ticket=ticket)
    if is_open and learner:
        context["message_form"] = forms.get("message") or ReplyForm(kind=ReplyForm.MESSAGE)
        context["can_confirm"] = ticket.state == TicketState.ANSWERED
    return render(request, "tickets/ticket.html", context, status=status)


@workspace_view()
def ticket_page(request, uuid):
    return _page(request, find_ticket(request, uuid))


@require_POST
@workspace_view()
def reply(request, uuid):
    """An answer, a message or an internal note (``kind`` in the form)."""
    ticket = find_ticket(request, uuid)
    kind = request.POST.get("kind", ReplyForm.MESSAGE)
    if kind not in (ReplyForm.ANSWER, ReplyForm.MESSAGE, ReplyForm.NOTE):
        raise Http404
    me = request.person
    learner = me is not None and ticket.raised_by_id == me.pk
    if kind == ReplyForm.MESSAGE and learner:
        require_perm(request, "tickets.confirm_ticket", ticket)
    elif learner:
        raise PermissionDenied
    else:
        require_perm(request, "tickets.answer_ticket", ticket)
    form = ReplyForm(request.POST, request.FILES, kind=kind)
    if form.is_valid():
        body, files = form.cleaned_data["body"], form.cleaned_data["files"]
        try:
            if kind == ReplyForm.ANSWER:
                services.answer(ticket=ticket, person=me, body=body, files=files)
                messages.success(request, _("Answer sent. The learner is asked whether it helped."))
            else:
                services.comment(ticket=ticket, person=me, body=body, internal=kind == ReplyForm.NOTE, files=files)
                messages.success(request, _("Internal note saved.") if kind == ReplyForm.NOTE else _("Message sent."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("tickets:ticket", ticket.uuid)
    return _page(request, ticket, forms={kind: form})


@require_POST
@workspace_view()
def reassign(request, uuid):
    ticket = find_ticket(request, uuid, "tickets.reassign_ticket")
    form = ReassignForm(request.POST, people=services.responder_choices(ticket.workspace), ticket=ticket)
    if form.is_valid():
        try:
            services.reassign(ticket=ticket, actor=request.user, owner=form.cleaned_data["owner"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The ticket was passed to %(name)s.") % {"name": form.cleaned_data["owner"].user.name}
            )
            return redirect("tickets:ticket", ticket.uuid)
    return _page(request, ticket, forms={"reassign": form})


@require_POST
@workspace_view()
def confirm(request, uuid):
    """ "This helped" (``helped=yes``) closes the loop; "I still need help" reopens the ticket."""
    ticket = find_ticket(request, uuid, "tickets.confirm_ticket")
    helped = request.POST.get("helped") == "yes"
    try:
        services.confirm(ticket=ticket, person=request.person, helped=helped)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if helped:
            messages.success(request, _("Thank you. The ticket is closed."))
        else:
            messages.success(request, _("The ticket is open again. Tell us below what is still missing."))
    return redirect("tickets:ticket", ticket.uuid)


@require_POST
@workspace_view()
def withdraw(request, uuid):
    ticket = find_ticket(request, uuid, "tickets.confirm_ticket")
    try:
        services.withdraw(ticket=ticket, person=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ticket was withdrawn."))
    return redirect("tickets:ticket", ticket.uuid)


@workspace_view()
def attachment(request, uuid):
    """A file of a ticket, only to those who may see the ticket (and, for a file of an internal
    note, only to responders), always as a download."""
    found = get_or_404(
        Attachment.objects.filter(workspace=request.workspace).select_related("ticket", "comment"), uuid=uuid
    )
    ticket = find_ticket(request, found.ticket.uuid)
    if found.comment is not None and found.comment.kind == CommentKind.NOTE:
        me = request.person
        if (me is not None and ticket.raised_by_id == me.pk) or not principal_has_perm(
            request, "tickets.answer_ticket", ticket
        ):
            raise PermissionDenied
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Content-Type"] = found.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
