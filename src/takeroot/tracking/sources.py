"""Takeroot's own records as activity facts: quiz answers, check-ins, practice tasks, supervisors'
ratings, tickets, follow-up session attendance and survey results.

Each source turns a queryset of its rows into ``recording.Fact``s in a few queries, whatever the
number of rows, with a stable key per row (``quiz-answer:<pk>``, or ``survey:<pk>:<question>``
when one row gives several facts). ``sync`` re-derives the facts of one row when it changes (the
receivers call it on commit) and ``backfill`` records whatever existing rows are missing.

What maps where, and why:
- Every quiz answer (first attempts and later reviews alike) is a ``quiz_score`` of 1 or 0 for
  the question's module: the spaced reviews are what show whether knowledge held, and counting
  first attempts only would leave a cohort without figures once its bank has been asked.
- A check-in is a ``check_in`` of 1; its ``check_in_progress`` is the mean share of the way from
  baseline to target of the numeric goals it reports, each clipped to 0–1.
- A practice assignment is a ``practice_completion`` of 1 once completed, and 0 once its task's
  due date has passed without completion (``record_overdue_practice``, run hourly and at
  backfill); a late completion replaces the 0.
- Practice reviews carry a verdict, not a rating, so they are no evaluation. The line manager's
  progress rating (1–5) on the action plan is: it becomes a ``supervisor_evaluation`` of 0–1.
- A ticket raised about a course is a ``ticket`` of 1 for its module, and stays counted when
  withdrawn: the question was raised, which is what the problem finder looks for.
- Attendance at a follow-up session is ``attendance`` 1 or 0 (a cleared mark removes it).
- A closed cohort survey whose results are shown (above the anonymity threshold) gives the cohort
  mean of each usefulness and trainer-effectiveness question, normalised to 0–1, for the cohort
  only; ``surveys.results`` decides, so figures below the threshold never reach tracking.
"""

import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from takeroot.core.models import Workspace
from takeroot.core.scope import workspace_scope
from takeroot.followup.models import Invitation
from takeroot.plans.enums import GoalKind
from takeroot.plans.models import CheckIn, CheckInValue, Feedback
from takeroot.practice.enums import AssignmentState
from takeroot.practice.models import PracticeAssignment
from takeroot.programmes.models import Enrolment
from takeroot.quizzes.models import Answer
from takeroot.surveys.enums import Measure, SurveyState
from takeroot.surveys.models import Survey
from takeroot.surveys.responding import points_of
from takeroot.surveys.results import survey_results
from takeroot.tickets.models import Ticket

from .enums import Input, Origin
from .models import ActivityRecord
from .recording import Fact, record, unrecord

_CHUNK = 2000  # rows per query and per ``record`` call in a backfill
SURVEY_INPUTS = {Measure.USEFULNESS: Input.USEFULNESS, Measure.TRAINER_EFFECTIVENESS: Input.TRAINER_EFFECTIVENESS}


def _fact(key: str, *, cohort_id, enrolment_id, module_id, input: str, value: float, at) -> Fact:
    return Fact(
        cohort_id=cohort_id,
        enrolment_id=enrolment_id,
        module_id=module_id,
        input=input,
        value=float(value),
        occurred_at=at,
        origin=Origin.TAKEROOT,
        key=key,
    )


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


# Quiz answers ---------------------------------------------------------------------------------------


def quiz_answer_facts(answers: QuerySet[Answer], *, now: datetime.datetime) -> list[Fact]:
    rows = answers.values_list(
        "pk", "enrolment__cohort_id", "enrolment_id", "question__module_id", "correct", "answered_at"
    )
    return [
        _fact(f"quiz-answer:{pk}", cohort_id=c, enrolment_id=e, module_id=m, input=Input.QUIZ_SCORE, value=ok, at=at)
        for pk, c, e, m, ok, at in rows
    ]


# Check-ins --------------------------------------------------------------------------------------------


def goal_progress(baseline: float, target: float, value: float) -> float:
    """The share of the way from ``baseline`` to ``target`` that ``value`` has come, clipped 0–1
    (a goal whose target is its baseline is done once the value is on or past it)."""
    span = target - baseline
    if span == 0:
        return 1.0 if value == target else 0.0
    return _clip((value - baseline) / span)


def check_in_facts(check_ins: QuerySet[CheckIn], *, now: datetime.datetime) -> list[Fact]:
    rows = list(check_ins.values_list("pk", "plan__enrolment__cohort_id", "plan__enrolment_id", "created_at"))
    shares: dict[int, list[float]] = defaultdict(list)
    values = CheckInValue.objects.filter(check_in_id__in=[row[0] for row in rows], goal__kind=GoalKind.NUMERIC)
    for check_in_id, baseline, target, value in values.values_list(
        "check_in_id", "goal__baseline", "goal__target", "value"
    ):
        shares[check_in_id].append(goal_progress(float(baseline), float(target), float(value)))
    facts = []
    for pk, cohort_id, enrolment_id, at in rows:
        place = {"cohort_id": cohort_id, "enrolment_id": enrolment_id, "module_id": None, "at": at}
        facts.append(_fact(f"check-in:{pk}", input=Input.CHECK_IN, value=1, **place))
        if shares[pk]:
            progress = sum(shares[pk]) / len(shares[pk])
            facts.append(_fact(f"check-in-progress:{pk}", input=Input.CHECK_IN_PROGRESS, value=progress, **place))
    return facts


# Practice tasks -------------------------------------------------------------------------------------


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)


def practice_facts(assignments: QuerySet[PracticeAssignment], *, now: datetime.datetime) -> list[Fact]:
    """Completed: 1 when completed; not completed by the end of the due day (UTC): 0 then."""
    rows = assignments.values_list(
        "pk", "enrolment__cohort_id", "enrolment_id", "task__module_id", "state", "completed_at", "task__due_on"
    )
    facts = []
    for pk, cohort_id, enrolment_id, module_id, state, completed_at, due_on in rows:
        place = {"cohort_id": cohort_id, "enrolment_id": enrolment_id, "module_id": module_id}
        if state == AssignmentState.COMPLETED:
            at = completed_at or _end_of(due_on)
            facts.append(_fact(f"practice:{pk}", input=Input.PRACTICE_COMPLETION, value=1, at=at, **place))
        elif _end_of(due_on) < now:
            facts.append(_fact(f"practice:{pk}", input=Input.PRACTICE_COMPLETION, value=0, at=_end_of(due_on), **place))
    return facts


# Supervisors' ratings -------------------------------------------------------------------------------


def supervisor_rating_facts(feedback: QuerySet[Feedback], *, now: datetime.datetime) -> list[Fact]:
    """A progress rating 1–5 given by the participant's line manager (the one named on the
    enrolment, else their manager now) as 0–1; trainers' ratings are not a supervisor's."""
    rows = feedback.filter(rating__isnull=False).values_list(
        "pk",
        "plan__enrolment__cohort_id",
        "plan__enrolment_id",
        "author_id",
        "plan__enrolment__manager_id",
        "plan__enrolment__person__manager_id",
        "rating",
        "created_at",
    )
    return [
        _fact(
            f"feedback:{pk}",
            cohort_id=cohort_id,
            enrolment_id=enrolment_id,
            module_id=None,
            input=Input.SUPERVISOR_EVALUATION,
            value=(rating - 1) / 4,
            at=at,
        )
        for pk, cohort_id, enrolment_id, author_id, named, current, rating, at in rows
        if author_id is not None and author_id == (named or current)
    ]


# Tickets ------------------------------------------------------------------------------------------


def ticket_facts(tickets: QuerySet[Ticket], *, now: datetime.datetime) -> list[Fact]:
    """Tickets about a cohort: the enrolment named, else the raiser's enrolment in the cohort."""
    rows = list(
        tickets.filter(Q(enrolment__isnull=False) | Q(cohort__isnull=False)).values_list(
            "pk", "enrolment_id", "enrolment__cohort_id", "cohort_id", "raised_by_id", "module_id", "created_at"
        )
    )
    wanted = {(cohort_id, person_id) for _pk, enrolment_id, _c, cohort_id, person_id, *_ in rows if not enrolment_id}
    found = _enrolments_of(wanted)
    facts = []
    for pk, enrolment_id, enrolled_cohort_id, cohort_id, person_id, module_id, at in rows:
        enrolment_id = enrolment_id or found.get((cohort_id, person_id))
        if enrolment_id is None:
            continue
        cohort = enrolled_cohort_id or cohort_id
        facts.append(
            _fact(
                f"ticket:{pk}",
                cohort_id=cohort,
                enrolment_id=enrolment_id,
                module_id=module_id,
                input=Input.TICKET,
                value=1,
                at=at,
            )
        )
    return facts


def _enrolments_of(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(cohort id, person id) → enrolment id, in one query."""
    if not pairs:
        return {}
    rows = Enrolment.objects.filter(
        cohort_id__in={cohort for cohort, _ in pairs}, person_id__in={person for _, person in pairs}
    ).values_list("cohort_id", "person_id", "pk")
    return {(cohort, person): pk for cohort, person, pk in rows}


# Follow-up session attendance -----------------------------------------------------------------------


def attendance_facts(invitations: QuerySet[Invitation], *, now: datetime.datetime) -> list[Fact]:
    """A marked invitation of a session that was held, for the person's enrolment in the cohort."""
    rows = list(
        invitations.filter(attended__isnull=False, session__cancelled_at__isnull=True).values_list(
            "pk", "session__cohort_id", "person_id", "attended", "session__starts_at"
        )
    )
    found = _enrolments_of({(cohort_id, person_id) for _pk, cohort_id, person_id, *_ in rows})
    return [
        _fact(
            f"attendance:{pk}",
            cohort_id=cohort_id,
            enrolment_id=found[(cohort_id, person_id)],
            module_id=None,  # a follow-up session belongs to the cohort, not to a module
            input=Input.ATTENDANCE,
            value=attended,
            at=at,
        )
        for pk, cohort_id, person_id, attended, at in rows
        if (cohort_id, person_id) in found
    ]


# Survey results -------------------------------------------------------------------------------------


def survey_facts(surveys: QuerySet[Survey], *, now: datetime.datetime) -> list[Fact]:
    """Per closed cohort survey, the shown mean of each usefulness and trainer-effectiveness
    question (a matrix: the mean of its shown rows), normalised from its scale to 0–1."""
    chosen = (
        surveys.filter(state=SurveyState.CLOSED, cohort__isnull=False, subject__isnull=True)
        .filter(instrument__questions__measure__in=list(SURVEY_INPUTS))
        .distinct()
        .select_related("workspace", "instrument")
    )
    facts = []
    for survey in chosen:
        for result in survey_results(survey).questions:
            input = SURVEY_INPUTS.get(result.question.measure)
            value = _normalised_mean(result) if input else None
            if value is None:
                continue
            facts.append(
                _fact(
                    f"survey:{survey.pk}:{result.question.pk}",
                    cohort_id=survey.cohort_id,
                    enrolment_id=None,
                    module_id=result.question.module_id,
                    input=input,
                    value=value,
                    at=survey.closed_at or now,
                )
            )
    return facts


def _normalised_mean(result) -> float | None:
    """A shown scale or matrix result's mean on 0–1; None when nothing of it is shown."""
    points = points_of(result.question)
    if not result.shown or len(points) < 2:
        return None
    means = [row.mean.mean for row in result.rows if row.shown and row.mean] if result.rows else []
    if not result.rows and result.mean:
        means = [result.mean.mean]
    if not means:
        return None
    low, high = points[0], points[-1]
    return _clip((sum(means) / len(means) - low) / (high - low))


# One place that knows them all ----------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str  # the key's prefix
    rows: Callable[[Workspace], QuerySet]  # every row of the workspace that may give facts
    facts: Callable[..., list[Fact]]
    parts: bool = False  # one row gives several facts, keyed "<kind>:<pk>:<part>"


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in (
        Source("quiz-answer", lambda ws: Answer.objects.filter(workspace=ws), quiz_answer_facts),
        Source("check-in", lambda ws: CheckIn.objects.filter(workspace=ws), check_in_facts),
        Source("practice", lambda ws: PracticeAssignment.objects.filter(workspace=ws), practice_facts),
        Source(
            "feedback", lambda ws: Feedback.objects.filter(workspace=ws, rating__isnull=False), supervisor_rating_facts
        ),
        Source("ticket", lambda ws: Ticket.objects.filter(workspace=ws), ticket_facts),
        Source("attendance", lambda ws: Invitation.objects.filter(workspace=ws), attendance_facts),
        Source("survey", lambda ws: Survey.objects.filter(workspace=ws), survey_facts, parts=True),
    )
}
# A check-in's progress is recorded beside it and goes with it.
_ALSO = {"check-in": ("check-in-progress",)}


def records_of(workspace: Workspace, kind: str, pks: Iterable[int]) -> QuerySet[ActivityRecord]:
    """The records that rows ``pks`` of source ``kind`` gave."""
    pks = list(pks)
    keys = Q(key__in=[f"{prefix}:{pk}" for prefix in (kind, *_ALSO.get(kind, ())) for pk in pks])
    if SOURCES[kind].parts:
        for pk in pks:
            keys |= Q(key__startswith=f"{kind}:{pk}:")
    return ActivityRecord.objects.filter(keys, workspace=workspace)


# A stored record equal to a fact in these is left alone: syncing a row twice costs one query.
_COMPARED = ("key", "cohort_id", "enrolment_id", "module_id", "input", "value", "occurred_at")


def sync(workspace: Workspace, kind: str, pks: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Make the records of rows ``pks`` of source ``kind`` what the rows say now: changed values
    replace the old ones, rows that are gone or give nothing any more take theirs away. Returns
    how many records the rows have now. Side effects: records and rollups."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    source = SOURCES[kind]
    with workspace_scope(workspace), transaction.atomic():
        facts = source.facts(source.rows(workspace).filter(pk__in=pks), now=now or timezone.now())
        stored = records_of(workspace, kind, pks)
        wanted = {tuple(getattr(fact, name) for name in _COMPARED) for fact in facts}
        same = {row[0] for row in stored.values_list(*_COMPARED) if row in wanted}
        unrecord(workspace, stored.exclude(key__in={fact.key for fact in facts}))
        record(workspace, [fact for fact in facts if fact.key not in same], replace=True)
    return len(facts)


_pending = threading.local()


def sync_on_commit(workspace_id: int, kind: str, pks: Iterable[int]) -> None:
    """``sync`` these rows once the current transaction commits, so a rolled-back change records
    nothing. Rows noted in one transaction are synced together, one ``sync`` per source: a demo or
    an import that writes thousands of rows costs a few queries per thousand, not per row."""
    waiting = getattr(_pending, "rows", None)
    if waiting is None:
        waiting = _pending.rows = defaultdict(set)
    waiting[(workspace_id, kind)].update(pks)
    transaction.on_commit(_sync_pending)


def _sync_pending() -> None:
    # Whatever is waiting, including rows of a rolled-back savepoint: ``sync`` reads the rows as
    # they are, so a row that was never committed simply gives nothing.
    waiting, _pending.rows = getattr(_pending, "rows", None), None
    if not waiting:
        return
    workspaces = Workspace.objects.in_bulk({workspace_id for workspace_id, _kind in waiting})
    for (workspace_id, kind), pks in sorted(waiting.items()):
        ordered = sorted(pks)
        for start in range(0, len(ordered), _CHUNK) if workspace_id in workspaces else ():
            sync(workspaces[workspace_id], kind, ordered[start : start + _CHUNK])


def backfill(workspace: Workspace, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record what existing rows give and is not recorded yet; return the new records per source.
    Idempotent: keys already stored are skipped, so a second run adds nothing."""
    now = now or timezone.now()
    counts = {}
    with workspace_scope(workspace):
        for kind, source in SOURCES.items():
            pks = list(source.rows(workspace).order_by("pk").values_list("pk", flat=True))
            added = 0
            for start in range(0, len(pks), _CHUNK):
                chunk = source.rows(workspace).filter(pk__in=pks[start : start + _CHUNK])
                with transaction.atomic():
                    added += record(workspace, source.facts(chunk, now=now))
            counts[kind] = added
    return counts


def record_overdue_practice(workspace: Workspace, *, now: datetime.datetime) -> int:
    """Record a 0 for each assignment whose task's due day has ended without completion and
    that has no record yet; return how many."""
    with workspace_scope(workspace):
        overdue = PracticeAssignment.objects.filter(workspace=workspace, task__due_on__lt=now.date()).exclude(
            state=AssignmentState.COMPLETED
        )
        pks = list(overdue.values_list("pk", flat=True))
        # ``record`` skips keys already stored: an assignment gets its 0 once.
        return sum(
            record(workspace, practice_facts(overdue.filter(pk__in=pks[start : start + _CHUNK]), now=now))
            for start in range(0, len(pks), _CHUNK)
        )
