"""How well a cohort or a programme answers its quiz questions: accuracy per question, module and
learning objective (first attempt against later ones), the trend across rounds and weeks, the
wrong options chosen most often, "confidently wrong" answers, and the weak spots.

Every figure comes from a few grouped queries over the answers, never a query per row, so the
pages and the API (which share these functions) stay fast for large cohorts. A participant's own
retention and a manager's summary live in ``retention.py``.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from takeroot.programmes.models import Cohort, Enrolment, LearningObjective, Module, Programme

from .enums import Confidence
from .models import Answer, Question

# The weak-spot rule, stated on the results pages: enough first answers to judge, and a
# first-attempt accuracy that is low outright or well below the group's own average.
MIN_FIRST_ANSWERS = 5
LOW_ACCURACY = 0.6
BELOW_AVERAGE = 0.15
DISTRACTORS_SHOWN = 3


@dataclass(frozen=True)
class Score:
    """Answers and right answers, in total and on the first attempt (the person's first meeting
    with the question: what the training left, before the quizzes taught it again)."""

    answers: int = 0
    right: int = 0
    first: int = 0
    first_right: int = 0
    sure_wrong: int = 0

    @property
    def later(self) -> int:
        return self.answers - self.first

    @property
    def later_right(self) -> int:
        return self.right - self.first_right

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def first_accuracy(self) -> float | None:
        return self.first_right / self.first if self.first else None

    @property
    def later_accuracy(self) -> float | None:
        return self.later_right / self.later if self.later else None

    @property
    def percent(self) -> int | None:
        return percent(self.accuracy)

    @property
    def first_percent(self) -> int | None:
        return percent(self.first_accuracy)

    @property
    def later_percent(self) -> int | None:
        return percent(self.later_accuracy)


EMPTY = Score()


def local_number(value) -> str:
    """A stored decimal as the reader's language writes it: 30 or 2,5, never 30.000000."""
    return formats.number_format(value.normalize(), use_l10n=True)


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@dataclass
class Row:
    """One line of a results table: what it is about, its score, and why it is flagged ("" when
    it is not). Question rows also carry their prompt and the wrong options chosen most often."""

    obj: object
    score: Score
    flag: str = ""
    label: str = ""
    lang: str = ""
    distractors: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class WeakSpot:
    """A question, module or objective the group answers badly, for the trainer and the problem finder."""

    kind: str  # "question" | "module" | "objective"
    obj: object
    accuracy: float  # first-attempt accuracy, 0–1
    answers: int  # first answers it is judged on
    reason: str
    label: str = ""  # its title, objective or prompt in the reader's language
    lang: str = ""  # the prompt's language, when it is a question


@dataclass
class Results:
    overall: Score
    questions: list[Row]
    modules: list[Row]
    objectives: list[Row]
    by_round: list[tuple[int, Score]]
    by_week: list[tuple[datetime.date, Score]]
    module_rounds: dict[int | None, dict[int, Score]]  # module id → round number → score
    groups: list[Row]  # the cohort's participants, or the programme's cohorts

    @property
    def weak_spots(self) -> list[WeakSpot]:
        spots = []
        for kind, rows in (("module", self.modules), ("objective", self.objectives), ("question", self.questions)):
            spots += [
                WeakSpot(kind, row.obj, row.score.first_accuracy, row.score.first, row.flag, row.label, row.lang)
                for row in rows
                if row.flag and row.obj is not None
            ]
        return spots


# Grouped counting ------------------------------------------------------------------------------


COUNTS = {
    "n": Count("id"),
    "right": Count("id", filter=Q(correct=True)),
    "first": Count("id", filter=Q(attempt=1)),
    "first_right": Count("id", filter=Q(attempt=1, correct=True)),
    "sure_wrong": Count("id", filter=Q(correct=False, confidence=Confidence.SURE)),
}


def _score(row: dict) -> Score:
    return Score(row["n"], row["right"], row["first"], row["first_right"], row["sure_wrong"])


def scores(answers: QuerySet[Answer], *keys: str) -> dict:
    """One grouped query: the score per value of ``keys`` (a tuple of values for several keys)."""
    rows = answers.order_by().values(*keys).annotate(**COUNTS)
    if len(keys) == 1:
        return {row[keys[0]]: _score(row) for row in rows}
    return {tuple(row[key] for key in keys): _score(row) for row in rows}


def total(answers: QuerySet[Answer]) -> Score:
    return _score(answers.order_by().aggregate(**COUNTS))


def cohort_answers(cohort: Cohort) -> QuerySet[Answer]:
    return Answer.objects.filter(enrolment__cohort=cohort)


def programme_answers(programme: Programme) -> QuerySet[Answer]:
    return Answer.objects.filter(enrolment__cohort__programme=programme)


# Flags -----------------------------------------------------------------------------------------


def flag_for(score: Score, average: float | None) -> str:
    """Why a row is a weak spot, in words, or "" when it is not one (see the rule above)."""
    accuracy = score.first_accuracy
    if score.first < MIN_FIRST_ANSWERS or accuracy is None:
        return ""
    if accuracy < LOW_ACCURACY:
        return _("First-attempt accuracy %(accuracy)s %% is below %(limit)s %%.") % {
            "accuracy": percent(accuracy),
            "limit": percent(LOW_ACCURACY),
        }
    if average is not None and accuracy < average - BELOW_AVERAGE:
        return _("First-attempt accuracy %(accuracy)s %% is well below the average of %(average)s %%.") % {
            "accuracy": percent(accuracy),
            "average": percent(average),
        }
    return ""


def _rows(objects, found: dict, average: float | None, label) -> list[Row]:
    """A row per object (modules, objectives, cohorts), with no answers when it has none."""
    rows = []
    for obj in objects:
        score = found.get(obj.pk, EMPTY)
        rows.append(Row(obj, score, flag_for(score, average), label(obj)))
    return rows


# Distractors -----------------------------------------------------------------------------------


def _distractors(answers: QuerySet[Answer], questions: dict[int, Question]) -> dict[int, Counter]:
    """Per question, how often each wrong option (or wrong number) was chosen: one query."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for question_id, choices, number in answers.filter(correct=False).values_list("question_id", "choices", "number"):
        question = questions.get(question_id)
        if question is None:
            continue
        if number is not None:
            counts[question_id][local_number(number)] += 1
        for index in choices or []:
            if index not in question.correct:
                counts[question_id][index] += 1
    return counts


def _option_label(question: Question, language: str, option) -> str:
    if isinstance(option, str):
        return option
    options = question.text_for(language).get("options", [])
    return options[option] if 0 <= option < len(options) else str(option)


# Results ---------------------------------------------------------------------------------------


def _question_rows(answers, programme: Programme, average: float | None) -> list[Row]:
    found = scores(answers, "question_id")
    questions = Question.objects.filter(programme=programme).filter(Q(archived_at__isnull=True) | Q(pk__in=list(found)))
    questions = {q.pk: q for q in questions.select_related("module", "objective")}
    wrong = _distractors(answers, questions)
    language = get_language()
    rows = []
    for question in questions.values():
        score = found.get(question.pk, EMPTY)
        chosen = [
            (_option_label(question, language, o), n) for o, n in wrong[question.pk].most_common(DISTRACTORS_SHOWN)
        ]
        text = question.text_for(language)
        rows.append(
            Row(
                question,
                score,
                flag_for(score, average),
                text.get("prompt", ""),
                question.language_for(language),
                chosen,
            )
        )
    return rows


def _module_rows(answers, programme: Programme, average: float | None) -> list[Row]:
    found = scores(answers, "question__module_id")
    modules = list(Module.objects.filter(programme=programme).order_by("position", "id"))
    rows = _rows(modules, found, average, lambda module: module.title)
    if None in found:
        rows.append(Row(None, found[None], "", _("No module")))
    return rows


def _objective_rows(answers, programme: Programme, average: float | None) -> list[Row]:
    found = scores(answers, "question__objective_id")
    objectives = LearningObjective.objects.filter(module__programme=programme).select_related("module")
    return _rows(objectives.order_by("module__position", "position", "id"), found, average, lambda o: o.text)


def _weeks(answers) -> list[tuple[datetime.date, Score]]:
    found = scores(answers.annotate(week=TruncWeek("answered_at")), "week")
    return [
        (week.date() if isinstance(week, datetime.datetime) else week, score) for week, score in sorted(found.items())
    ]


def _results(answers: QuerySet[Answer], programme: Programme, groups: list[Row]) -> Results:
    overall = total(answers)
    average = overall.first_accuracy
    module_rounds: dict[int | None, dict[int, Score]] = defaultdict(dict)
    for (module_id, number), score in scores(answers, "question__module_id", "item__round__number").items():
        module_rounds[module_id][number] = score
    return Results(
        overall=overall,
        questions=_question_rows(answers, programme, average),
        modules=_module_rows(answers, programme, average),
        objectives=_objective_rows(answers, programme, average),
        by_round=sorted(scores(answers, "item__round__number").items()),
        by_week=_weeks(answers),
        module_rounds=dict(module_rounds),
        groups=groups,
    )


def cohort_results(cohort: Cohort) -> Results:
    """The cohort's results, with one row per participant (their overall score)."""
    answers = cohort_answers(cohort)
    found = scores(answers, "enrolment_id")
    enrolments = (
        Enrolment.objects.filter(cohort=cohort).select_related("person__user").order_by("person__user__name", "id")
    )
    people = [Row(e, found.get(e.pk, EMPTY), "", e.person.user.name) for e in enrolments]
    return _results(answers, cohort.programme, people)


def programme_results(programme: Programme) -> Results:
    """The programme's results over all its cohorts, with one row per cohort to compare them."""
    answers = programme_answers(programme)
    found = scores(answers, "enrolment__cohort_id")
    average = total(answers).first_accuracy
    cohorts = Cohort.objects.filter(programme=programme).order_by("starts_on", "id")
    return _results(answers, programme, _rows(cohorts, found, average, lambda cohort: cohort.name))


def weak_spots(cohort: Cohort) -> list[WeakSpot]:
    """The modules, objectives and questions this cohort answers badly (the rule above), for
    the results page, the API and the problem finder."""
    return cohort_results(cohort).weak_spots


def confidently_wrong(cohort: Cohort) -> QuerySet[Answer]:
    """Wrong answers given as "sure", newest first: misconceptions the trainer should address."""
    return (
        cohort_answers(cohort)
        .filter(correct=False, confidence=Confidence.SURE)
        .select_related("enrolment__person__user", "question")
        .order_by("-answered_at", "-id")
    )
