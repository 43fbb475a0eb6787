"""File imports (admins, and trainers for the cohorts they train): upload → choose the columns →
preview with every row's problems → import, all or nothing; the list of past imports, where an
import can be removed; saved sources.

The uploaded file stays on the server between the steps (``imports.pending``), so the preview can
send the admin back to the column mapping without asking for the file again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from ..enums import ImportKind
from ..forms_imports import ColumnsForm, UploadForm
from ..imports import (
    delete_source,
    guess_columns,
    import_activity,
    importable_cohorts,
    imports_for_user,
    imports_for_workspace,
    preview_import,
    remove_import,
    save_source,
    sources_for_workspace,
)
from ..imports.pending import Upload, forget_upload, keep_upload, load_upload, save_upload

PERM = "tracking.import_activity"
SAMPLE_ROWS = 3


@workspace_view(PERM)
def import_list(request):
    imports = imports_for_user(request.user, workspace=request.workspace).order_by("-created_at", "-pk")
    page = Paginator(imports, 50).get_page(request.GET.get("page"))
    rows = [(item, item.cohort) for item in page.object_list]
    context = {"page": page, "rows": rows, "sources": sources_for_workspace(request.workspace), "query": request.GET}
    return render(request, "tracking/imports/list.html", context)


@workspace_view(PERM)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        upload: Upload = form.cleaned_data["upload"]
        source = form.cleaned_data["source"]
        upload.cohort, upload.kind = str(form.cleaned_data["cohort"].uuid), form.cleaned_data["kind"]
        upload.source = str(source.uuid) if source else ""
        upload.columns = guess_columns(upload.header, upload.kind, source.columns if source else None)
        token = keep_upload(request, upload)
        return redirect("tracking:import_columns", token=token)
    return render(request, "tracking/imports/upload.html", {"form": form})


def _pending(request, token: str):
    """The session's upload and its cohort (else 404: another session's token, or gone)."""
    upload = load_upload(request, token)
    if upload is None:
        raise Http404
    cohort = importable_cohorts(request.user, workspace=request.workspace).filter(uuid=upload.cohort).first()
    if cohort is None:
        raise Http404
    return upload, cohort


def _source(request, upload: Upload):
    return sources_for_workspace(request.workspace).filter(uuid=upload.source).first() if upload.source else None


@workspace_view(PERM)
def import_columns(request, token):
    upload, cohort = _pending(request, token)
    source = _source(request, upload)
    initial = ColumnsForm.initial_from(upload.columns) | {"save_as": source.name if source else ""}
    form = ColumnsForm(request.POST or None, header=upload.header, kind=upload.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload.columns = form.cleaned_data["positions"]
        name = form.cleaned_data["save_as"]
        try:
            if name:
                titles = {key: upload.header[position] for key, position in upload.columns.items()}
                saved = save_source(
                    workspace=request.workspace, actor=request.user, name=name, kind=upload.kind, columns=titles
                )
                upload.source = str(saved.uuid)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            save_upload(request, token, upload)
            return redirect("tracking:import_preview", token=token)
    samples = [cells + [""] * (len(upload.header) - len(cells)) for _line, cells, _f in upload.records[:SAMPLE_ROWS]]
    context = {
        "form": form,
        "upload": upload,
        "cohort": cohort,
        "kind": ImportKind(upload.kind).label,
        "samples": samples,
        "token": token,
    }
    return render(request, "tracking/imports/columns.html", context)


def shown_value(kind: str, value: float | None) -> str:
    """A recorded value as the admin reads it in the file's terms."""
    if value is None:
        return "—"
    if kind == ImportKind.ATTENDANCE:
        return _("Present") if value else _("Absent")
    if kind == ImportKind.TIME_ONLINE:
        return _("%(minutes)s min") % {"minutes": number_format(value, decimal_pos=0 if value.is_integer() else 1)}
    return _("%(percent)s %%") % {
        "percent": number_format(value * 100, decimal_pos=0 if (value * 100).is_integer() else 1)
    }


@workspace_view(PERM)
def import_preview(request, token):
    upload, cohort = _pending(request, token)
    try:
        preview = preview_import(cohort=cohort, kind=upload.kind, upload=upload, columns=upload.columns)
    except ValidationError:  # the saved mapping no longer fits: choose the columns again
        return redirect("tracking:import_columns", token=token)
    if request.method == "POST":
        try:
            activity_import = import_activity(
                preview=preview,
                upload=upload,
                columns=upload.columns,
                actor=request.user,
                source=_source(request, upload),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            forget_upload(request, token)
            messages.success(
                request,
                ngettext(
                    "Import done: %(count)s record from %(file)s.",
                    "Import done: %(count)s records from %(file)s.",
                    activity_import.records,
                )
                % {"count": activity_import.records, "file": activity_import.filename},
            )
            return redirect("tracking:imports")
    rows = [{**row.__dict__, "shown": shown_value(upload.kind, row.value)} for row in preview.rows]
    rows.sort(key=lambda row: (not row["errors"], row["line"]))  # what needs fixing first
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context = {
        "preview": preview,
        "upload": upload,
        "cohort": cohort,
        "kind": ImportKind(upload.kind).label,
        "page": page,
        "query": request.GET,
        "token": token,
        "valid": len(preview.facts),
    }
    return render(request, "tracking/imports/preview.html", context)


def _import(request, uuid):
    """An import of the workspace (else 404) that the viewer may see (else 403)."""
    activity_import = get_or_404(imports_for_workspace(request.workspace), uuid=uuid)
    if not imports_for_user(request.user, workspace=request.workspace).filter(pk=activity_import.pk).exists():
        raise PermissionDenied
    return activity_import


@workspace_view(PERM)
def import_remove(request, uuid):
    activity_import = _import(request, uuid)
    if request.method == "POST":
        removed = remove_import(activity_import=activity_import, actor=request.user)
        messages.success(
            request,
            ngettext(
                "Import removed: %(count)s record left the indicators.",
                "Import removed: %(count)s records left the indicators.",
                removed,
            )
            % {"count": removed},
        )
        return redirect("tracking:imports")
    context = {"activity_import": activity_import, "cohort": activity_import.cohort}
    return render(request, "tracking/imports/remove.html", context)


@require_POST
@workspace_view(PERM)
def source_delete(request, uuid):
    source = get_or_404(sources_for_workspace(request.workspace), uuid=uuid)
    delete_source(source=source, actor=request.user)
    messages.success(request, _("Saved source “%(name)s” deleted.") % {"name": source.name})
    return redirect("tracking:imports")


urlpatterns = [
    path("tracking/imports/", import_list, name="imports"),
    path("tracking/imports/new/", import_upload, name="import_upload"),
    path("tracking/imports/new/<str:token>/", import_columns, name="import_columns"),
    path("tracking/imports/new/<str:token>/preview/", import_preview, name="import_preview"),
    path("tracking/imports/<uuid:uuid>/remove/", import_remove, name="import_remove"),
    path("tracking/imports/sources/<uuid:uuid>/delete/", source_delete, name="import_source_delete"),
]
