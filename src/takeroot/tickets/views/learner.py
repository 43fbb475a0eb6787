"""The learner's ticket pages: "Ask a question or report a problem" (the raise form, optionally
prefilled with ``?enrolment=<uuid>&module=<uuid>``) and "My questions"."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors, workspace_view

from .. import clock, services
from ..enums import Source
from ..models import Ticket
from ..ticket_forms import RaiseForm


def _as_uuid(value) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


def raise_form_for(person, data=None, files=None, *, enrolment_uuid=None, module_uuid=None) -> RaiseForm:
    """The raise form for ``person``: the modules of their programmes, prefilled from a link.

    Used by this page and by the follow-up mail's "ask a question" link."""
    modules = services.modules_for(person)
    initial = {}
    module = modules.filter(uuid=_as_uuid(module_uuid)).first() if module_uuid else None
    enrolment = services.enrolments_of(person).filter(uuid=_as_uuid(enrolment_uuid)).first() if enrolment_uuid else None
    if module is not None:
        initial["module"] = module.uuid
        initial["category"] = "content"
    form = RaiseForm(data, files, modules=modules, initial=initial)
    form.enrolment = enrolment  # a hidden choice: the training the link or page was about
    return form


def submit_raise_form(form: RaiseForm, person, *, source: str) -> Ticket | None:
    """Raise the ticket from a valid form; None (with the errors on the form) when refused."""
    data = form.cleaned_data
    module = data.get("module")
    enrolment = getattr(form, "enrolment", None)
    if enrolment is not None and module is not None and module.programme_id != enrolment.cohort.programme_id:
        enrolment = None  # the module names the training
    try:
        return services.raise_ticket(
            person=person,
            category=data["category"],
            subject=data["subject"],
            body=data["body"],
            enrolment=enrolment,
            module=module,
            files=data.get("files") or [],
            source=source,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@workspace_view("tickets.raise_ticket")
def raise_ticket(request):
    """The raise form; after it, the new ticket's page, which states the promise."""
    me = request.person
    enrolment_uuid = request.GET.get("enrolment") or request.POST.get("enrolment")
    module_uuid = request.GET.get("module")
    form = raise_form_for(
        me,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        enrolment_uuid=enrolment_uuid,
        module_uuid=module_uuid,
    )
    settings = clock.settings_for(request.workspace)
    if request.method == "POST" and form.is_valid():
        ticket = submit_raise_form(form, me, source=Source.WEB)
        if ticket is not None:
            messages.success(
                request,
                _("Your question #%(number)d was sent. You will get an answer %(promise)s.")
                % {"number": ticket.number, "promise": clock.promise_text(settings)},
            )
            return redirect("tickets:ticket", ticket.uuid)
    context = {"form": form, "enrolment": form.enrolment, "promise": clock.promise_text(settings)}
    return render(request, "tickets/raise.html", context)


@workspace_view("tickets.raise_ticket")
def mine(request):
    """The tickets the person raised, newest first, with their state."""
    tickets = list(
        Ticket.objects.filter(workspace=request.workspace, raised_by=request.person).select_related(
            "module", "programme", "owner__user"
        )
    )
    settings = clock.settings_for(request.workspace)
    return render(request, "tickets/mine.html", {"tickets": tickets, "promise": clock.promise_text(settings)})
