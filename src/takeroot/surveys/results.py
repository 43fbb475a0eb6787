"""Survey results that keep the workspace's anonymity thresholds, for pages, the API and exports.

Every result (a question, a row of a matrix, a group of a breakdown, a point of a trend) says
``shown``, ``not enough responses`` (someone answered, but fewer than the threshold, or showing it
would let someone subtract their way to fewer than the threshold) or ``no data``. Figures of a
result that is not shown never leave this module: not its n, not its mean.

The rules, in one place:
- A group is shown from ``min_responses`` responses; free-text comments from ``min_comments``.
- A breakdown (teams, rater groups, cohorts, months) shows a set of groups of one parent only when
  the parent minus the shown groups is nobody or again at least the threshold
  (``stats.groups_to_show``), checked per question and per matrix row as well.
- A filter (one team, one rater group) shows exactly that group of the breakdown, and only when
  the breakdown shows it: so the group and the rest of the survey both have at least the
  threshold (or the rest is nobody), and no filter undoes a group the breakdown held back. A
  filter and a breakdown are not combined.
- Results appear once a survey has closed: watching live figures change after each answer would
  tell who just answered what.
- A 360° (a survey about a person): the subject's own answers are shown to the subject only; every
  other figure leaves them out. The manager is one person and is never shown as a group.
- A programme pools, per question, only the surveys whose own page shows that question, so the
  programme's figures minus the cohorts' figures isolate no one.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from takeroot.core.models import Team, Workspace
from takeroot.programmes.models import Programme

from .enums import RaterGroup, SurveyQuestionKind, SurveyState
from .instruments import survey_settings_for
from .models import (
    Instrument,
    Response,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    text_in,
)
from .responding import point_labels
from .stats import MeanCI, groups_to_show, mean_ci, net_score


class ResultStatus(models.TextChoices):
    SHOWN = "shown", gettext_lazy("shown")
    NOT_ENOUGH = "not_enough_responses", gettext_lazy("not enough responses")
    NO_DATA = "no_data", gettext_lazy("no data")


class Breakdown(models.TextChoices):
    TEAM = "team", gettext_lazy("by team")
    RATER_GROUP = "rater_group", gettext_lazy("by rater group")


@dataclass(frozen=True)
class Thresholds:
    min_responses: int
    min_comments: int

    def for_kind(self, kind: str) -> int:
        return self.min_comments if kind == SurveyQuestionKind.TEXT else self.min_responses


def thresholds_for(workspace: Workspace) -> Thresholds:
    """The workspace's thresholds: the defaults (5 responses, 8 for comments) until an admin saves others."""
    saved = survey_settings_for(workspace)
    return Thresholds(saved.min_responses, saved.min_comments)


def _status(n: int, threshold: int, allowed: bool = True) -> str:
    if n == 0:
        return ResultStatus.NO_DATA
    return ResultStatus.SHOWN if n >= threshold and allowed else ResultStatus.NOT_ENOUGH


# Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # the scale point or the option's index
    count: int
    share: float  # of everyone who answered the question (or row)


class _Status:
    """A result's status ("shown", "not enough responses", "no data") as the pages ask for it."""

    status: str

    @property
    def shown(self) -> bool:
        return self.status == ResultStatus.SHOWN

    @property
    def status_label(self) -> str:
        return str(ResultStatus(self.status).label)


@dataclass
class RowResult(_Status):
    """One statement of a matrix."""

    label: str
    status: str
    n: int | None = None
    bars: list[Bar] = field(default_factory=list)
    mean: MeanCI | None = None


@dataclass
class QuestionResult(_Status):
    question: SurveyQuestion
    prompt: str
    status: str
    n: int | None = None  # None unless shown
    bars: list[Bar] = field(default_factory=list)  # the distribution, or the choices counted
    mean: MeanCI | None = None  # scales only
    net_score: int | None = None  # 0–10 questions only
    rows: list[RowResult] = field(default_factory=list)  # matrices
    comments: list[str] = field(default_factory=list)  # free text, sorted

    @property
    def kind(self) -> str:
        return self.question.kind


class _Answer(NamedTuple):
    response: int
    row: int | None
    number: int | None
    choices: list
    text: str


def _answered(answer: _Answer) -> bool:
    return answer.number is not None or bool(answer.choices) or bool(answer.text.strip())


def _answers(response_ids: Iterable[int]) -> dict[int, list[_Answer]]:
    """Every answer of the responses, by question."""
    found = defaultdict(list)
    fields = ("question_id", "response_id", "row", "number", "choices", "text")
    for question_id, *values in SurveyAnswer.objects.filter(response_id__in=list(response_ids)).values_list(*fields):
        answer = _Answer(*values)
        if _answered(answer):
            found[question_id].append(answer)
    return found


def _count(answers: list[_Answer], ids: set[int], row: int | None = None) -> int:
    return len({a.response for a in answers if a.response in ids and (row is None or a.row == row)})


def _bars(counts: dict[int, int], labels: list[tuple[int, str]], n: int) -> list[Bar]:
    return [Bar(label, value, counts.get(value, 0), counts.get(value, 0) / n) for value, label in labels]


def _rows_of(question: SurveyQuestion, text: dict) -> list[str]:
    return list(text.get("rows") or [])


Allowed = Callable[[int | None], bool]  # whether the question (row None) or a matrix row may be shown


def question_result(
    question: SurveyQuestion,
    answers: list[_Answer],
    ids: set[int],
    thresholds: Thresholds,
    *,
    allowed: Allowed = lambda _row: True,
) -> QuestionResult:
    """The result of one question over the responses ``ids``; figures only when it may be shown."""
    text = text_in(question.content, get_language() or "en")
    answers = [a for a in answers if a.response in ids]
    n = _count(answers, ids)
    status = _status(n, thresholds.for_kind(question.kind), allowed(None))
    result = QuestionResult(question, text.get("prompt", ""), status)
    if question.kind == SurveyQuestionKind.MATRIX:
        labels = point_labels(question, text)
        for row, label in enumerate(_rows_of(question, text)):
            in_row = [a for a in answers if a.row == row]
            row_n = _count(in_row, ids, row)
            row_status = _status(row_n, thresholds.min_responses, allowed(row) and status == ResultStatus.SHOWN)
            shown = RowResult(label, row_status)
            if shown.shown:
                counts = _tally(a.number for a in in_row)
                shown.n, shown.bars = row_n, _bars(counts, labels, row_n)
                shown.mean = mean_ci(a.number for a in in_row)
            result.rows.append(shown)
    if not result.shown:
        return result
    result.n = n
    if question.kind in (SurveyQuestionKind.LIKERT_5, SurveyQuestionKind.LIKERT_7, SurveyQuestionKind.SCALE_10):
        numbers = [a.number for a in answers]
        result.bars = _bars(_tally(numbers), point_labels(question, text), n)
        result.mean = mean_ci(numbers)
        if question.kind == SurveyQuestionKind.SCALE_10:
            result.net_score = net_score(numbers)
    elif question.kind in (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE):
        picked = [a.number for a in answers] if question.kind == SurveyQuestionKind.SINGLE else []
        for a in answers if question.kind == SurveyQuestionKind.MULTIPLE else ():
            picked.extend(set(a.choices))
        options = list(enumerate(text.get("options") or []))
        result.bars = _bars(_tally(picked), options, n)
    elif question.kind == SurveyQuestionKind.TEXT:
        # Sorted, so the order says nothing about who answered first.
        result.comments = sorted((a.text.strip() for a in answers), key=lambda t: (t.casefold(), t))
    return result


def _tally(values: Iterable) -> dict:
    counts = defaultdict(int)
    for value in values:
        counts[value] += 1
    return counts


def partition_results(
    question: SurveyQuestion,
    answers: list[_Answer],
    groups: dict,
    thresholds: Thresholds,
    *,
    eligible: set | None = None,
) -> dict:
    """The question's result in each group of a partition of one parent (the union of
    ``groups``), holding back groups until the parent minus the shown ones isolates nobody, for
    the question and for each matrix row. Only ``eligible`` groups may be shown at all."""
    everyone = set().union(*groups.values()) if groups else set()
    eligible = set(groups) if eligible is None else eligible
    text = text_in(question.content, get_language() or "en")
    rows = [None] + (list(range(len(_rows_of(question, text)))) if question.kind == SurveyQuestionKind.MATRIX else [])
    shown_by_row = {}
    for row in rows:
        threshold = thresholds.for_kind(question.kind) if row is None else thresholds.min_responses
        counts = {key: _count(answers, ids, row) for key, ids in groups.items()}
        # An ineligible group counts in the parent but can never be chosen to be shown.
        candidates = {key: (count if key in eligible else 0) for key, count in counts.items()}
        shown_by_row[row] = groups_to_show(candidates, total=_count(answers, everyone, row), threshold=threshold)
    return {
        key: question_result(question, answers, ids, thresholds, allowed=lambda row, key=key: key in shown_by_row[row])
        for key, ids in groups.items()
    }


# A survey --------------------------------------------------------------------------------------


@dataclass
class GroupResult(_Status):
    key: object
    label: str
    status: str
    n: int | None
    questions: list[QuestionResult]


@dataclass
class BreakdownResult:
    dimension: str
    label: str
    groups: list[GroupResult]
    refused: str = ""  # why no group can be shown

    def per_question(self) -> list[dict]:
        """For tables: each question with every group's result (None for groups not shown)."""
        shown = [group for group in self.groups if group.shown]
        if not shown:
            return []
        return [
            {
                "prompt": first.prompt,
                "kind": first.kind,
                "cells": [(g, g.questions[i] if g.shown else None) for g in self.groups],
            }
            for i, first in enumerate(shown[0].questions)
        ]


@dataclass
class SurveyResults(_Status):
    survey: Survey
    thresholds: Thresholds
    status: str
    n: int | None
    questions: list[QuestionResult]
    closed: bool
    breakdown: BreakdownResult | None = None
    filter_label: str = ""  # "Team: Sales" when filtered
    refused: str = ""  # why the filter (or the combination asked for) cannot be shown
    own: list[QuestionResult] = field(default_factory=list)  # the subject's own answers, for the subject only
    is_about_someone: bool = False

    @property
    def shown(self) -> bool:
        return self.status == ResultStatus.SHOWN and not self.refused


class _Row(NamedTuple):
    id: int
    survey_id: int
    rater_group: str
    team_id: int | None
    week: datetime.date


def _responses(surveys) -> list[_Row]:
    fields = ("id", "survey_id", "rater_group", "team_id", "week")
    return [_Row(*values) for values in Response.objects.filter(survey__in=surveys).values_list(*fields)]


def _team_labels(workspace, ids: Iterable) -> dict:
    names = dict(Team.objects.filter(workspace=workspace, pk__in=[i for i in ids if i]).values_list("pk", "name"))
    return {key: names.get(key) or _("No team") for key in ids}


def _refusal(thresholds: Thresholds) -> str:
    return _(
        "Not shown: it would leave a group of fewer than %(minimum)s people whose answers could be worked out "
        "by subtracting one result from another."
    ) % {"minimum": thresholds.min_responses}


def parse_options(survey: Survey, *, breakdown: str = "", team: str = "", rater_group: str = "") -> dict:
    """The breakdown and filter asked for (from a page's or the API's query), checked: raises
    ``ValidationError`` naming the field for a value that does not exist."""
    errors = {}
    if breakdown and breakdown not in Breakdown.values:
        errors["breakdown"] = _("Choose a breakdown by team or by rater group.")
    if rater_group and rater_group not in RaterGroup.values:
        errors["rater_group"] = _("Choose one of the rater groups.")
    found = None
    if team:
        try:
            found = Team.objects.filter(workspace=survey.workspace, uuid=team).first()
        except ValidationError:
            found = None
        if found is None:
            errors["team"] = _("Choose one of the workspace's teams.")
    if errors:
        raise ValidationError(errors)
    return {"breakdown": breakdown, "team": found, "rater_group": rater_group}


def survey_results(
    survey: Survey,
    *,
    viewer_is_subject: bool = False,
    breakdown: str = "",
    team: Team | None = None,
    rater_group: str = "",
) -> SurveyResults:
    """The results of ``survey`` under the thresholds, optionally broken down (``breakdown``: a
    ``Breakdown`` value) or filtered to one team or one rater group (not both at once, and not
    with a breakdown). ``viewer_is_subject`` adds a 360°'s own answers for the person it is about."""
    thresholds = thresholds_for(survey.workspace)
    rows = _responses([survey])
    about_someone = survey.subject_id is not None
    own_ids = {r.id for r in rows if about_someone and r.rater_group == RaterGroup.SELF}
    base = [r for r in rows if r.id not in own_ids]
    ids = {r.id for r in base}
    closed = survey.state == SurveyState.CLOSED
    status = _status(len(ids), thresholds.min_responses)
    questions = list(survey.instrument.questions.all())
    results = SurveyResults(survey, thresholds, status, None, [], closed, is_about_someone=about_someone)
    if not closed:
        return results
    answers = _answers(ids | own_ids)
    if viewer_is_subject and own_ids:
        mine = Thresholds(1, 1)
        results.own = [question_result(q, answers.get(q.pk, []), own_ids, mine) for q in questions]
    if status == ResultStatus.SHOWN:
        results.n = len(ids)

    chosen = [name for name, value in (("breakdown", breakdown), ("team", team), ("rater_group", rater_group)) if value]
    if len(chosen) > 1:
        results.refused = _("Choose a breakdown or one filter, not several at once.")
        return results
    if team is not None or rater_group:
        return _filtered(results, base, answers, questions, team=team, rater_group=rater_group)

    results.questions = [question_result(q, answers.get(q.pk, []), ids, thresholds) for q in questions]
    if breakdown:
        results.breakdown = _breakdown(survey, breakdown, base, answers, questions, thresholds)
    return results


def _filtered(results: SurveyResults, base: list[_Row], answers, questions, *, team, rater_group) -> SurveyResults:
    """One group on its own: exactly that group of the breakdown by its dimension, shown only when
    the breakdown shows it. A filter is never a way around the breakdown's rule: the rest of the
    survey is then other shown groups plus a remainder that is nobody or at least the threshold."""
    thresholds = results.thresholds
    if team is not None:
        dimension, key = Breakdown.TEAM, team.pk
        results.filter_label = _("Team: %(team)s") % {"team": team.name}
    else:
        dimension, key = Breakdown.RATER_GROUP, rater_group
        results.filter_label = _("Rater group: %(group)s") % {"group": RaterGroup(rater_group).label}
    breakdown = _breakdown(results.survey, dimension, base, answers, questions, thresholds)
    group = next((g for g in breakdown.groups if g.key == key), None)
    if group is None or not group.shown:
        results.refused = _(
            "This filter is not shown: the group, or the rest of the survey without it, has too few responses "
            "(fewer than %(minimum)s), so someone's answers could be worked out."
        ) % {"minimum": thresholds.min_responses}
        results.n = None
        return results
    results.n, results.questions = group.n, group.questions
    return results


def _breakdown(survey, dimension: str, base: list[_Row], answers, questions, thresholds) -> BreakdownResult:
    """The survey's responses split by team or by rater group, under the remainder rule for the
    groups and again for every question and matrix row."""
    groups: dict = defaultdict(set)
    for r in base:
        groups[r.team_id if dimension == Breakdown.TEAM else r.rater_group].add(r.id)
    if dimension == Breakdown.TEAM:
        labels = _team_labels(survey.workspace, groups)
        order = sorted(groups, key=lambda key: (key is None, labels[key].casefold()))
        eligible = set(groups)
    else:
        labels = {key: str(RaterGroup(key).label) for key in groups}
        order = [key for key in RaterGroup.values if key in groups]
        eligible = set(groups)
        if survey.subject_id:
            # About one person: their manager is one person, and their own answers are theirs only.
            eligible -= {RaterGroup.MANAGER, RaterGroup.SELF}
    total = sum(len(ids) for ids in groups.values())
    counts = {key: (len(ids) if key in eligible else 0) for key, ids in groups.items()}
    shown = groups_to_show(counts, total=total, threshold=thresholds.min_responses)
    per_question = {
        q.pk: partition_results(q, answers.get(q.pk, []), dict(groups), thresholds, eligible=shown) for q in questions
    }
    result = BreakdownResult(dimension, str(Breakdown(dimension).label), [])
    for key in order:
        status = _status(len(groups[key]), thresholds.min_responses, key in shown)
        n = len(groups[key]) if status == ResultStatus.SHOWN else None
        group_questions = [per_question[q.pk][key] for q in questions] if key in shown else []
        result.groups.append(GroupResult(key, labels[key], status, n, group_questions))
    if not shown and total:
        result.refused = _refusal(thresholds)
    return result


# A programme -----------------------------------------------------------------------------------


@dataclass
class Point:
    """One point of a trend: a survey (cohort) or a month."""

    key: object
    label: str
    result: QuestionResult
    difference: float | None = None  # from the programme average, for the cohorts


@dataclass
class QuestionTrend:
    question: SurveyQuestion
    overall: QuestionResult  # the programme average: every survey that shows this question
    cohorts: list[Point]
    months: list[Point]

    @property
    def prompt(self) -> str:
        return self.overall.prompt


@dataclass
class ProgrammeResults:
    programme: Programme
    instrument: Instrument | None
    instruments: list[Instrument]
    thresholds: Thresholds
    surveys: list[tuple[Survey, str]]  # each closed survey of the instrument with its status
    questions: list[QuestionTrend]


def programme_instruments(programme: Programme) -> list[Instrument]:
    """The questionnaires of the programme's closed cohort surveys (not those about one person)."""
    surveys = Survey.objects.filter(programme=programme, state=SurveyState.CLOSED, subject__isnull=True)
    return list(Instrument.objects.filter(pk__in=surveys.values("instrument_id")).order_by("created_at", "pk"))


def _most_answered(programme: Programme, instruments: list[Instrument]) -> Instrument | None:
    """The questionnaire with the most responses in the programme's closed surveys (the newest of
    equals): what the programme page shows first."""
    counts = dict(
        Response.objects.filter(
            survey__programme=programme, survey__state=SurveyState.CLOSED, survey__subject__isnull=True
        )
        .values("survey__instrument_id")
        .annotate(n=models.Count("id"))
        .values_list("survey__instrument_id", "n")
    )
    return max(reversed(instruments), key=lambda found: counts.get(found.pk, 0), default=None)


def _survey_label(survey: Survey) -> str:
    return survey.cohort.name if survey.cohort_id else survey.title


def month_of(week: datetime.date) -> datetime.date:
    return week.replace(day=1)


def programme_results(programme: Programme, *, instrument: Instrument | None = None) -> ProgrammeResults:
    """The same questionnaire across the programme's closed surveys: each cohort's result as its
    own page shows it, the programme average over the surveys that show a question, each cohort's
    difference from it, and the average month by month (weeks are never shown)."""
    instruments = programme_instruments(programme)
    instrument = instrument or _most_answered(programme, instruments)
    thresholds = thresholds_for(programme.workspace)
    results = ProgrammeResults(programme, instrument, instruments, thresholds, [], [])
    if instrument is None:
        return results
    surveys = list(
        Survey.objects.filter(
            programme=programme, instrument=instrument, state=SurveyState.CLOSED, subject__isnull=True
        ).select_related("cohort", "instrument")
    )
    surveys.sort(key=lambda s: (s.cohort.starts_on if s.cohort_id else s.closes_at.date(), s.pk))
    rows = _responses(surveys)
    by_survey = defaultdict(set)
    for r in rows:
        by_survey[r.survey_id].add(r.id)
    week_of = {r.id: r.week for r in rows}
    answers = _answers(week_of)
    for survey in surveys:
        results.surveys.append((survey, _status(len(by_survey[survey.pk]), thresholds.min_responses)))
    for question in instrument.questions.all():
        answers_q = answers.get(question.pk, [])
        cohorts = []
        for survey in surveys:
            ids = by_survey[survey.pk]
            shown = len(ids) >= thresholds.min_responses
            result = question_result(question, answers_q, ids, thresholds, allowed=lambda _row, shown=shown: shown)
            cohorts.append(Point(survey.uuid, _survey_label(survey), result))
        pool = set().union(*(by_survey[s.pk] for s, point in zip(surveys, cohorts, strict=True) if _complete(point)))
        overall = question_result(question, answers_q, pool, thresholds)
        if not pool and any(point.result.status != ResultStatus.NO_DATA for point in cohorts):
            overall.status = ResultStatus.NOT_ENOUGH  # answered, but in no cohort that is shown
        if overall.mean is not None:
            for point in cohorts:
                if point.result.mean is not None:
                    point.difference = point.result.mean.mean - overall.mean.mean
        months = defaultdict(set)
        for response in pool:
            months[month_of(week_of[response])].add(response)
        by_month = partition_results(question, answers_q, dict(months), thresholds)
        month_points = [Point(month, "", by_month[month]) for month in sorted(months)]
        results.questions.append(QuestionTrend(question, overall, cohorts, month_points))
    return results


def _complete(point: Point) -> bool:
    """Whether the survey's page shows this question entirely (every row of a matrix too)."""
    return point.result.shown and all(row.shown for row in point.result.rows)
