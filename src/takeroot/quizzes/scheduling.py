"""Scheduling questions with FSRS: which questions are due for whom, and how a review is rated.

Each participant × question has a ``MemoryState`` (the fields of an ``fsrs.Card``). The scheduler
of a programme uses its desired retention and, once fitted, its own pooled parameters; it has no
intra-day learning steps (a wrong answer comes back the next day at the earliest, never minutes
later in the same mail) and no fuzzing, so the same answers always give the same due dates.
"""

import datetime
from collections import defaultdict

import fsrs
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from takeroot.programmes.models import Enrolment, Programme

from .enums import Confidence
from .models import MemoryState, Question, QuizSettings

# Enrolments handled per query: well under every database's limit on query parameters.
CHUNK = 2000


def settings_for(programme: Programme) -> QuizSettings:
    """The programme's quiz settings, or an unsaved row with the defaults when it has none."""
    found = QuizSettings.objects.filter(programme=programme).first()
    return found or QuizSettings(workspace_id=programme.workspace_id, programme=programme)


def scheduler_for(quiz_settings: QuizSettings) -> fsrs.Scheduler:
    """The FSRS scheduler of a programme: its desired retention and fitted parameters."""
    extra = {"parameters": tuple(quiz_settings.parameters)} if quiz_settings.parameters else {}
    return fsrs.Scheduler(
        desired_retention=quiz_settings.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
        **extra,
    )


def rating_for(correct: bool, confidence: str) -> fsrs.Rating:
    """Wrong → Again; right but guessed → Hard; right and sure → Easy; otherwise Good."""
    if not correct:
        return fsrs.Rating.Again
    if confidence == Confidence.GUESSING:
        return fsrs.Rating.Hard
    if confidence == Confidence.SURE:
        return fsrs.Rating.Easy
    return fsrs.Rating.Good


def utc(moment: datetime.datetime) -> datetime.datetime:
    """fsrs refuses datetimes in any zone but ``datetime.UTC``."""
    return moment.astimezone(datetime.UTC)


def card_of(state: MemoryState) -> fsrs.Card:
    return fsrs.Card(
        card_id=state.pk or 0,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=utc(state.due),
        last_review=utc(state.last_review) if state.last_review else None,
    )


def retrievability(state: MemoryState, at: datetime.datetime, scheduler: fsrs.Scheduler | None = None) -> float:
    """The predicted chance that the person recalls the question at ``at`` (0 if never answered).

    Pass ``scheduler`` when computing many (otherwise the programme's settings are read)."""
    if state.last_review is None or state.stability is None:
        return 0.0
    if scheduler is None:
        scheduler = scheduler_for(settings_for(state.question.programme))
    return scheduler.get_card_retrievability(card_of(state), utc(at))


# Choosing the due questions ----------------------------------------------------------------------


def _limits(programme_ids: set[int], limit: int | None) -> dict[int, int]:
    if limit is not None:
        return dict.fromkeys(programme_ids, limit)
    found = dict(
        QuizSettings.objects.filter(programme_id__in=programme_ids).values_list("programme_id", "questions_per_round")
    )
    return {pk: found.get(pk, QuizSettings._meta.get_field("questions_per_round").default) for pk in programme_ids}


def _overdue(enrolment_ids: list[int], now: datetime.datetime, most: int) -> dict[int, list[int]]:
    """The ``most`` earliest-due live states of each enrolment (one windowed query)."""
    ranked = (
        MemoryState.objects.filter(
            enrolment_id__in=enrolment_ids, retired_at__isnull=True, due__lte=now, question__archived_at__isnull=True
        )
        .annotate(rank=Window(RowNumber(), partition_by=[F("enrolment_id")], order_by=[F("due"), F("pk")]))
        .filter(rank__lte=most)
        .order_by("enrolment_id", "rank")
        .values_list("enrolment_id", "question_id")
    )
    found = defaultdict(list)
    for enrolment_id, question_id in ranked:
        found[enrolment_id].append(question_id)
    return found


def _never_asked(enrolment_ids: list[int], wanted: int) -> dict[int, list[int]]:
    """The first ``wanted`` questions (by position) each enrolment has no memory state of.

    One correlated subquery per rank: the database walks the programme's questions in position
    order and stops at the first few unasked ones, so a person's answered questions are never
    loaded into Python."""
    unasked = (
        Question.objects.filter(programme_id=OuterRef("cohort__programme_id"), archived_at__isnull=True)
        .exclude(Exists(MemoryState.objects.filter(enrolment_id=OuterRef(OuterRef("pk")), question_id=OuterRef("pk"))))
        .order_by("position", "pk")
        .values("pk")
    )
    ranks = {f"new_{rank}": Subquery(unasked[rank : rank + 1]) for rank in range(wanted)}
    rows = Enrolment.objects.filter(pk__in=enrolment_ids).annotate(**ranks).values_list("pk", *ranks)
    return {row[0]: [pk for pk in row[1:] if pk is not None] for row in rows}


def choose_due(enrolment_ids, *, now: datetime.datetime, limit: int | None = None) -> dict[int, list[Question]]:
    """For each enrolment, the questions most due for it, at most its programme's
    ``questions_per_round`` (or ``limit``): overdue memory states first (earliest due), then
    questions never asked (by position). Archived and retired questions are never chosen.

    Every requested enrolment is a key (an empty list when nothing is due). Bulk: a handful of
    queries per 2,000 enrolments, none per person."""
    ids = list(dict.fromkeys(int(pk) for pk in enrolment_ids))
    chosen: dict[int, list[int]] = {pk: [] for pk in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        programme_of = dict(Enrolment.objects.filter(pk__in=chunk).values_list("pk", "cohort__programme_id"))
        limits = _limits(set(programme_of.values()), limit)
        if not limits:
            continue
        most = max(limits.values())
        wants = {pk: limits[programme] for pk, programme in programme_of.items()}
        for enrolment_id, question_ids in _overdue(chunk, now, most).items():
            chosen[enrolment_id] = question_ids[: wants[enrolment_id]]
        short = [pk for pk, want in wants.items() if len(chosen[pk]) < want]
        if short:
            for enrolment_id, question_ids in _never_asked(short, most).items():
                room = wants[enrolment_id] - len(chosen[enrolment_id])
                chosen[enrolment_id] += question_ids[:room]
    questions = Question.objects.in_bulk({pk for picked in chosen.values() for pk in picked})
    return {pk: [questions[question_id] for question_id in picked] for pk, picked in chosen.items()}
