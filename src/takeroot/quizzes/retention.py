"""What a person still remembers: the predicted recall per module, over time and now, and the
summary a line manager sees (accuracy and retention per module, never single answers).

Predicted recall is FSRS retrievability: from the stability a review left and the time since it,
through the programme's own scheduler (``scheduling.retrievability``). A module's retention is
the mean over the questions of that module the person has met so far.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership, report_ids
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module, Programme

from .analytics import local_number, percent
from .models import Answer, MemoryState, RoundItem
from .scheduling import retrievability, scheduler_for, settings_for

WEEK = datetime.timedelta(weeks=1)
MOST_WEEKS = 52  # a year of weekly points is plenty for a chart and its table


def _recall(stability: float, last_review: datetime.datetime, at: datetime.datetime, scheduler) -> float:
    state = MemoryState(stability=stability, last_review=last_review, due=last_review)
    return retrievability(state, at, scheduler)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class RetentionSeries:
    """Predicted recall per module at weekly moments (module id → 0–1; absent: nothing met yet)."""

    modules: list[Module | None]
    points: list[tuple[datetime.datetime, dict[int | None, float]]]

    def rows(self) -> list[tuple[datetime.datetime, list[int | None]]]:
        """The table form: per moment, the percentage per module in ``modules`` order."""
        keys = [module.pk if module else None for module in self.modules]
        return [(moment, [percent(values.get(key)) for key in keys]) for moment, values in self.points]


def _moments(first: datetime.datetime, now: datetime.datetime) -> list[datetime.datetime]:
    moments = []
    moment = first
    while moment < now:
        moments.append(moment)
        moment += WEEK
    moments.append(now)
    return moments[-MOST_WEEKS:]


def retention_over_time(enrolment: Enrolment, *, now: datetime.datetime) -> RetentionSeries:
    """Each week since the person's first answer (and now): the mean predicted recall per module
    of the questions they had met, from the last answer to each before that moment. Falls while
    time passes, jumps back after a right answer."""
    answers = list(
        Answer.objects.filter(enrolment=enrolment, stability__isnull=False, answered_at__lte=now)
        .order_by("answered_at", "id")
        .values_list("question_id", "question__module_id", "answered_at", "stability")
    )
    if not answers:
        return RetentionSeries([], [])
    scheduler = scheduler_for(settings_for(enrolment.cohort.programme))
    latest: dict[int, tuple[int | None, datetime.datetime, float]] = {}
    points, index = [], 0
    for moment in _moments(answers[0][2], now):
        while index < len(answers) and answers[index][2] <= moment:
            question_id, module_id, answered_at, stability = answers[index]
            latest[question_id] = (module_id, answered_at, stability)
            index += 1
        per_module = defaultdict(list)
        for module_id, answered_at, stability in latest.values():
            per_module[module_id].append(_recall(stability, answered_at, moment, scheduler))
        points.append((moment, {key: _mean(values) for key, values in per_module.items()}))
    met = {module_id for module_id, _at, _s in latest.values()}
    return RetentionSeries(_modules_of(enrolment.cohort.programme_id, met), points)


def _modules_of(programme_id: int, met: set[int | None]) -> list[Module | None]:
    modules: list[Module | None] = list(
        Module.objects.filter(programme_id=programme_id, pk__in=met).order_by("position", "id")
    )
    return [*modules, None] if None in met else modules


# Summaries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleSummary:
    module: Module | None
    asked: int  # questions delivered in rounds
    answered: int
    right: int
    retention: float | None  # mean predicted recall now of the questions met

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return percent(self.accuracy)

    @property
    def retention_percent(self) -> int | None:
        return percent(self.retention)


@dataclass(frozen=True)
class PersonSummary:
    enrolment: Enrolment
    modules: list[ModuleSummary]

    @property
    def answered(self) -> int:
        return sum(m.answered for m in self.modules)


def _schedulers(programme_ids) -> dict:
    return {pk: scheduler_for(settings_for(p)) for pk, p in Programme.objects.in_bulk(set(programme_ids)).items()}


def _retention_now(ids: list[int], now: datetime.datetime) -> dict[tuple[int, int | None], float]:
    """Per enrolment and module, the mean predicted recall now of the questions met: one query."""
    states = list(
        MemoryState.objects.filter(enrolment_id__in=ids, last_review__isnull=False, stability__isnull=False)
        .order_by()
        .values_list("enrolment_id", "question__module_id", "question__programme_id", "stability", "last_review")
    )
    schedulers = _schedulers(row[2] for row in states)
    recalls = defaultdict(list)
    for enrolment_id, module_id, programme_id, stability, last_review in states:
        recalls[enrolment_id, module_id].append(_recall(stability, last_review, now, schedulers[programme_id]))
    return {key: _mean(values) for key, values in recalls.items()}


def _counts(queryset, enrolment: str, **counts) -> dict[tuple[int, int | None], dict]:
    rows = queryset.order_by().values(enrolment, "question__module_id").annotate(**counts)
    return {(row[enrolment], row["question__module_id"]): row for row in rows}


def summaries(enrolments: list[Enrolment], *, now: datetime.datetime) -> list[PersonSummary]:
    """Per enrolment, per module of its programme (and "no module" when it has such questions):
    questions asked, answered, right, and retention now. A handful of queries for any number."""
    ids = [e.pk for e in enrolments]
    asked = _counts(RoundItem.objects.filter(round__enrolment_id__in=ids), "round__enrolment_id", n=Count("id"))
    answered = _counts(
        Answer.objects.filter(enrolment_id__in=ids),
        "enrolment_id",
        n=Count("id"),
        right=Count("id", filter=Q(correct=True)),
    )
    retention = _retention_now(ids, now)
    programme_of = dict(Enrolment.objects.filter(pk__in=ids).values_list("pk", "cohort__programme_id"))
    modules = defaultdict(list)
    for module in Module.objects.filter(programme_id__in=set(programme_of.values())).order_by("position", "id"):
        modules[module.programme_id].append(module)
    found = []
    for enrolment in enrolments:
        own = modules[programme_of[enrolment.pk]]
        if (enrolment.pk, None) in asked or (enrolment.pk, None) in answered:
            own = [*own, None]
        rows = []
        for module in own:
            key = (enrolment.pk, module.pk if module else None)
            done = answered.get(key, {})
            rows.append(
                ModuleSummary(
                    module, asked.get(key, {}).get("n", 0), done.get("n", 0), done.get("right", 0), retention.get(key)
                )
            )
        found.append(PersonSummary(enrolment, rows))
    return found


def team_enrolments(user: User, *, workspace: Workspace) -> QuerySet[Enrolment]:
    """The enrolments of the people this person line-manages, directly or further down (the
    same line as the ``quizzes.view_summary`` rule); withdrawn ones left out."""
    me: Person | None = membership(user, workspace)
    if me is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(workspace=workspace)
        .filter(person_id__in=report_ids(me))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user", "cohort__programme")
        .order_by("person__user__name", "cohort__starts_on", "id")
    )


# A person's own answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    answer: Answer
    prompt: str
    lang: str
    given: str
    expected: str
    explanation: str


def _shown(question, text: dict, choices: list[int], number) -> str:
    if number is not None:
        return local_number(number)
    options = text.get("options", [])
    return "; ".join(options[i] for i in choices if 0 <= i < len(options))


def answer_rows(enrolment: Enrolment) -> list[AnswerRow]:
    """The person's answers, newest first, in the reader's language where the question has it:
    what they answered, the right answer and the explanation."""
    language = get_language()
    rows = []
    for answer in Answer.objects.filter(enrolment=enrolment).select_related("question").order_by("-answered_at", "-id"):
        question = answer.question
        text = question.text_for(language)
        expected = _shown(question, text, question.correct, question.number)
        if question.number is not None and question.tolerance:
            expected += " ± " + local_number(question.tolerance)
        given = _shown(question, text, answer.choices, answer.number)
        rows.append(
            AnswerRow(
                answer,
                text.get("prompt", ""),
                question.language_for(language),
                given,
                expected,
                text.get("explanation", ""),
            )
        )
    return rows
