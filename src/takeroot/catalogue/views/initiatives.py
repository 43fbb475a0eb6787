"""The catalogue: an editable table for fast entry, and a page per initiative."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import services
from ..enums import InitiativeKind
from ..forms import InitiativeForm, InitiativeTable
from ..queries import initiative_facts, initiatives_for_workspace


def _filtered(request):
    initiatives = initiatives_for_workspace(request.workspace)
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    if kind in InitiativeKind.values:
        initiatives = initiatives.filter(kind=kind)
    if year.isdigit():
        initiatives = initiatives.filter(starts_on__year=int(year))
    return initiatives, {"kind": kind if kind in InitiativeKind.values else "", "year": year if year.isdigit() else ""}


@workspace_view("catalogue.view_catalogue")
def catalogue(request):
    """Everyone who may read the catalogue sees the table; admins edit it in place and add rows."""
    initiatives, filters = _filtered(request)
    can_manage = request.user.has_perm("catalogue.manage_catalogue", request.workspace)
    table = None
    if can_manage:
        table = InitiativeTable(request.POST or None, queryset=initiatives)
        if request.method == "POST" and table.is_valid():
            try:
                saved = _save_table(request, table)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Saved: %(count)s initiatives.") % {"count": saved})
                return redirect(request.get_full_path())
    rows = list(initiatives)
    facts = initiative_facts(rows)
    for row in rows:
        row.facts = facts[row.pk]
    years = sorted(
        {i.starts_on.year for i in initiatives_for_workspace(request.workspace) if i.starts_on}, reverse=True
    )
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "table": table,
            "rows": rows,
            "facts": initiative_facts(rows),
            "filters": filters,
            "kinds": InitiativeKind.choices,
            "years": years,
        },
    )


@transaction.atomic
def _save_table(request, table) -> int:
    """Every changed or new row through the services, all or nothing."""
    saved = 0
    changed = [form for form in table.forms if form.has_changed()]
    # The forms changed their own instances while validating; the services compare against the
    # saved rows to record what changed.
    originals = initiatives_for_workspace(request.workspace).in_bulk([f.instance.pk for f in changed if f.instance.pk])
    for form in changed:
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if form.instance.pk:
            services.update_initiative(initiative=originals[form.instance.pk], actor=request.user, **fields)
        else:
            services.create_initiative(
                workspace=request.workspace, actor=request.user, **{**form.cleaned_data, **fields}
            )
        saved += 1
    return saved


@workspace_view("catalogue.view_catalogue")
def initiative_edit(request, uuid=None):
    initiative = get_or_404(initiatives_for_workspace(request.workspace), uuid=uuid) if uuid else None
    can_manage = request.user.has_perm("catalogue.manage_catalogue", request.workspace)
    if not can_manage and (request.method == "POST" or initiative is None):
        raise PermissionDenied
    copy = type(initiative).objects.get(pk=initiative.pk) if initiative else None
    form = InitiativeForm(request.POST or None, instance=copy, workspace=request.workspace)
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        teams, people = data.pop("teams"), data.pop("people")
        try:
            if initiative:
                services.update_initiative(
                    initiative=initiative, actor=request.user, teams=teams, people=people, **data
                )
            else:
                initiative = services.create_initiative(
                    workspace=request.workspace, actor=request.user, teams=teams, people=people, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Initiative saved."))
            return redirect("catalogue:catalogue")
    facts = initiative_facts([initiative])[initiative.pk] if initiative else None
    return render(
        request,
        "catalogue/initiative_form.html",
        {
            "form": form,
            "initiative": initiative,
            "facts": facts,
            "can_manage": can_manage,
        },
    )


@workspace_view("catalogue.manage_catalogue")
def initiative_delete(request, uuid):
    initiative = get_or_404(initiatives_for_workspace(request.workspace), uuid=uuid)
    if request.method == "POST":
        services.delete_initiative(initiative=initiative, actor=request.user)
        messages.success(request, _("Initiative deleted."))
        return redirect("catalogue:catalogue")
    return render(request, "catalogue/initiative_delete.html", {"initiative": initiative})
