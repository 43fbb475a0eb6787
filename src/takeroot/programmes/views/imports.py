"""Enrolment import: upload a cohort's participant list → preview with every row's errors → confirm.

Nothing is written before the confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.imports import ImportFileError
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view

from ..forms import EnrolmentImportForm
from ..imports import FLAGS, apply_enrolment_import, preview_enrolment_import
from ..models import Cohort, Enrolment, EnrolmentImport
from ..queries import cohorts_for_workspace


def _cohort(request, uuid) -> Cohort:
    """The cohort in the current workspace (else 404) that the viewer may manage (else 403)."""
    cohort = get_or_404(cohorts_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, "programmes.manage_cohort", cohort)
    return cohort


@workspace_view()
def enrolment_import_upload(request, uuid):
    cohort = _cohort(request, uuid)
    form = EnrolmentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_import = preview_enrolment_import(
                cohort=cohort, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("programmes:enrolment_import_preview", uuid=cohort.uuid, import_uuid=enrolment_import.uuid)
    return render(request, "programmes/import_upload.html", {"cohort": cohort, "form": form})


def _needs(row: dict) -> list[str]:
    """The accommodations a row asks for, in words; an empty list when the row asks for none."""
    needs = [str(Enrolment._meta.get_field(key).verbose_name) for key in FLAGS if row[key]]
    return [*needs, row["accommodation_notes"]] if row["accommodation_notes"] else needs


@workspace_view()
def enrolment_import_preview(request, uuid, import_uuid):
    cohort = _cohort(request, uuid)
    enrolment_import = get_or_404(EnrolmentImport.objects.filter(cohort=cohort), uuid=import_uuid)
    if request.method == "POST" and enrolment_import.applied_at is None:
        try:
            summary = apply_enrolment_import(enrolment_import=enrolment_import, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Import done: %(create)s enrolled, %(update)s updated, %(unchanged)s unchanged.") % summary
            )
            return redirect("programmes:cohort_detail", uuid=cohort.uuid)
    errors_by_line: dict[int, list[dict]] = {}
    for error in enrolment_import.errors:
        errors_by_line.setdefault(error["line"], []).append(error)
    rows = [
        {**row, "needs": _needs(row), "errors": errors_by_line.get(row["line"], [])} for row in enrolment_import.rows
    ]
    # Rows with errors first: they are what the trainer has to fix.
    rows.sort(key=lambda row: (not row["errors"], row["line"]))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/import_preview.html",
        {"cohort": cohort, "enrolment_import": enrolment_import, "page": page, "query": request.GET.copy()},
    )
