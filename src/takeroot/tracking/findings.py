"""The problem finder (seed 001's analysis meeting): what many people of a cohort struggle with.

Per cohort (and, with two cohorts or more, across the programme): modules whose quiz and
assignment scores are low, practice tasks few complete, modules and categories that generate many
tickets, and survey items below target. Each problem is one ``Finding`` (its fingerprint), updated
on each run and never duplicated; people dismiss it or answer it with a ``DesignChange``, whose
page puts the next cohort's figure beside the previous one's (``compare``).

Knowledge and practice figures come from the weekly ``Rollup`` rows, tickets from
``tickets.metrics.problem_areas``, survey items from ``surveys.results`` (closed surveys, only
what the anonymity thresholds show).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.models import Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Programme
from takeroot.surveys.enums import POINTS, SurveyQuestionKind, SurveyState
from takeroot.surveys.models import Survey
from takeroot.surveys.results import survey_results
from takeroot.tickets.metrics import problem_areas
from takeroot.tickets.models import Ticket

from .enums import FindingKind, Input
from .models import DesignChange, Finding, Indicator, Rollup
from .risk import SCORE_INPUTS, quiz_accuracy_threshold

# Enough evidence before calling something a cohort's problem.
MIN_ANSWERS = 10
MIN_PEOPLE = 3
PRACTICE_CODE = "practice_completion"
DEFAULT_PRACTICE_TARGET = 0.7
# Many tickets: at least this many, and at least one for every four participants.
MIN_TICKETS = 3
TICKETS_PER_PARTICIPANT = 0.25
# A survey item is below target under 70 % of its scale's top (3.5 of 5, 4.9 of 7, 7 of 10).
SURVEY_TARGET_SHARE = 0.7


@dataclass(frozen=True)
class Problem:
    """One problem found on this run, before it is saved as a finding."""

    fingerprint: str
    kind: str
    programme_id: int
    cohort_id: int | None
    module_id: int | None
    value: float
    target: float
    count: int
    subject: str = ""


@dataclass(frozen=True)
class Figure:
    """A metric's figure in one cohort and how many people, tickets or responses are behind it."""

    value: float
    count: int


def practice_target(workspace: Workspace) -> float:
    found = (
        Indicator.objects.filter(workspace=workspace, code=PRACTICE_CODE, archived_at__isnull=True)
        .values_list("threshold", flat=True)
        .first()
    )
    return DEFAULT_PRACTICE_TARGET if found is None else found


def _participants(cohort_ids) -> dict[int, int]:
    rows = (
        Cohort.objects.filter(pk__in=cohort_ids)
        .annotate(n=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN)))
        .values_list("pk", "n")
    )
    return dict(rows)


def _module_means(cohorts: list[Cohort], inputs, *, by_programme: bool) -> list[dict]:
    """Mean of ``inputs`` per cohort (or programme) and module, with answers and people counts."""
    group = "cohort__programme_id" if by_programme else "cohort_id"
    return list(
        Rollup.objects.filter(cohort__in=cohorts, enrolment__isnull=False, input__in=inputs)
        .values(group, "module_id")
        .annotate(
            total=Sum("total"),
            answers=Sum("count"),
            people=Count("enrolment_id", distinct=True),
            cohorts=Count("cohort_id", distinct=True),
        )
        .order_by(group, "module_id")
    )


def _rollup_problems(cohorts: list[Cohort], kind: str, inputs, target: float) -> list[Problem]:
    programme_of = {cohort.pk: cohort.programme_id for cohort in cohorts}
    problems = []
    for by_programme in (False, True):
        for row in _module_means(cohorts, inputs, by_programme=by_programme):
            if row["answers"] < MIN_ANSWERS or row["people"] < MIN_PEOPLE:
                continue
            if by_programme and row["cohorts"] < 2:
                continue  # one cohort's programme figure is that cohort's: already found
            mean = row["total"] / row["answers"]
            if mean >= target:
                continue
            owner = f"p{row['cohort__programme_id']}" if by_programme else f"c{row['cohort_id']}"
            problems.append(
                Problem(
                    fingerprint=f"{kind}:{owner}:m{row['module_id'] or '-'}",
                    kind=kind,
                    programme_id=row["cohort__programme_id"] if by_programme else programme_of[row["cohort_id"]],
                    cohort_id=None if by_programme else row["cohort_id"],
                    module_id=row["module_id"],
                    value=round(mean, 4),
                    target=target,
                    count=row["people"],
                )
            )
    return problems


def _ticket_problems(cohorts: list[Cohort], programmes: list[Programme], since) -> list[Problem]:
    participants = _participants([cohort.pk for cohort in cohorts])
    scopes = [(cohort.programme_id, cohort, participants.get(cohort.pk, 0)) for cohort in cohorts]
    for programme in programmes:
        mine = [cohort for cohort in cohorts if cohort.programme_id == programme.pk]
        if len(mine) >= 2:
            scopes.append((programme.pk, None, sum(participants.get(cohort.pk, 0) for cohort in mine)))
    programmes_by_pk = {programme.pk: programme for programme in programmes}
    problems = []
    for programme_id, cohort, people in scopes:
        if not people:
            continue
        if cohort is not None:
            areas = problem_areas(cohort=cohort, since=since)
        else:
            areas = problem_areas(programme=programmes_by_pk[programme_id], since=since)
        owner = f"c{cohort.pk}" if cohort else f"p{programme_id}"
        for area in areas.modules:
            rate = area.tickets / people
            if area.tickets >= MIN_TICKETS and rate >= TICKETS_PER_PARTICIPANT:
                problems.append(
                    Problem(
                        f"{FindingKind.MANY_TICKETS_MODULE}:{owner}:m{area.module.pk}",
                        FindingKind.MANY_TICKETS_MODULE,
                        programme_id,
                        cohort.pk if cohort else None,
                        area.module.pk,
                        round(rate, 4),
                        TICKETS_PER_PARTICIPANT,
                        area.tickets,
                    )
                )
        for area in areas.categories:
            rate = area.tickets / people
            if area.tickets >= MIN_TICKETS and rate >= TICKETS_PER_PARTICIPANT:
                problems.append(
                    Problem(
                        f"{FindingKind.MANY_TICKETS_CATEGORY}:{owner}:{area.key}",
                        FindingKind.MANY_TICKETS_CATEGORY,
                        programme_id,
                        cohort.pk if cohort else None,
                        None,
                        round(rate, 4),
                        TICKETS_PER_PARTICIPANT,
                        area.tickets,
                        subject=area.key,
                    )
                )
    return problems


def _points(kind: str, scale_points: int) -> int:
    if kind == SurveyQuestionKind.SCALE_10:
        return 10
    return POINTS.get(kind, scale_points)


def _survey_items(survey: Survey) -> list[dict]:
    """The survey's scale items the thresholds show: question (or matrix row), mean, n, scale top."""
    results = survey_results(survey)
    items = []
    for result in results.questions:
        question = result.question
        if result.shown and result.mean is not None:
            top = _points(question.kind, question.scale_points)
            items.append(
                {
                    "question": question,
                    "row": None,
                    "prompt": result.prompt,
                    "mean": result.mean.mean,
                    "n": result.n,
                    "top": top,
                }
            )
        for index, row in enumerate(result.rows):
            if row.shown and row.mean is not None:
                items.append(
                    {
                        "question": question,
                        "row": index,
                        "prompt": f"{result.prompt} — {row.label}",
                        "mean": row.mean.mean,
                        "n": row.n,
                        "top": question.scale_points,
                    }
                )
    return items


def _survey_fingerprint(survey_id: int, question_id: int, row: int | None) -> str:
    return f"{FindingKind.SURVEY_BELOW_TARGET}:s{survey_id}:q{question_id}:r{'-' if row is None else row}"


def _survey_problems(cohorts: list[Cohort]) -> list[Problem]:
    surveys = Survey.objects.filter(cohort__in=cohorts, state=SurveyState.CLOSED, subject__isnull=True).select_related(
        "cohort", "instrument", "workspace"
    )
    problems = []
    for survey in surveys:
        for item in _survey_items(survey):
            target = round(SURVEY_TARGET_SHARE * item["top"], 2)
            if item["mean"] >= target:
                continue
            question = item["question"]
            problems.append(
                Problem(
                    _survey_fingerprint(survey.pk, question.pk, item["row"]),
                    FindingKind.SURVEY_BELOW_TARGET,
                    survey.cohort.programme_id,
                    survey.cohort_id,
                    question.module_id,
                    round(item["mean"], 4),
                    target,
                    item["n"],
                    subject=item["prompt"][:200],
                )
            )
    return problems


def find_problems(workspace: Workspace, *, now: datetime.datetime, programme: Programme | None = None) -> list[Finding]:
    """Look for problems in the workspace's (or one programme's) cohorts that have started, save
    each as a finding (new ones open; known ones get the new figures and keep their state), and
    return the findings seen on this run."""
    programmes = [programme] if programme is not None else list(Programme.objects.filter(workspace=workspace))
    cohorts = list(Cohort.objects.filter(programme__in=programmes, starts_on__lte=timezone.localdate(now)))
    if not cohorts:
        return []
    problems = [
        *_rollup_problems(cohorts, FindingKind.LOW_KNOWLEDGE, SCORE_INPUTS, quiz_accuracy_threshold(workspace)),
        *_rollup_problems(cohorts, FindingKind.FEW_PRACTICE, (Input.PRACTICE_COMPLETION,), practice_target(workspace)),
        *_ticket_problems(cohorts, programmes, since=None),
        *_survey_problems(cohorts),
    ]
    return _save(workspace, problems, now)


def _save(workspace: Workspace, problems: list[Problem], now: datetime.datetime) -> list[Finding]:
    known = {
        finding.fingerprint: finding
        for finding in Finding.objects.filter(workspace=workspace, fingerprint__in=[p.fingerprint for p in problems])
    }
    new, changed = [], []
    for problem in problems:
        finding = known.get(problem.fingerprint)
        if finding is None:
            new.append(
                Finding(
                    workspace=workspace,
                    programme_id=problem.programme_id,
                    cohort_id=problem.cohort_id,
                    module_id=problem.module_id,
                    kind=problem.kind,
                    subject=problem.subject,
                    value=problem.value,
                    target=problem.target,
                    count=problem.count,
                    fingerprint=problem.fingerprint,
                    found_at=now,
                    updated_at=now,
                )
            )
        elif (finding.value, finding.target, finding.count, finding.subject) != (
            problem.value,
            problem.target,
            problem.count,
            problem.subject,
        ):
            finding.value, finding.target, finding.count, finding.subject = (
                problem.value,
                problem.target,
                problem.count,
                problem.subject,
            )
            finding.updated_at = now
            changed.append(finding)
    Finding.objects.bulk_create(new)
    Finding.objects.bulk_update(changed, ["value", "target", "count", "subject", "updated_at"])
    return [*new, *known.values()]


# Figures in words and the before/after comparison --------------------------------------------------


def is_share(kind: str) -> bool:
    return kind in (FindingKind.LOW_KNOWLEDGE, FindingKind.FEW_PRACTICE)


def figure_text(kind: str, value: float | None) -> str:
    """A finding's figure as people read it: a percentage, tickets per participant, a mean."""
    if value is None:
        return _("no data yet")
    if is_share(kind):
        return f"{round(100 * value)} %"
    if kind in (FindingKind.MANY_TICKETS_MODULE, FindingKind.MANY_TICKETS_CATEGORY):
        return _("%(rate)s tickets per participant") % {"rate": f"{value:.2f}"}
    return f"{value:.2f}"


def count_text(kind: str, count: int) -> str:
    if kind in (FindingKind.MANY_TICKETS_MODULE, FindingKind.MANY_TICKETS_CATEGORY):
        return _("%(n)s tickets") % {"n": count}
    if kind == FindingKind.SURVEY_BELOW_TARGET:
        return _("%(n)s responses") % {"n": count}
    return _("%(n)s people") % {"n": count}


def _rollup_figure(cohort: Cohort, module_id: int | None, inputs) -> Figure | None:
    row = Rollup.objects.filter(
        cohort=cohort, enrolment__isnull=False, input__in=inputs, module_id=module_id
    ).aggregate(total=Sum("total"), answers=Sum("count"), people=Count("enrolment_id", distinct=True))
    if not row["answers"]:
        return None
    return Figure(row["total"] / row["answers"], row["people"])


def _ticket_figure(cohort: Cohort, *, module_id=None, category: str = "") -> Figure | None:
    people = _participants([cohort.pk]).get(cohort.pk, 0)
    if not people:
        return None
    tickets = Ticket.objects.filter(cohort=cohort)
    tickets = tickets.filter(module_id=module_id) if module_id else tickets.filter(category=category)
    count = tickets.count()
    return Figure(count / people, count)


def _survey_figure(finding: Finding, cohort: Cohort) -> Figure | None:
    """The same question (and matrix row) in the cohort's closed survey of the same instrument."""
    _kind, survey_part, question_part, row_part = finding.fingerprint.split(":")
    before = Survey.objects.filter(pk=int(survey_part[1:])).values_list("instrument_id", flat=True).first()
    question_id, row = int(question_part[1:]), None if row_part == "r-" else int(row_part[1:])
    surveys = Survey.objects.filter(
        cohort=cohort, instrument_id=before, state=SurveyState.CLOSED, subject__isnull=True
    ).select_related("instrument", "workspace", "cohort")
    for survey in surveys.order_by("-closed_at"):
        for item in _survey_items(survey):
            if item["question"].pk == question_id and item["row"] == row:
                return Figure(item["mean"], item["n"])
    return None


def figure_in(finding: Finding, cohort: Cohort | None, module_id: int | None) -> Figure | None:
    """The finding's metric in ``cohort`` (for its module): None when the cohort has no data."""
    if cohort is None:
        return None
    if finding.kind == FindingKind.LOW_KNOWLEDGE:
        return _rollup_figure(cohort, module_id, SCORE_INPUTS)
    if finding.kind == FindingKind.FEW_PRACTICE:
        return _rollup_figure(cohort, module_id, (Input.PRACTICE_COMPLETION,))
    if finding.kind == FindingKind.MANY_TICKETS_MODULE:
        return _ticket_figure(cohort, module_id=module_id)
    if finding.kind == FindingKind.MANY_TICKETS_CATEGORY:
        return _ticket_figure(cohort, category=finding.subject)
    if finding.kind == FindingKind.SURVEY_BELOW_TARGET:
        return _survey_figure(finding, cohort)
    return None


@dataclass(frozen=True)
class Comparison:
    """A design change judged: the finding's metric in the cohort before and the first one after."""

    kind: str
    before: Figure | None
    after: Figure | None

    @property
    def before_text(self) -> str:
        return figure_text(self.kind, self.before.value if self.before else None)

    @property
    def after_text(self) -> str:
        return figure_text(self.kind, self.after.value if self.after else None)

    @property
    def before_count(self) -> str:
        return count_text(self.kind, self.before.count) if self.before else ""

    @property
    def after_count(self) -> str:
        return count_text(self.kind, self.after.count) if self.after else ""


def compare(change: DesignChange) -> Comparison | None:
    """The before/after figures of a change made in answer to a finding (None without one)."""
    finding = change.finding
    if finding is None:
        return None
    module_id = change.module_id or finding.module_id
    return Comparison(
        finding.kind,
        figure_in(finding, change.before_cohort, module_id),
        figure_in(finding, change.after_cohort, module_id),
    )
