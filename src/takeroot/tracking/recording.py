"""Recording activity: every origin (xAPI, files, Takeroot's own records) ends here.

``record`` stores facts as ``ActivityRecord`` rows and adds them to the weekly ``Rollup`` rows (per
enrolment) and ``CohortRollup`` rows (per cohort: the same facts, people summed) in the same
transaction, with one upsert per bucket that adds to what is there (race-free on SQLite
and PostgreSQL, buckets in sorted order so concurrent batches never deadlock). ``unrecord`` takes
records away again (a voided statement, a corrected attendance mark). Indicators read rollups
only, so a page never rescans history.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from takeroot.core.models import Workspace

from .models import ActivityRecord, CohortRollup, Rollup


@dataclass(frozen=True)
class Fact:
    """One measurement to record; see ``enums.Input`` for what ``value`` means per input."""

    cohort_id: int
    enrolment_id: int | None
    module_id: int | None
    input: str
    value: float
    occurred_at: datetime.datetime
    origin: str
    statement_id: int | None = None
    activity_import_id: int | None = None
    key: str | None = None  # Takeroot's own sources: "quiz-answer:<pk>", so recording twice is harmless


def week_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The Monday (UTC) of the week a moment falls in: the rollups' period."""
    day = moment.astimezone(datetime.UTC).date() if isinstance(moment, datetime.datetime) else moment
    return day - datetime.timedelta(days=day.weekday())


def bucket_of(*, cohort_id: int, enrolment_id: int | None, module_id: int | None, input: str, week) -> str:
    return f"{cohort_id}:{enrolment_id or '-'}:{module_id or '-'}:{input}:{week.isoformat()}"


def cohort_bucket_of(*, cohort_id: int, module_id: int | None, input: str, week) -> str:
    return f"{cohort_id}:{module_id or '-'}:{input}:{week.isoformat()}"


def record(workspace: Workspace, facts: Iterable[Fact], *, replace: bool = False) -> int:
    """Store ``facts`` and add them to the rollups; return how many records were stored.

    Facts whose ``key`` is already stored are skipped, or with ``replace`` take the place of the
    stored record (its value leaves the rollups first). Side effect: the touched enrolments are
    queued for an at-risk evaluation when the transaction commits.
    """
    facts = list(facts)
    if not facts:
        return 0
    with transaction.atomic():
        keys = [fact.key for fact in facts if fact.key]
        if keys:
            existing = ActivityRecord.objects.filter(workspace=workspace, key__in=keys)
            if replace:
                unrecord(workspace, existing)
            else:
                stored = set(existing.values_list("key", flat=True))
                facts = [fact for fact in facts if not fact.key or fact.key not in stored]
        # One prepared INSERT for the batch: building model instances for bulk_create cost two thirds
        # of an xAPI batch's time.
        as_datetime = connection.ops.adapt_datetimefield_value  # UTC, in the form the ORM writes and compares
        with connection.cursor() as cursor:
            cursor.executemany(
                _INSERT,
                [
                    (
                        workspace.pk,
                        f.cohort_id,
                        f.enrolment_id,
                        f.module_id,
                        f.input,
                        f.value,
                        as_datetime(f.occurred_at),
                        f.origin,
                        f.statement_id,
                        f.activity_import_id,
                        f.key,
                    )
                    for f in facts
                ],
            )
        _add_to_rollups(
            workspace, [_row(f.cohort_id, f.enrolment_id, f.module_id, f.input, f.occurred_at, f.value) for f in facts]
        )
        _after_change(workspace, {fact.enrolment_id for fact in facts if fact.enrolment_id})
    return len(facts)


def unrecord(workspace: Workspace, records: QuerySet[ActivityRecord]) -> int:
    """Delete ``records`` and take their values out of the rollups; return how many went."""
    with transaction.atomic():
        gone = list(
            records.values_list("pk", "cohort_id", "enrolment_id", "module_id", "input", "occurred_at", "value")
        )
        if not gone:
            return 0
        ActivityRecord.objects.filter(pk__in=[row[0] for row in gone]).delete()
        _add_to_rollups(workspace, [_row(*row[1:6], -row[6]) for row in gone], sign=-1)
        _after_change(workspace, {row[2] for row in gone if row[2]})
    return len(gone)


def _row(cohort_id, enrolment_id, module_id, input, occurred_at, value):
    return cohort_id, enrolment_id, module_id, input, week_of(occurred_at), value


_INSERT = """
    INSERT INTO tracking_activityrecord (workspace_id, cohort_id, enrolment_id, module_id, input, value, occurred_at,
        origin, statement_id, activity_import_id, key)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""

# Adds to the bucket's row, or creates it; the same SQL on SQLite and PostgreSQL.
_UPSERT = """
    INSERT INTO tracking_rollup (workspace_id, cohort_id, enrolment_id, module_id, input, week, total, count, bucket)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (bucket) DO UPDATE
    SET total = tracking_rollup.total + EXCLUDED.total, count = tracking_rollup.count + EXCLUDED.count
"""
_COHORT_UPSERT = """
    INSERT INTO tracking_cohortrollup (workspace_id, cohort_id, module_id, input, week, total, count, bucket)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (bucket) DO UPDATE
    SET total = tracking_cohortrollup.total + EXCLUDED.total, count = tracking_cohortrollup.count + EXCLUDED.count
"""


def _add_to_rollups(workspace: Workspace, rows, *, sign: int = 1) -> None:
    sums: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    cohort_sums: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    for cohort_id, enrolment_id, module_id, input, week, value in rows:
        for total in (
            sums[(cohort_id, enrolment_id, module_id, input, week)],
            cohort_sums[(cohort_id, module_id, input, week)],
        ):
            total[0] += value
            total[1] += sign
    as_date = connection.ops.adapt_datefield_value
    params = []
    for (cohort_id, enrolment_id, module_id, input, week), (total, count) in sums.items():
        bucket = bucket_of(cohort_id=cohort_id, enrolment_id=enrolment_id, module_id=module_id, input=input, week=week)
        params.append((workspace.pk, cohort_id, enrolment_id, module_id, input, as_date(week), total, count, bucket))
    cohort_params = []
    for (cohort_id, module_id, input, week), (total, count) in cohort_sums.items():
        bucket = cohort_bucket_of(cohort_id=cohort_id, module_id=module_id, input=input, week=week)
        cohort_params.append((workspace.pk, cohort_id, module_id, input, as_date(week), total, count, bucket))
    # One order for every writer (the enrolment rows first, then the cohort rows, each by bucket): no
    # deadlocks between batches.
    params.sort(key=lambda row: row[-1])
    cohort_params.sort(key=lambda row: row[-1])
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, params)
        cursor.executemany(_COHORT_UPSERT, cohort_params)
        if sign < 0:
            Rollup.objects.filter(workspace=workspace, count__lte=0).delete()
            CohortRollup.objects.filter(workspace=workspace, count__lte=0).delete()


def _after_change(workspace: Workspace, enrolment_ids: set[int]) -> None:
    if not enrolment_ids:
        return
    from .tasks import enqueue_risk_evaluation

    enqueue_risk_evaluation(workspace_id=workspace.pk, enrolment_ids=sorted(enrolment_ids), now=timezone.now())
