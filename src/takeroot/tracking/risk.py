"""The at-risk rules: who needs a word from their trainer, mentor or manager, and why.

A participant is flagged when their engagement falls, their check-ins stop, their scores drop or
their action plan is blocked. The rules read the weekly ``Rollup`` rows and the action plans in a
handful of queries for any number of enrolments, so a whole workspace is evaluated as cheaply as
one person. ``evaluate_enrolments`` runs after new activity arrives (``tasks``), and
``evaluate_workspace`` nightly (``periodic``), because some reasons (a check-in not made) come
from time passing, not from data arriving.

Each reason is ``{"reason": RiskReason, "detail": {...figures...}}``: stored on the flag as it is,
and put in words by ``describe`` in the reader's language.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.models import Workspace
from takeroot.plans.enums import CheckInStatus, PlanState
from takeroot.plans.models import ActionPlan, CheckIn
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from .enums import FlagState, Input, RiskReason
from .models import AtRiskFlag, Indicator, Rollup
from .queries import tracking_settings
from .recording import week_of

ENGAGEMENT_INPUTS = (Input.ATTENDANCE, Input.TIME_ONLINE, Input.INTERACTION)
SCORE_INPUTS = (Input.QUIZ_SCORE, Input.ASSIGNMENT_SCORE)
# Attendance is a rate (attended out of sessions); time online and interactions are amounts.
RATE_INPUTS = frozenset({Input.ATTENDANCE})
# Flags keep being evaluated this long after a cohort ends: the follow-up is when habits slip.
FOLLOW_UP = datetime.timedelta(days=90)
# "Below the quiz-accuracy threshold" needs at least this many answers in the last four weeks.
MIN_ANSWERS = 5
# The quiz-accuracy threshold when the workspace has no "quiz_accuracy" indicator (seed 001: 70 %).
QUIZ_ACCURACY_CODE = "quiz_accuracy"
DEFAULT_QUIZ_ACCURACY = 0.7
# Check-ins count as plans in these states: check-ins start once the plan is submitted.
ACTIVE_PLAN_STATES = (PlanState.SUBMITTED, PlanState.APPROVED)


@dataclass(frozen=True)
class Windows:
    """The two fortnights compared: the current and last week against the two weeks before."""

    recent_from: datetime.date
    before_from: datetime.date

    @classmethod
    def at(cls, now: datetime.datetime) -> "Windows":
        this_week = week_of(now)
        return cls(this_week - datetime.timedelta(days=7), this_week - datetime.timedelta(days=21))


@dataclass
class _Sums:
    """An input's total and count over one window."""

    total: float = 0.0
    count: int = 0

    def add(self, total: float, count: int) -> None:
        self.total += total
        self.count += count

    def level(self, input: str) -> float:
        """The figure compared: a rate for attendance, the amount for the others."""
        if input in RATE_INPUTS:
            return self.total / self.count if self.count else 0.0
        return self.total


@dataclass
class _Activity:
    recent: dict = field(default_factory=lambda: defaultdict(_Sums))  # input → sums
    before: dict = field(default_factory=lambda: defaultdict(_Sums))


def quiz_accuracy_threshold(workspace: Workspace) -> float:
    """The workspace's quiz-accuracy threshold (its "quiz_accuracy" indicator), as a share 0–1."""
    found = (
        Indicator.objects.filter(workspace=workspace, code=QUIZ_ACCURACY_CODE, archived_at__isnull=True)
        .values_list("threshold", flat=True)
        .first()
    )
    return DEFAULT_QUIZ_ACCURACY if found is None else found


def _eligible(workspace: Workspace, enrolment_ids, today: datetime.date) -> dict[int, Enrolment]:
    """Active enrolments of cohorts that have started and ended at most ``FOLLOW_UP`` ago."""
    enrolments = Enrolment.objects.filter(
        workspace=workspace,
        status=EnrolmentStatus.ACTIVE,
        cohort__starts_on__lte=today,
        cohort__ends_on__gte=today - FOLLOW_UP,
    ).select_related("cohort")
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    return {enrolment.pk: enrolment for enrolment in enrolments}


def _activity(workspace: Workspace, enrolment_ids, windows: Windows) -> dict[int, _Activity]:
    rows = (
        Rollup.objects.filter(
            workspace=workspace,
            enrolment_id__in=enrolment_ids,
            input__in=ENGAGEMENT_INPUTS + SCORE_INPUTS,
            week__gte=windows.before_from,
        )
        .values("enrolment_id", "input", "week")
        .annotate(total=Sum("total"), count=Sum("count"))
    )
    found: dict[int, _Activity] = defaultdict(_Activity)
    for row in rows:
        activity = found[row["enrolment_id"]]
        window = activity.recent if row["week"] >= windows.recent_from else activity.before
        window[row["input"]].add(row["total"], row["count"])
    return found


def _engaged_per_cohort(workspace: Workspace, cohort_ids, windows: Windows) -> dict[int, set[int]]:
    """Per cohort, the enrolments with any engagement in the recent fortnight."""
    rows = (
        Rollup.objects.filter(
            workspace=workspace,
            cohort_id__in=cohort_ids,
            enrolment__isnull=False,
            input__in=ENGAGEMENT_INPUTS,
            week__gte=windows.recent_from,
            total__gt=0,
        )
        .values_list("cohort_id", "enrolment_id")
        .distinct()
    )
    found: dict[int, set[int]] = defaultdict(set)
    for cohort_id, enrolment_id in rows:
        found[cohort_id].add(enrolment_id)
    return found


def _plans(workspace: Workspace, enrolment_ids) -> list[dict]:
    latest = CheckIn.objects.filter(plan=OuterRef("pk")).order_by("-created_at", "-id")
    return list(
        ActionPlan.objects.filter(workspace=workspace, enrolment_id__in=enrolment_ids, state__in=ACTIVE_PLAN_STATES)
        .annotate(last_at=Max("check_ins__created_at"), last_status=Subquery(latest.values("status")[:1]))
        .values("enrolment_id", "cadence_days", "submitted_at", "created_at", "last_at", "last_status")
    )


def missed_check_ins(*, since: datetime.datetime, cadence_days: int, today: datetime.date) -> int:
    """How many check-ins in a row are missed since ``since`` (the last check-in, or the plan's
    submission): as in ``plans.queries.gone_quiet``, a check-in made on its due day is on time,
    so two are missed once more than twice the cadence has passed."""
    days = (today - timezone.localdate(since)).days
    return max(0, (days - 1) // cadence_days) if days > 0 else 0


def _engagement_reason(activity: _Activity, drop_percent: int) -> dict | None:
    fell = {}
    for input in ENGAGEMENT_INPUTS:
        before = activity.before[input].level(input) if input in activity.before else 0.0
        if before <= 0:
            continue
        after = activity.recent[input].level(input) if input in activity.recent else 0.0
        drop = round(100 * (before - after) / before)
        if drop >= drop_percent:
            fell[str(input)] = {"before": round(before, 4), "after": round(after, 4), "drop_percent": drop}
    if not fell:
        return None
    return {"reason": RiskReason.ENGAGEMENT_FALLING, "detail": {"inputs": fell, "threshold_percent": drop_percent}}


def _no_engagement_reason(enrolment: Enrolment, engaged: set[int], today: datetime.date) -> dict | None:
    """Nothing at all in the recent fortnight while the cohort runs and others engage."""
    cohort = enrolment.cohort
    running = cohort.starts_on <= today <= cohort.ends_on
    others = len(engaged - {enrolment.pk})
    if not running or not others or enrolment.pk in engaged:
        return None
    return {"reason": RiskReason.ENGAGEMENT_FALLING, "detail": {"none_for_days": 14, "others_engaged": others}}


def _score_reason(activity: _Activity, drop_points: int, threshold: float) -> dict | None:
    recent, before = _Sums(), _Sums()
    for input in SCORE_INPUTS:
        if input in activity.recent:
            recent.add(activity.recent[input].total, activity.recent[input].count)
        if input in activity.before:
            before.add(activity.before[input].total, activity.before[input].count)
    if recent.count and before.count:
        after_mean, before_mean = recent.total / recent.count, before.total / before.count
        points = round(100 * (before_mean - after_mean))
        if points >= drop_points:
            detail = {
                "before": round(before_mean, 4),
                "after": round(after_mean, 4),
                "drop_points": points,
                "threshold_points": drop_points,
            }
            return {"reason": RiskReason.SCORES_DROPPING, "detail": detail}
    answers = recent.count + before.count
    if answers >= MIN_ANSWERS:
        mean = (recent.total + before.total) / answers
        if mean < threshold:
            detail = {"mean": round(mean, 4), "answers": answers, "threshold": threshold}
            return {"reason": RiskReason.SCORES_DROPPING, "detail": detail}
    return None


def _plan_reasons(plan: dict, missed_limit: int, today: datetime.date) -> list[dict]:
    reasons = []
    since = plan["last_at"] or plan["submitted_at"] or plan["created_at"]
    missed = missed_check_ins(since=since, cadence_days=plan["cadence_days"], today=today)
    if missed >= missed_limit:
        detail = {
            "missed": missed,
            "cadence_days": plan["cadence_days"],
            "last_check_in": timezone.localdate(plan["last_at"]).isoformat() if plan["last_at"] else None,
            "threshold": missed_limit,
        }
        reasons.append({"reason": RiskReason.MISSED_CHECK_INS, "detail": detail})
    if plan["last_status"] == CheckInStatus.BLOCKED:
        detail = {"since": timezone.localdate(plan["last_at"]).isoformat()}
        reasons.append({"reason": RiskReason.PLAN_BLOCKED, "detail": detail})
    return reasons


def assess(workspace: Workspace, enrolment_ids=None, *, now: datetime.datetime) -> dict[int, list[dict]]:
    """The reasons each eligible enrolment is at risk now (an empty list: none). ``enrolment_ids``
    None: every enrolment of the workspace. Enrolments that are not eligible (withdrawn, the cohort
    not started or long over) are left out. A fixed handful of queries, however many enrolments."""
    today = timezone.localdate(now)
    windows = Windows.at(now)
    eligible = _eligible(workspace, enrolment_ids, today)
    if not eligible:
        return {}
    settings = tracking_settings(workspace)
    threshold = quiz_accuracy_threshold(workspace)
    activity = _activity(workspace, list(eligible), windows)
    engaged = _engaged_per_cohort(workspace, {e.cohort_id for e in eligible.values()}, windows)
    plans = {plan["enrolment_id"]: plan for plan in _plans(workspace, list(eligible))}
    found = {}
    for pk, enrolment in eligible.items():
        mine = activity.get(pk)
        reasons = [
            (mine and _engagement_reason(mine, settings.engagement_drop_percent))
            or _no_engagement_reason(enrolment, engaged[enrolment.cohort_id], today),
            mine and _score_reason(mine, settings.score_drop_points, threshold),
        ]
        if pk in plans:
            reasons.extend(_plan_reasons(plans[pk], settings.missed_check_ins, today))
        found[pk] = [reason for reason in reasons if reason]
    return found


@dataclass
class Outcome:
    """What an evaluation changed, by enrolment id."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)


def evaluate_enrolments(workspace: Workspace, enrolment_ids, *, now: datetime.datetime) -> Outcome:
    """Open, update or resolve the flags of these enrolments by the rules (see ``services`` for
    the side effects: notices on opening and on new reasons, audit entries)."""
    from . import services

    enrolment_ids = set(enrolment_ids)
    reasons = assess(workspace, enrolment_ids, now=now)
    open_flags = {
        flag.enrolment_id: flag
        for flag in AtRiskFlag.objects.filter(workspace=workspace, state=FlagState.OPEN, enrolment_id__in=enrolment_ids)
    }
    outcome = Outcome()
    for pk in sorted(enrolment_ids):
        current, flag = reasons.get(pk, []), open_flags.get(pk)
        if current and flag is None:
            if services.raise_flag(workspace=workspace, enrolment_id=pk, reasons=current, now=now):
                outcome.opened.append(pk)
        elif current and flag.reasons != current:
            services.update_flag_reasons(flag=flag, reasons=current, now=now)
            outcome.updated.append(pk)
        elif not current and flag is not None:
            services.resolve_flag_by_itself(flag=flag, now=now)
            outcome.resolved.append(pk)
    return outcome


def evaluate_workspace(workspace: Workspace, *, now: datetime.datetime) -> Outcome:
    """Evaluate every eligible enrolment and every open flag of the workspace: the nightly run
    that catches what time alone changes (check-ins not made, a fortnight without activity)."""
    ids = set(_eligible(workspace, None, timezone.localdate(now)))
    ids |= set(
        AtRiskFlag.objects.filter(workspace=workspace, state=FlagState.OPEN).values_list("enrolment_id", flat=True)
    )
    return evaluate_enrolments(workspace, ids, now=now)


# Reasons in words ---------------------------------------------------------------------------------


def _percent(share: float) -> str:
    return f"{round(100 * share)} %"


def _amount(input: str, value: float) -> str:
    if input in RATE_INPUTS:
        return _percent(value)
    if input == Input.TIME_ONLINE:
        return _("%(minutes)s min") % {"minutes": round(value)}
    return str(round(value))


def describe(reason: dict) -> str:
    """One reason as a sentence with its figures, in the active language."""
    code, detail = reason.get("reason"), reason.get("detail") or {}
    if code == RiskReason.ENGAGEMENT_FALLING and "none_for_days" in detail:
        return _(
            "No attendance, time online or interaction in the last two weeks, while %(others)s others engaged."
        ) % {"others": detail.get("others_engaged", 0)}
    if code == RiskReason.ENGAGEMENT_FALLING:
        parts = [
            _("%(input)s %(before)s → %(after)s (−%(drop)s %%)")
            % {
                "input": Input(name).label,
                "before": _amount(name, figures["before"]),
                "after": _amount(name, figures["after"]),
                "drop": figures["drop_percent"],
            }
            for name, figures in detail.get("inputs", {}).items()
        ]
        return _("Engagement fell in the last two weeks against the two before: %(parts)s.") % {
            "parts": "; ".join(parts)
        }
    if code == RiskReason.SCORES_DROPPING and "drop_points" in detail:
        return _("Quiz and assignment scores fell from %(before)s to %(after)s (−%(points)s points).") % {
            "before": _percent(detail["before"]),
            "after": _percent(detail["after"]),
            "points": detail["drop_points"],
        }
    if code == RiskReason.SCORES_DROPPING:
        return _("Quiz and assignment scores average %(mean)s over %(answers)s answers, below %(threshold)s.") % {
            "mean": _percent(detail["mean"]),
            "answers": detail["answers"],
            "threshold": _percent(detail["threshold"]),
        }
    if code == RiskReason.MISSED_CHECK_INS:
        if detail.get("last_check_in"):
            text = _("%(missed)s check-ins missed in a row (one every %(days)s days; the last on %(last)s).")
        else:
            text = _("%(missed)s check-ins missed in a row (one every %(days)s days; none made yet).")
        return text % {"missed": detail["missed"], "days": detail["cadence_days"], "last": detail.get("last_check_in")}
    if code == RiskReason.PLAN_BLOCKED:
        return _("The latest check-in (%(day)s) says the action plan is blocked.") % {"day": detail.get("since")}
    return str(code)


def reason_label(reason: dict) -> str:
    try:
        return str(RiskReason(reason.get("reason")).label)
    except ValueError:
        return str(reason.get("reason"))


def reason_codes(reasons: list[dict]) -> set[str]:
    return {reason.get("reason") for reason in reasons}
