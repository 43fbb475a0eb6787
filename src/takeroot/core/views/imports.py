"""People import: upload → preview with every row's errors → confirm. Nothing is written before."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..enums import ImportState
from ..forms import ImportForm
from ..imports import ImportFileError, apply_people_import, preview_people_import
from ..models import PeopleImport
from .helpers import get_or_404, workspace_view


@workspace_view("core.import_people")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_import = preview_people_import(
                workspace=request.workspace, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("core:import_preview", uuid=people_import.uuid)
    return render(request, "core/people/import_upload.html", {"form": form})


@workspace_view("core.import_people")
def import_preview(request, uuid):
    people_import = get_or_404(PeopleImport.objects.filter(workspace=request.workspace), uuid=uuid)
    if request.method == "POST" and people_import.state == ImportState.PREVIEW:
        try:
            summary = apply_people_import(people_import=people_import, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Import done: %(create)s added, %(update)s updated, %(unchanged)s unchanged.") % summary
            )
            return redirect("core:person_list")
    errors_by_line: dict[int, list[dict]] = {}
    for error in people_import.errors:
        errors_by_line.setdefault(error["line"], []).append(error)
    rows = [{**row, "errors": errors_by_line.get(row["line"], [])} for row in people_import.rows]
    # Rows with errors first: they are what the admin has to fix.
    rows.sort(key=lambda row: (not row["errors"], row["line"]))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "core/people/import_preview.html",
        {
            "people_import": people_import,
            "page": page,
            "query": request.GET.copy(),
            "file_errors": errors_by_line.get(0, []),
        },
    )
