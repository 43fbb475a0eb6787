"""The indicator set: seed 001's table as every workspace's defaults, and how an indicator is
named and explained to its readers."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Workspace
from takeroot.tracking.enums import COHORT_ONLY_INPUTS, Cadence, Category, Input
from takeroot.tracking.formula import validate_formula
from takeroot.tracking.models import Indicator


@dataclass(frozen=True)
class Default:
    code: str
    name: Promise
    category: str
    formula: str
    unit: str
    threshold: float
    cadence: str


# Seed 001's indicator table: engagement weekly, knowledge after each module, skill application
# every two weeks, satisfaction monthly.
DEFAULTS = (
    Default("attendance_rate", _("Attendance rate"), Category.ENGAGEMENT, "mean(attendance)", "%", 0.8, Cadence.WEEK),
    Default(
        "time_online",
        _("Time online per person and week"),
        Category.ENGAGEMENT,
        "sum(time_online) / people / weeks",
        "min",
        60,
        Cadence.WEEK,
    ),
    Default(
        "interactions",
        _("Interactions per person and week"),
        Category.ENGAGEMENT,
        "count(interaction) / people / weeks",
        "",
        5,
        Cadence.WEEK,
    ),
    Default("quiz_accuracy", _("Quiz accuracy"), Category.KNOWLEDGE, "mean(quiz_score)", "%", 0.7, Cadence.MODULE),
    Default(
        "assignment_accuracy",
        _("Assignment accuracy"),
        Category.KNOWLEDGE,
        "mean(assignment_score)",
        "%",
        0.7,
        Cadence.MODULE,
    ),
    Default(
        "practice_completion",
        _("Practice-task completion"),
        Category.APPLICATION,
        "mean(practice_completion)",
        "%",
        0.6,
        Cadence.TWO_WEEKS,
    ),
    Default(
        "supervisor_evaluation",
        _("Supervisor evaluation"),
        Category.APPLICATION,
        "mean(supervisor_evaluation)",
        "%",
        0.6,
        Cadence.TWO_WEEKS,
    ),
    Default(
        "check_in_progress",
        _("Check-in progress"),
        Category.APPLICATION,
        "mean(check_in_progress)",
        "%",
        0.5,
        Cadence.TWO_WEEKS,
    ),
    Default("usefulness", _("Usefulness"), Category.SATISFACTION, "mean(usefulness)", "%", 0.7, Cadence.MONTH),
    Default(
        "trainer_effectiveness",
        _("Trainer effectiveness"),
        Category.SATISFACTION,
        "mean(trainer_effectiveness)",
        "%",
        0.7,
        Cadence.MONTH,
    ),
)
DEFAULTS_BY_CODE = {default.code: default for default in DEFAULTS}

# Where each input comes from, for the "source" column of the indicator set.
INPUT_SOURCES = {
    Input.ATTENDANCE: _("session attendance, LMS (attended), attendance registers"),
    Input.TIME_ONLINE: _("LMS durations, time-online files"),
    Input.INTERACTION: _("LMS (interacted, answered, experienced)"),
    Input.QUIZ_SCORE: _("Takeroot quizzes, LMS scores"),
    Input.ASSIGNMENT_SCORE: _("grades files, reviewed submissions, LMS results"),
    Input.PRACTICE_COMPLETION: _("practice tasks in action plans"),
    Input.SUPERVISOR_EVALUATION: _("supervisor evaluation forms"),
    Input.CHECK_IN: _("action-plan check-ins"),
    Input.CHECK_IN_PROGRESS: _("action-plan check-ins"),
    Input.TICKET: _("tickets"),
    Input.USEFULNESS: _("survey results above the anonymity threshold"),
    Input.TRAINER_EFFECTIVENESS: _("survey results above the anonymity threshold"),
}


def indicators_for(workspace: Workspace | int, *, include_archived: bool = False) -> list[Indicator]:
    """The workspace's indicators in their order; the default set is created on first use (once:
    a default that was archived stays archived, and concurrent first uses create it once)."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    found = list(Indicator.objects.filter(workspace_id=workspace_id))
    missing = {default.code for default in DEFAULTS} - {indicator.code for indicator in found}
    if missing:
        _create_defaults(workspace_id, missing, start=len(found))
        found = list(Indicator.objects.filter(workspace_id=workspace_id))
    return [indicator for indicator in found if include_archived or indicator.archived_at is None]


def _create_defaults(workspace_id: int, codes: set[str], *, start: int) -> None:
    rows = [
        Indicator(
            workspace_id=workspace_id,
            code=default.code,
            name=_english(default.name),
            category=default.category,
            formula=default.formula,
            cadence=default.cadence,
            threshold=default.threshold,
            unit=default.unit,
            position=start + index,
            is_default=True,
        )
        for index, default in enumerate(DEFAULTS)
        if default.code in codes
    ]
    Indicator.objects.bulk_create(rows, ignore_conflicts=True)


def _english(text: Promise) -> str:
    # Stored in English; pages show the reader's translation through ``name_of``.
    with translation.override("en"):
        return str(text)


def indicators_in(workspace: Workspace) -> QuerySet[Indicator]:
    """Every indicator of the workspace, archived ones too: what pages and the API look up in."""
    return Indicator.objects.filter(workspace=workspace)


def name_of(indicator: Indicator) -> str:
    """A default indicator's name in the reader's language; an admin's own as they wrote it."""
    default = DEFAULTS_BY_CODE.get(indicator.code) if indicator.is_default else None
    return str(default.name) if default else indicator.name


def is_cohort_only(indicator: Indicator) -> bool:
    """Whether every input of the indicator exists only per cohort (survey results)."""
    return validate_formula(indicator.formula).inputs <= COHORT_ONLY_INPUTS


def sources_of(indicator: Indicator) -> str:
    """Where the indicator's figures come from, in words."""
    inputs = sorted(validate_formula(indicator.formula).inputs)
    return "; ".join(dict.fromkeys(str(INPUT_SOURCES[name]) for name in inputs))
