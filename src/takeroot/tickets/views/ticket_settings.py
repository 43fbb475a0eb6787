"""The workspace's ticket settings (admins): the response-time promise and its clock, the warning
and auto-close times, and the routing rules (add, change, delete)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from ..clock import settings_for
from ..models import RoutingRule
from ..settings_forms import (
    RoutingRuleForm,
    TicketSettingsForm,
    delete_routing_rule,
    save_routing_rule,
    save_ticket_settings,
)

PERM = "tickets.change_settings"


def _rules(workspace):
    return RoutingRule.objects.filter(workspace=workspace).select_related("programme", "person__user")


def _page(request, *, form=None, rule_form=None, status=200):
    current = settings_for(request.workspace)
    context = {
        "form": form or TicketSettingsForm(initial=TicketSettingsForm.initial_from(current)),
        "rule_form": rule_form or RoutingRuleForm(workspace=request.workspace),
        "rules": _rules(request.workspace),
    }
    return render(request, "tickets/settings.html", context, status=status)


@workspace_view(PERM)
def ticket_settings(request):
    if request.method != "POST":
        return _page(request)
    form = TicketSettingsForm(request.POST)
    if form.is_valid():
        try:
            save_ticket_settings(workspace=request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ticket settings saved. They count for tickets raised from now on."))
            return redirect("tickets:settings")
    return _page(request, form=form)


@require_POST
@workspace_view(PERM)
def rule_create(request):
    form = RoutingRuleForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            save_routing_rule(workspace=request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Routing rule added."))
            return redirect("tickets:settings")
    return _page(request, rule_form=form)


@workspace_view(PERM)
def rule_edit(request, uuid):
    rule = get_or_404(_rules(request.workspace), uuid=uuid)
    form = RoutingRuleForm(request.POST or None, workspace=request.workspace, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            save_routing_rule(workspace=request.workspace, actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Routing rule saved."))
            return redirect("tickets:settings")
    return render(request, "tickets/settings_rule.html", {"form": form, "rule": rule})


@require_POST
@workspace_view(PERM)
def rule_delete(request, uuid):
    rule = get_or_404(_rules(request.workspace), uuid=uuid)
    delete_routing_rule(rule=rule, actor=request.user)
    messages.success(request, _("Routing rule deleted: these tickets follow the defaults again."))
    return redirect("tickets:settings")
