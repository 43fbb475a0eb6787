from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Input(models.TextChoices):
    """What one activity record measures. Indicators are formulas over these inputs.

    Values are normalised when recorded: rates and scores are 0–1, time is minutes, counts are 1
    per event. ``attendance`` is 1 for attended and 0 for missed; ``practice_completion`` 1 for a
    completed task and 0 for one not completed by its due date; ``check_in`` 1 for a check-in made
    and 0 for one missed; ``check_in_progress`` the share of the way to the goals.
    """

    ATTENDANCE = "attendance", _("Attendance")
    TIME_ONLINE = "time_online", _("Time online (minutes)")
    INTERACTION = "interaction", _("Interactions")
    QUIZ_SCORE = "quiz_score", _("Quiz score")
    ASSIGNMENT_SCORE = "assignment_score", _("Assignment score")
    PRACTICE_COMPLETION = "practice_completion", _("Practice task completed")
    SUPERVISOR_EVALUATION = "supervisor_evaluation", _("Supervisor evaluation")
    CHECK_IN = "check_in", _("Check-in made")
    CHECK_IN_PROGRESS = "check_in_progress", _("Progress reported in check-ins")
    TICKET = "ticket", _("Tickets raised")
    USEFULNESS = "usefulness", _("Usefulness (survey)")
    TRAINER_EFFECTIVENESS = "trainer_effectiveness", _("Trainer effectiveness (survey)")


# Inputs that only exist for a whole cohort: survey results above the anonymity threshold.
COHORT_ONLY_INPUTS = frozenset({Input.USEFULNESS, Input.TRAINER_EFFECTIVENESS})


class Origin(models.TextChoices):
    XAPI = "xapi", _("xAPI statement")
    IMPORT = "import", _("File import")
    TAKEROOT = "takeroot", _("Recorded in Takeroot")


class Category(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement")
    KNOWLEDGE = "knowledge", _("Knowledge")
    APPLICATION = "application", _("Skill application")
    SATISFACTION = "satisfaction", _("Satisfaction")


class Cadence(models.TextChoices):
    WEEK = "week", pgettext_lazy("cadence", "Weekly")
    TWO_WEEKS = "two_weeks", pgettext_lazy("cadence", "Every two weeks")
    MONTH = "month", pgettext_lazy("cadence", "Monthly")
    MODULE = "module", pgettext_lazy("cadence", "Per module")


class Level(models.TextChoices):
    ENROLMENT = "enrolment", _("Participant")
    COHORT = "cohort", _("Cohort")
    MODULE = "module", _("Module")
    PROGRAMME = "programme", _("Programme")
    TEAM = "team", _("Team")
    WORKSPACE = "workspace", _("Organisation")


class Light(models.TextChoices):
    GREEN = "green", _("On target")
    AMBER = "amber", _("Close to the threshold")
    RED = "red", _("Below the threshold")
    NONE = "none", _("No data yet")


class FlagState(models.TextChoices):
    OPEN = "open", pgettext_lazy("at-risk flag", "Open")
    RESOLVED = "resolved", pgettext_lazy("at-risk flag", "Resolved")


class RiskReason(models.TextChoices):
    ENGAGEMENT_FALLING = "engagement_falling", _("Engagement is falling")
    MISSED_CHECK_INS = "missed_check_ins", _("Missed check-ins")
    SCORES_DROPPING = "scores_dropping", _("Scores are dropping")
    PLAN_BLOCKED = "plan_blocked", _("Action plan is blocked")


class InterventionKind(models.TextChoices):
    TALKED = "talked", _("Talked to them")
    EXTENDED_DEADLINE = "extended_deadline", _("Extended a deadline")
    EXTRA_SESSION = "extra_session", _("Extra session")
    OTHER = "other", pgettext_lazy("intervention", "Other")


class FindingKind(models.TextChoices):
    LOW_KNOWLEDGE = "low_knowledge", _("Low knowledge scores in a module")
    FEW_PRACTICE = "few_practice", _("Few complete the practice tasks")
    MANY_TICKETS_MODULE = "many_tickets_module", _("A module generates many tickets")
    MANY_TICKETS_CATEGORY = "many_tickets_category", _("A category generates many tickets")
    SURVEY_BELOW_TARGET = "survey_below_target", _("A survey item is below target")


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    CHANGED = "changed", pgettext_lazy("finding", "Design change recorded")
    DISMISSED = "dismissed", pgettext_lazy("finding", "Dismissed")


class ImportKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance register")
    TIME_ONLINE = "time_online", _("Time online")
    GRADES = "grades", _("Grades or assignment results")
    SUPERVISOR_EVALUATION = "supervisor_evaluation", _("Supervisor evaluation form")
