"""Workspace administration: settings, API keys and the audit log."""

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..enums import AuditAction
from ..forms import ApiKeyForm, WorkspaceForm
from ..models import Workspace, WorkspaceOwned
from ..queries import api_keys_for_workspace, audit_entries_for_workspace
from .helpers import get_or_404, workspace_view


def record_types() -> dict[str, str]:
    """Every kind of record the audit log can name, by model name, with its translated name."""
    return {
        model._meta.model_name: capfirst(model._meta.verbose_name)
        for model in apps.get_models()
        if issubclass(model, WorkspaceOwned) or model is Workspace
    }


@workspace_view("core.view_audit_log")
def audit_log(request):
    types = record_types()
    filters = {
        "object_type": request.GET.get("object_type", "") if request.GET.get("object_type") in types else "",
        "action": request.GET.get("action", "") if request.GET.get("action") in AuditAction.values else "",
        "actor": request.GET.get("actor", "").strip(),
        "search": request.GET.get("q", "").strip(),
    }
    entries = audit_entries_for_workspace(request.workspace, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.type_label = types.get(entry.object_type, entry.object_type)
    return render(
        request,
        "core/admin/audit.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": sorted(types.items(), key=lambda item: str(item[1])),
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
