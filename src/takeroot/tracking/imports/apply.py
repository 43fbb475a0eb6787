"""Writing an import, all or nothing, and taking one away again; saved sources."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import record_audit

from ..models import ActivityImport, ActivityRecord, ImportSource
from ..recording import Fact, record, unrecord
from .columns import FIELDS, titles_of
from .pending import Upload
from .preview import CHUNK, Preview


def import_activity(
    *, preview: Preview, upload: Upload, columns: dict[str, int], actor: User | None, source: ImportSource | None = None
) -> ActivityImport:
    """Record a checked file's rows as activity records of a new ``ActivityImport``, in one
    transaction: every row or none.

    A row whose participant, module and day an earlier import already recorded takes the place of
    that value (the earlier import's count goes down), so importing a file twice never doubles
    anything. Side effects: the records and their rollups (``recording.record``, which queues the
    touched enrolments' at-risk evaluation on commit), one audit entry. Raises ``ValidationError``
    when the preview has errors. Called by admins and the cohort's trainers, and API keys with
    ``tracking:write``; the caller checked the permission."""
    if preview.errors:
        raise ValidationError(_("The file has problems. Nothing was imported."))
    cohort = preview.cohort
    with transaction.atomic():
        earlier = _imports_holding(cohort.workspace, [fact.key for fact in preview.facts])
        activity_import = ActivityImport.objects.create(
            workspace=cohort.workspace,
            source=source,
            cohort=cohort,
            kind=preview.kind,
            filename=upload.filename,
            columns=titles_of(upload.header, columns),
            replaced=preview.replacing,
            created_by=actor,
        )
        facts = [_of_import(fact, activity_import.pk) for fact in preview.facts]
        activity_import.records = record(cohort.workspace, facts, replace=True)
        activity_import.save(update_fields=["records"])
        _recount(earlier)
        record_audit(
            workspace=cohort.workspace,
            actor=actor,
            action=AuditAction.IMPORTED,
            obj=activity_import,
            changes={
                "cohort": (None, str(cohort)),
                "kind": (None, activity_import.get_kind_display()),
                "records": (None, activity_import.records),
                "replaced": (None, preview.replacing),
            },
        )
    return activity_import


def _of_import(fact: Fact, activity_import_id: int) -> Fact:
    return Fact(**{**fact.__dict__, "activity_import_id": activity_import_id})


def _imports_holding(workspace: Workspace, keys: list[str]) -> set[int]:
    """The earlier imports that recorded any of these keys (their counts change)."""
    holding = set()
    for start in range(0, len(keys), CHUNK):
        holding |= set(
            ActivityRecord.objects.filter(workspace=workspace, key__in=keys[start : start + CHUNK])
            .exclude(activity_import=None)
            .values_list("activity_import_id", flat=True)
            .distinct()
        )
    return holding


def _recount(import_ids: set[int]) -> None:
    if not import_ids:
        return
    counts = dict(
        ActivityRecord.objects.filter(activity_import_id__in=import_ids)
        .values_list("activity_import_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for activity_import in ActivityImport.objects.filter(pk__in=import_ids):
        activity_import.records = counts.get(activity_import.pk, 0)
        activity_import.save(update_fields=["records"])


def remove_import(*, activity_import: ActivityImport, actor: User | None) -> int:
    """Take an import away: its records leave the indicators (``recording.unrecord``) and the
    import is deleted; return how many records went. Side effects: one audit entry, and the
    touched enrolments' at-risk evaluation queued on commit. Called by whoever may import into
    its cohort; the caller checked the permission."""
    workspace = activity_import.workspace
    with transaction.atomic():
        removed = unrecord(
            workspace, ActivityRecord.objects.filter(workspace=workspace, activity_import=activity_import)
        )
        record_audit(
            workspace=workspace,
            actor=actor,
            action=AuditAction.DELETED,
            obj=activity_import,
            changes={"records": (removed, None)},
        )
        activity_import.delete()
    return removed


def save_source(
    *, workspace: Workspace, actor: User | None, name: str, kind: str, columns: dict[str, str]
) -> ImportSource:
    """Save a column mapping (field key → column title) under a name, to start the next file of
    the same kind from it. A source of the same name and kind is updated; the same name for
    another kind is refused. Side effect: one audit entry."""
    name = " ".join(name.split())
    known = {spec.key for spec in FIELDS[kind]}
    columns = {key: title for key, title in columns.items() if key in known and title}
    if not name:
        raise ValidationError({"name": [_("Give the source a name.")]})
    source = ImportSource.objects.filter(workspace=workspace, name=name).first()
    if source is not None and source.kind != kind:
        raise ValidationError(
            {"name": [_("“%(name)s” is already the name of a source of another kind.") % {"name": name}]}
        )
    with transaction.atomic():
        if source is None:
            try:
                with transaction.atomic():
                    source = ImportSource.objects.create(
                        workspace=workspace, name=name, kind=kind, columns=columns, created_by=actor
                    )
            except IntegrityError:  # created in the meantime by a second click
                raise ValidationError({"name": [_("A source with this name already exists.")]}) from None
            action, changes = AuditAction.CREATED, {"columns": (None, columns)}
        else:
            action, changes = AuditAction.CHANGED, {"columns": (source.columns, columns)}
            source.columns = columns
            source.save(update_fields=["columns"])
        record_audit(workspace=workspace, actor=actor, action=action, obj=source, changes=changes)
    return source


def delete_source(*, source: ImportSource, actor: User | None) -> None:
    """Delete a saved mapping; the imports made with it keep their own copy. One audit entry."""
    with transaction.atomic():
        record_audit(workspace=source.workspace, actor=actor, action=AuditAction.DELETED, obj=source)
        source.delete()
