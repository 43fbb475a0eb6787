"""Writing the scheduler's plan to the ``Touchpoint`` table.

``materialise`` writes only ``scheduled`` touchpoints: it creates the missing ones, moves those
whose planned due time changed and cancels those no longer planned; touchpoints that were sent,
opened, done, skipped or failed are never touched. Touchpoints the scheduler itself cancelled
(their reason is one of ``SCHEDULER_REASONS``) come back when they are planned again (an enrolment
set back to active). The reasons are stored untranslated (``gettext_noop``) and shown translated.
"""

import datetime
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from takeroot.core.models import Workspace
from takeroot.core.scope import workspace_scope
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from .enums import TouchpointState
from .models import Design, Touchpoint
from .schedule import REASON_UNPLANNED, REASON_WITHDRAWN, SCHEDULER_REASONS, PlanningFacts, chunks

ENROLMENTS_PER_BATCH = 2000


@dataclass(frozen=True)
class MaterialiseResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0

    def __add__(self, other: "MaterialiseResult") -> "MaterialiseResult":
        return MaterialiseResult(
            self.created + other.created, self.moved + other.moved, self.cancelled + other.cancelled
        )


def _enrolment_ids(enrolments) -> list[int]:
    if isinstance(enrolments, QuerySet):
        return list(enrolments.order_by().values_list("pk", flat=True))
    return [item if isinstance(item, int) else item.pk for item in enrolments]


def _grouped_update(groups: dict, only_in: str, **values) -> int:
    """One UPDATE per group of touchpoints (same new values), only those still in state ``only_in``
    (a worker may have claimed one meanwhile)."""
    # Written as "in no other state": SQLite, without statistics, would otherwise pick the
    # (state, due_at) index and scan every scheduled touchpoint for each group instead of the ids.
    others = [state for state in TouchpointState.values if state != only_in]
    changed = 0
    for extra, ids in groups.items():
        for chunk in chunks(ids):
            rows = Touchpoint.objects.filter(pk__in=chunk).exclude(state__in=others)
            changed += rows.update(**values, **dict(extra))
    return changed


@transaction.atomic
def _materialise_batch(ids: list[int]) -> MaterialiseResult:
    enrolments = list(
        Enrolment.objects.filter(pk__in=ids).only(
            "id", "workspace_id", "cohort_id", "person_id", "manager_id", "mentor_id", "status"
        )
    )
    withdrawn = [enrolment.pk for enrolment in enrolments if enrolment.status == EnrolmentStatus.WITHDRAWN]
    waiting = Touchpoint.objects.filter(enrolment_id__in=withdrawn, state=TouchpointState.SCHEDULED)
    cancelled = waiting.update(state=TouchpointState.CANCELLED, reason=REASON_WITHDRAWN) if withdrawn else 0
    taking_part = [enrolment for enrolment in enrolments if enrolment.status != EnrolmentStatus.WITHDRAWN]
    if not taking_part:
        return MaterialiseResult(cancelled=cancelled)

    facts = PlanningFacts(taking_part)
    wanted: dict[tuple[int, int, int, int], tuple[datetime.datetime, int]] = {}
    for enrolment in taking_part:
        for item in facts.plan(enrolment):
            key = (enrolment.pk, item.step.pk, item.recipient.pk, item.occurrence)
            wanted[key] = (item.due_at, enrolment.workspace_id)

    moves, revivals, unplanned = defaultdict(list), defaultdict(list), []
    existing = Touchpoint.objects.filter(enrolment_id__in=[enrolment.pk for enrolment in taking_part]).values_list(
        "pk", "enrolment_id", "step_id", "recipient_id", "occurrence", "due_at", "state", "reason"
    )
    for pk, enrolment_id, step_id, recipient_id, occurrence, due_at, state, reason in existing.iterator(
        chunk_size=2000
    ):
        planned = wanted.pop((enrolment_id, step_id, recipient_id, occurrence), None)
        if state == TouchpointState.SCHEDULED:
            if planned is None:
                unplanned.append(pk)
            elif planned[0] != due_at:
                moves[(("due_at", planned[0]),)].append(pk)
        elif state == TouchpointState.CANCELLED and reason in SCHEDULER_REASONS and planned is not None:
            revivals[(("due_at", planned[0]),)].append(pk)

    moved = _grouped_update(moves, TouchpointState.SCHEDULED)
    cancelled += _grouped_update(
        {(("reason", REASON_UNPLANNED),): unplanned}, TouchpointState.SCHEDULED, state=TouchpointState.CANCELLED
    )
    revived = _grouped_update(
        revivals,
        TouchpointState.CANCELLED,
        state=TouchpointState.SCHEDULED,
        reason="",
        attempts=0,
        last_error="",
        next_attempt_at=None,
        claimed_at=None,
    )
    created = _insert_touchpoints(
        {
            "workspace_id": workspace_id,
            "enrolment_id": enrolment_id,
            "step_id": step_id,
            "recipient_id": recipient_id,
            "occurrence": occurrence,
            "due_at": due_at,
        }
        for (enrolment_id, step_id, recipient_id, occurrence), (due_at, workspace_id) in wanted.items()
    )
    return MaterialiseResult(created=created + revived, moved=moved, cancelled=cancelled)


def _insert_touchpoints(rows: Iterable[dict]) -> int:
    """Insert new touchpoints, the other columns at their defaults; return how many were given.

    A plain ``executemany``: building 100,000 model instances and letting ``bulk_create`` compile
    them takes ten times longer than planning them. Two passes at once (a signal and a command)
    may race to create the same row: the unique constraint keeps one and the other is skipped."""
    fields = [field for field in Touchpoint._meta.concrete_fields if not field.primary_key]
    given = ("workspace_id", "enrolment_id", "step_id", "recipient_id", "occurrence", "due_at")
    fixed = {
        field.attname: field.get_db_prep_save(field.get_default(), connection)
        for field in fields
        if field.attname not in (*given, "uuid")
    }
    due_field = Touchpoint._meta.get_field("due_at")
    native_uuid = connection.features.has_native_uuid_field  # else stored as 32 hex digits
    dues: dict[datetime.datetime, object] = {}  # a cohort's touchpoints share a few due times
    quote = connection.ops.quote_name
    # Only our own table and column names, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING".format(  # noqa: S608
        quote(Touchpoint._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def values(row: dict) -> list:
        row |= fixed
        row["uuid"] = uuid.uuid4() if native_uuid else uuid.uuid4().hex
        due = row["due_at"]
        if due not in dues:
            dues[due] = due_field.get_db_prep_save(due, connection)
        row["due_at"] = dues[due]
        return [row[name] for name in names]

    names = [field.attname for field in fields]
    count = 0
    with connection.cursor() as cursor:
        for batch in itertools.batched(rows, 5000):
            cursor.executemany(sql, [values(row) for row in batch])
            count += len(batch)
    return count


def materialise(enrolments: Iterable[Enrolment | int] | QuerySet) -> MaterialiseResult:
    """Bring the enrolments' touchpoints (enrolments, their ids or a queryset) in line with what
    their designs plan now.

    Creates the missing touchpoints, moves scheduled ones whose due time changed, cancels scheduled
    ones no longer planned (reason ``REASON_UNPLANNED``) and, for withdrawn enrolments, every
    scheduled one (``REASON_WITHDRAWN``). Never touches a touchpoint that was sent, opened, done,
    skipped or failed. Idempotent; a fixed number of queries per 2,000 enrolments. Call it inside
    the workspace scope (or ``across_workspaces()`` for a command). Called by the signal receivers
    (``followup.receivers``), hold services and design services."""
    result = MaterialiseResult()
    for ids in itertools.batched(_enrolment_ids(enrolments), ENROLMENTS_PER_BATCH):
        result += _materialise_batch(list(ids))
    return result


def materialise_cohort(cohort: Cohort) -> MaterialiseResult:
    """``materialise`` for every enrolment of the cohort."""
    return materialise(Enrolment.objects.filter(cohort=cohort))


def materialise_design(design: Design) -> MaterialiseResult:
    """``materialise`` for every enrolment in every cohort of the design's programme."""
    if design.programme_id is None:
        return MaterialiseResult()
    return materialise(Enrolment.objects.filter(cohort__programme_id=design.programme_id))


def replan(
    *,
    workspace_id: int,
    enrolment_ids: list[int] | None = None,
    cohort_id: int | None = None,
    design_id: int | None = None,
) -> MaterialiseResult:
    """``materialise`` what a change touched: some enrolments, a cohort, a design's programme, or
    (none of them named) every cohort of the workspace that has a design. Enters the workspace's
    scope itself; a workspace deleted meanwhile is nothing to do. Called by ``task_replan``."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return MaterialiseResult()
    with workspace_scope(workspace):
        enrolments = Enrolment.objects.filter(workspace=workspace)
        if enrolment_ids is not None:
            return materialise(enrolments.filter(pk__in=enrolment_ids))
        if cohort_id is not None:
            return materialise(enrolments.filter(cohort_id=cohort_id))
        if design_id is not None:
            return materialise(enrolments.filter(cohort__programme__followup_design__pk=design_id))
        return materialise(enrolments.filter(cohort__programme__followup_design__isnull=False))
