"""Initiative import: upload a list of initiatives → preview with every row's errors → confirm.

Nothing is written before the confirmation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.imports import ImportFileError
from takeroot.core.views.helpers import get_or_404, workspace_view

from ..enums import InitiativeKind
from ..imports import apply_initiative_import, preview_initiative_import
from ..models import InitiativeImport


class InitiativeImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Initiatives file (CSV or XLSX)"))


@workspace_view("catalogue.manage_catalogue")
def initiative_import_upload(request):
    form = InitiativeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative_import = preview_initiative_import(
                workspace=request.workspace, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("catalogue:initiative_import_preview", uuid=initiative_import.uuid)
    return render(request, "catalogue/import_upload.html", {"form": form, "kinds": InitiativeKind.choices})


@workspace_view("catalogue.manage_catalogue")
def initiative_import_preview(request, uuid):
    initiative_import = get_or_404(InitiativeImport.objects.filter(workspace=request.workspace), uuid=uuid)
    if request.method == "POST" and initiative_import.applied_at is None:
        try:
            summary = apply_initiative_import(initiative_import=initiative_import, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Import done: %(create)s added, %(update)s updated, %(unchanged)s unchanged.") % summary
            )
            return redirect("catalogue:catalogue")
    errors_by_line: dict[int, list[dict]] = {}
    for error in initiative_import.errors:
        errors_by_line.setdefault(error["line"], []).append(error)
    kinds = dict(InitiativeKind.choices)
    rows = [
        {**row, "kind_label": kinds.get(row.get("kind"), ""), "errors": errors_by_line.get(row["line"], [])}
        for row in initiative_import.rows
    ]
    # Rows with errors first: they are what the admin has to fix.
    rows.sort(key=lambda row: (not row["errors"], row["line"]))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/import_preview.html",
        {"initiative_import": initiative_import, "page": page, "query": request.GET.copy()},
    )
