"""File imports over JSON: check or import a file (multipart), list, read and remove imports, and
the saved sources (column mappings).

An import or source named in the path is looked up in the caller's workspace (else 404), then the
rule decides (403): admins any cohort, trainers the cohorts they train. An API key reads with
``tracking:read`` and imports, removes and saves with ``tracking:write``.
"""

import datetime
import json
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from takeroot.core.api_support import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    api_actor,
    api_workspace,
    is_api_key,
    require_api_perm,
)
from takeroot.core.imports.parse import ImportFileError
from takeroot.core.pagination import Pages
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Cohort

from ..enums import ImportKind
from ..imports import (
    FIELDS,
    Preview,
    delete_source,
    guess_columns,
    import_activity,
    importable_cohorts,
    imports_for_user,
    imports_for_workspace,
    positions_of,
    preview_import,
    read_upload,
    remove_import,
    save_source,
    sources_for_workspace,
)
from ..models import ActivityImport, ImportSource

router = Router()

IMPORT = "tracking.import_activity"
READ = "tracking.view_indicators"  # admins and trainers: the same people who import
API_KEY_SCOPES.update({IMPORT: "tracking:write", READ: "tracking:read"})


# Schemas -----------------------------------------------------------------------------------------


class RowOut(Schema):
    line: int
    email: str
    name: str = Field(description="The participant's name when the email is enrolled in the cohort")
    date: str = Field(description="ISO date; empty when the date cell has a problem")
    module: str = Field(description="The module's title; empty for none")
    value: float | None = Field(description="The normalised value (see the inputs): 1/0, minutes, or a share 0–1")
    replaces: bool = Field(description="Takes the place of a value an earlier import recorded")
    errors: list[str]


class ProblemOut(Schema):
    line: int
    column: str
    message: str


class PreviewOut(ErrorOut):
    """A checked file: every row as it will be recorded, and every problem (any problem blocks the
    import). The error fields are those of every 400 answer."""

    kind: ImportKind | None = None
    cohort: UUID | None = None
    columns: dict[str, str] = Field(default_factory=dict, description="Field → the file's column title")
    records: int = Field(0, description="Rows that would be recorded (0 when there is a problem)")
    replacing: int = Field(0, description="Of those, rows that replace values imported before")
    ignored: list[str] = Field(default_factory=list, description="The file's columns no field reads")
    problems: list[ProblemOut] = Field(default_factory=list)
    rows: list[RowOut] = Field(default_factory=list)


class ImportOut(Schema):
    id: UUID
    filename: str
    kind: ImportKind
    cohort: UUID
    source: UUID | None
    columns: dict[str, str] = Field(description="Field → the file's column title")
    records: int = Field(description="Activity records this import holds now")
    replaced: int = Field(description="Rows that replaced values of earlier imports when it was made")
    created_by: str | None
    created_at: datetime.datetime


class SourceOut(Schema):
    id: UUID
    name: str
    kind: ImportKind
    columns: dict[str, str]
    created_at: datetime.datetime


class SourceIn(InputSchema):
    name: str = Field(max_length=200)
    kind: ImportKind
    columns: dict[str, str] = Field(description="Field (email, date, module, attended, minutes, …) → column title")


def _field_keys(kind: str) -> set[str]:
    return {spec.key for spec in FIELDS[kind]}


def _import_out(activity_import: ActivityImport) -> dict:
    keys = _field_keys(activity_import.kind)
    return {
        "id": activity_import.uuid,
        "filename": activity_import.filename,
        "kind": activity_import.kind,
        "cohort": activity_import.cohort.uuid,
        "source": activity_import.source.uuid if activity_import.source else None,
        "columns": {key: title for key, title in activity_import.columns.items() if key in keys},
        "records": activity_import.records,
        "replaced": activity_import.replaced,
        "created_by": str(activity_import.created_by) if activity_import.created_by else None,
        "created_at": activity_import.created_at,
    }


def _source_out(source: ImportSource) -> dict:
    fields = ("name", "kind", "columns", "created_at")
    return {"id": source.uuid, **{name: getattr(source, name) for name in fields}}


def _preview_out(preview: Preview, header: list[str], columns: dict[str, int], detail: str = "") -> dict:
    return {
        "detail": detail,
        "kind": preview.kind,
        "cohort": preview.cohort.uuid,
        "columns": {key: header[position] for key, position in columns.items()},
        "records": len(preview.facts),
        "replacing": preview.replacing if not preview.errors else 0,
        "ignored": preview.ignored,
        "problems": preview.errors,
        "rows": [row.__dict__ for row in preview.rows],
    }


# Imports -----------------------------------------------------------------------------------------


def _user(request):
    """Whose cohorts count: the signed-in person's, or every cohort for an API key."""
    return None if is_api_key(request) else request.user


def _cohort(request, uuid: UUID) -> Cohort:
    cohort = Cohort.objects.filter(workspace=api_workspace(request), uuid=uuid).select_related("workspace").first()
    if cohort is None:
        raise Http404
    require_api_perm(request, IMPORT, cohort)
    if not importable_cohorts(_user(request), workspace=cohort.workspace).filter(pk=cohort.pk).exists():
        raise PermissionDenied  # a trainer, but not of this cohort
    return cohort


def _columns(text: str, header: list[str], kind: str, source: ImportSource | None) -> dict[str, int]:
    """The columns the caller named (field → title), or else those guessed from the header."""
    if not text.strip():
        return guess_columns(header, kind, source.columns if source else None)
    try:
        titles = json.loads(text)
    except ValueError:
        titles = None
    if not isinstance(titles, dict) or not all(isinstance(value, str) for value in titles.values()):
        raise ValidationError({"columns": [_("Send the columns as a JSON object: field → column title.")]})
    unknown = sorted(set(titles) - _field_keys(kind))
    if unknown:
        raise ValidationError(
            {"columns": [_("Not a field of this kind of file: %(keys)s") % {"keys": ", ".join(unknown)}]}
        )
    positions = positions_of(header, titles)
    missing = sorted(set(titles) - set(positions))
    if missing:
        raise ValidationError(
            {"columns": [_("Not a column of the file: %(titles)s") % {"titles": ", ".join(titles[k] for k in missing)}]}
        )
    return positions


class ImportForm(Schema):
    cohort: UUID = Field(description="The cohort the file's participants are enrolled in")
    kind: ImportKind | None = Field(None, description="What the file holds; not needed with a source")
    source: UUID | None = Field(None, description="A saved source: its kind and column mapping")
    columns: str = Field(
        "",
        description='JSON object, field → column title, e.g. {"email": "E-mail"}; '
        "empty: chosen from the headers (and the source)",
    )
    dry_run: bool = Field(False, description="Only check the file and answer the preview; nothing is saved")


@router.post(
    "tracking/imports",
    response={
        200: PreviewOut,
        201: ImportOut,
        400: PreviewOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Check a CSV or XLSX file of learning data and import it, all or nothing (dry_run: only check)",
)
def create_import(request, file: File[UploadedFile], data: Form[ImportForm]):
    cohort = _cohort(request, data.cohort)
    source = None
    if data.source is not None:
        source = sources_for_workspace(cohort.workspace).filter(uuid=data.source).first()
        if source is None:
            raise ValidationError({"source": [_("There is no saved source with this id in the workspace.")]})
        if data.kind and data.kind != source.kind:
            raise ValidationError({"kind": [_("The source holds another kind of file.")]})
    kind = source.kind if source else data.kind
    if not kind:
        raise ValidationError({"kind": [_("Say what the file holds, or name a saved source.")]})
    try:
        upload = read_upload(file)
    except ImportFileError as error:
        raise ValidationError({"file": [str(error)]}) from None
    columns = _columns(data.columns, upload.header, kind, source)
    preview = preview_import(cohort=cohort, kind=kind, upload=upload, columns=columns)
    if preview.errors:
        detail = ngettext(
            "The file has %(count)s problem. Nothing was imported.",
            "The file has %(count)s problems. Nothing was imported.",
            len(preview.errors),
        ) % {"count": len(preview.errors)}
        return Status(200 if data.dry_run else 400, _preview_out(preview, upload.header, columns, detail))
    if data.dry_run:
        return _preview_out(preview, upload.header, columns)
    activity_import = import_activity(
        preview=preview, upload=upload, columns=columns, actor=api_actor(request), source=source
    )
    return Status(201, _import_out(_reread(activity_import)))


def _reread(activity_import: ActivityImport) -> ActivityImport:
    return imports_for_workspace(activity_import.workspace).get(pk=activity_import.pk)


def _visible_import(request, uuid: UUID, perm: str) -> ActivityImport:
    workspace = api_workspace(request)
    activity_import = imports_for_workspace(workspace).filter(uuid=uuid).first()
    if activity_import is None:
        raise Http404
    require_api_perm(request, perm, activity_import)
    if not imports_for_user(_user(request), workspace=workspace).filter(pk=activity_import.pk).exists():
        raise PermissionDenied
    return activity_import


class _Imports:
    """The imports as the paginator sees them: counted and sliced in the database."""

    def __init__(self, imports):
        self.imports = imports

    def count(self) -> int:
        return self.imports.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        page = list(self.imports[index])
        return [_import_out(item) for item in page]


@router.get(
    "tracking/imports",
    response={200: list[ImportOut], **READ_ERRORS},
    summary="Past imports you may see (admins all, trainers their cohorts'), newest first",
)
@paginate(Pages, page_size=50)
def list_imports(request):
    workspace = api_workspace(request)
    require_api_perm(request, READ, workspace)
    return _Imports(imports_for_user(_user(request), workspace=workspace).order_by("-created_at", "-pk"))


@router.get("tracking/imports/{uuid}", response={200: ImportOut, **READ_ERRORS}, summary="One import")
def get_import(request, uuid: UUID):
    activity_import = _visible_import(request, uuid, READ)
    return _import_out(activity_import)


@router.delete(
    "tracking/imports/{uuid}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an import: its records leave the indicators",
)
def delete_import(request, uuid: UUID):
    activity_import = _visible_import(request, uuid, IMPORT)
    remove_import(activity_import=activity_import, actor=api_actor(request))
    return Status(204, None)


# Saved sources -----------------------------------------------------------------------------------


@router.get("tracking/import-sources", response={200: list[SourceOut], **READ_ERRORS}, summary="Saved column mappings")
def list_sources(request):
    workspace = api_workspace(request)
    require_api_perm(request, READ, workspace)
    return [_source_out(source) for source in sources_for_workspace(workspace)]


@router.post(
    "tracking/import-sources",
    response={201: SourceOut, **WRITE_ERRORS},
    summary="Save a column mapping under a name (a source of the same name and kind is updated)",
)
def create_source(request, payload: SourceIn):
    workspace = api_workspace(request)
    require_api_perm(request, IMPORT, workspace)
    unknown = sorted(set(payload.columns) - _field_keys(payload.kind))
    if unknown:
        raise ValidationError(
            {"columns": [_("Not a field of this kind of file: %(keys)s") % {"keys": ", ".join(unknown)}]}
        )
    source = save_source(
        workspace=workspace, actor=api_actor(request), name=payload.name, kind=payload.kind, columns=payload.columns
    )
    return Status(201, _source_out(source))


@router.delete(
    "tracking/import-sources/{uuid}", response={204: None, **WRITE_ERRORS}, summary="Delete a saved column mapping"
)
def delete_source_endpoint(request, uuid: UUID):
    source = sources_for_workspace(api_workspace(request)).filter(uuid=uuid).first()
    if source is None:
        raise Http404
    require_api_perm(request, IMPORT, source)
    delete_source(source=source, actor=api_actor(request))
    return Status(204, None)
