"""Workspace administration: settings, API keys and the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..enums import AuditAction
from ..forms import ApiKeyForm, WorkspaceForm
from ..queries import api_keys_for_workspace, audit_entries_for_workspace
from .helpers import get_or_404, workspace_view

AUDIT_OBJECT_TYPES = ["person", "team", "workspace", "apikey", "peopleimport"]


@workspace_view("core.view_audit_log")
def audit_log(request):
    filters = {
        "object_type": request.GET.get("object_type", "")
        if request.GET.get("object_type") in AUDIT_OBJECT_TYPES
        else "",
        "action": request.GET.get("action", "") if request.GET.get("action") in AuditAction.values else "",
        "actor": request.GET.get("actor", "").strip(),
        "search": request.GET.get("q", "").strip(),
    }
    entries = audit_entries_for_workspace(request.workspace, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/admin/audit.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": AUDIT_OBJECT_TYPES,
            "query": request.GET.copy(),
        },
    )


@workspace_view("core.change_workspace")
def workspace_settings(request):
    workspace = request.workspace
    form = WorkspaceForm(request.POST or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        services.update_workspace(
            workspace=workspace, actor=request.user, **{field: form.cleaned_data[field] for field in form.Meta.fields}
        )
        messages.success(request, _("Changes saved."))
        return redirect("core:workspace_settings")
    return render(request, "core/admin/settings.html", {"form": form})


@workspace_view("core.manage_api_keys")
def api_keys(request):
    form = ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _key, secret = services.create_api_key(
            workspace=request.workspace,
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        form = ApiKeyForm()
    return render(
        request,
        "core/admin/api_keys.html",
        {
            "form": form,
            "secret": secret,
            "keys": api_keys_for_workspace(request.workspace),
        },
    )


@require_POST
@workspace_view("core.manage_api_keys")
def api_key_revoke(request, uuid):
    key = get_or_404(api_keys_for_workspace(request.workspace), uuid=uuid)
    services.revoke_api_key(key=key, actor=request.user)
    messages.success(request, _("The key “%(name)s” was revoked.") % {"name": key.name})
    return redirect("core:api_keys")
