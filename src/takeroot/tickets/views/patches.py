"""Patches: publishing one from a ticket (responders with ``tickets.publish_patch``), reading one
(everyone in its programme), changing and withdrawing one (admins and the programme's trainers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Module

from ..models import Patch, Ticket
from ..patches import PATCH_RELATED, modules_for_ticket, programme_of, publish_patch, update_patch, withdraw_patch
from ..settings_forms import PatchForm


def _patch(request, uuid, perm: str) -> Patch:
    patch = get_or_404(Patch.objects.filter(workspace=request.workspace).select_related(*PATCH_RELATED), uuid=uuid)
    require_perm(request, perm, patch)
    return patch


@workspace_view()
def patch_create(request, uuid):
    """From a ticket: add a short lesson or a link to its module (or another of its programme)."""
    found = Ticket.objects.filter(workspace=request.workspace).select_related("module", "programme", "cohort")
    ticket = get_or_404(found, uuid=uuid)
    require_perm(request, "tickets.publish_patch", ticket)
    modules = modules_for_ticket(ticket)
    initial = {"module": ticket.module.uuid if ticket.module_id else None, "title": ticket.subject}
    form = PatchForm(request.POST or None, modules=modules, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            patch = publish_patch(ticket=ticket, actor=request.user, author=request.person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Published: everyone in the programme sees it with the module."))
            return redirect("tickets:patch", patch.uuid)
    context = {"form": form, "ticket": ticket, "programme": programme_of(ticket), "has_modules": modules.exists()}
    return render(request, "tickets/patch_form.html", context)


@workspace_view()
def patch_detail(request, uuid):
    patch = _patch(request, uuid, "tickets.view_patch")
    context = {
        "patch": patch,
        "sees_ticket": patch.ticket is not None and principal_has_perm(request, "tickets.view_ticket", patch.ticket),
        "can_change": principal_has_perm(request, "tickets.change_patch", patch),
    }
    return render(request, "tickets/patch_detail.html", context)


@workspace_view()
def patch_edit(request, uuid):
    patch = _patch(request, uuid, "tickets.change_patch")
    modules = Module.objects.filter(programme_id=patch.module.programme_id).order_by("position", "pk")
    form = PatchForm(request.POST or None, modules=modules, patch=patch)
    if request.method == "POST" and form.is_valid():
        try:
            update_patch(patch=patch, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Addition saved."))
            return redirect("tickets:patch", patch.uuid)
    context = {"form": form, "patch": patch, "ticket": patch.ticket, "programme": patch.module.programme}
    return render(request, "tickets/patch_form.html", context | {"has_modules": True})


@require_POST
@workspace_view()
def patch_withdraw(request, uuid):
    patch = _patch(request, uuid, "tickets.change_patch")
    ticket, programme = patch.ticket, patch.module.programme
    withdraw_patch(patch=patch, actor=request.user, author=request.person)
    messages.success(request, _("Addition withdrawn: nobody sees it any more."))
    if ticket is not None and principal_has_perm(request, "tickets.view_ticket", ticket):
        return redirect("tickets:ticket", ticket.uuid)
    return redirect("programmes:programme_detail", programme.uuid)
