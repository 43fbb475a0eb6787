"""Reads that the follow-up pages, the API and the demo share: touchpoints and holds in the
viewer's sight, a cohort's timeline per step and its delivery statistics."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership, report_ids
from takeroot.programmes.models import Cohort

from .enums import DELIVERED_STATES, TouchpointState
from .models import DeliverySettings, Hold, Step, Touchpoint

# The order states are shown in, from planned to finished.
STATE_ORDER = [
    TouchpointState.SCHEDULED,
    TouchpointState.SENDING,
    TouchpointState.SENT,
    TouchpointState.OPENED,
    TouchpointState.DONE,
    TouchpointState.SKIPPED,
    TouchpointState.FAILED,
    TouchpointState.CANCELLED,
]


def touchpoints_for_workspace(workspace: Workspace) -> QuerySet[Touchpoint]:
    """Every touchpoint of the workspace, before any role rule: to tell 403 (here) from 404."""
    return Touchpoint.objects.filter(workspace=workspace).select_related(
        "step__design__programme",
        "recipient__user",
        "enrolment__cohort__programme",
        "enrolment__person__user",
        "workspace",
    )


def touchpoints_for_user(user: User, *, workspace: Workspace) -> QuerySet[Touchpoint]:
    """Touchpoints this person may open: admins all of the workspace; trainers those of the cohorts
    they train; everyone their own."""
    me = membership(user, workspace)
    touchpoints = touchpoints_for_workspace(workspace)
    if me is None:
        return touchpoints.none()
    if me.is_admin:
        return touchpoints
    mine = Touchpoint.objects.filter(workspace=workspace).filter(Q(recipient=me) | Q(enrolment__cohort__trainers=me))
    return touchpoints.filter(pk__in=mine.values("pk"))


def cohort_touchpoints(cohort: Cohort) -> QuerySet[Touchpoint]:
    """The cohort's touchpoints, in due order."""
    return touchpoints_for_workspace(cohort.workspace).filter(enrolment__cohort=cohort).order_by("due_at", "pk")


def person_touchpoints(person: Person) -> QuerySet[Touchpoint]:
    """The touchpoints that go to this person, in due order."""
    return touchpoints_for_workspace(person.workspace).filter(recipient=person).order_by("due_at", "pk")


def _state_counts() -> dict:
    return {f"n_{state}": Count("pk", filter=Q(state=state)) for state in STATE_ORDER}


@dataclass(frozen=True)
class StepTimeline:
    """One step of a cohort's follow-up: when its touchpoints fall and how far they got."""

    step: Step
    first_due: datetime.datetime | None
    last_due: datetime.datetime | None
    counts: dict[str, int]
    total: int

    @property
    def states(self) -> list[tuple[str, str, int]]:
        """(state, label, count) in the display order, every state."""
        return [(state.value, str(state.label), self.counts.get(state.value, 0)) for state in STATE_ORDER]

    @property
    def finished(self) -> int:
        return self.total - self.counts.get(TouchpointState.SCHEDULED, 0) - self.counts.get(TouchpointState.SENDING, 0)


def cohort_timeline(cohort: Cohort) -> list[StepTimeline]:
    """Per step of the programme's design (and any step that still has touchpoints here): kind,
    audience, first and last due time and the count of touchpoints in each state. Two queries."""
    rows = {
        row["step"]: row
        for row in Touchpoint.objects.filter(workspace_id=cohort.workspace_id, enrolment__cohort=cohort)
        .values("step")
        .annotate(first=Min("due_at"), last=Max("due_at"), total=Count("pk"), **_state_counts())
        .order_by()
    }
    steps = Step.objects.filter(workspace_id=cohort.workspace_id).filter(
        Q(design__programme_id=cohort.programme_id) | Q(pk__in=list(rows))
    )
    timeline = []
    for step in steps.select_related("design__programme").order_by("offset_days", "position", "pk"):
        row = rows.get(step.pk, {})
        counts = {state.value: row.get(f"n_{state}", 0) for state in STATE_ORDER}
        timeline.append(StepTimeline(step, row.get("first"), row.get("last"), counts, row.get("total", 0)))
    return timeline


@dataclass(frozen=True)
class DeliveryStats:
    counts: dict[str, int]
    delivered: int
    open_rate: float | None  # of the delivered ones, opened or done; None before any delivery
    done_rate: float | None
    failed: list[Touchpoint] = field(default_factory=list)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(state.value, str(state.label), self.counts.get(state.value, 0)) for state in STATE_ORDER]

    @property
    def open_percent(self) -> int | None:
        return None if self.open_rate is None else round(self.open_rate * 100)

    @property
    def done_percent(self) -> int | None:
        return None if self.done_rate is None else round(self.done_rate * 100)


def delivery_stats(cohort: Cohort) -> DeliveryStats:
    """How the cohort's follow-up went out: the count per state; of the delivered ones (sent,
    opened, done) how many were opened and how many done; the failed ones with their reasons."""
    totals = Touchpoint.objects.filter(workspace_id=cohort.workspace_id, enrolment__cohort=cohort).aggregate(
        **_state_counts()
    )
    counts = {state.value: totals[f"n_{state}"] for state in STATE_ORDER}
    delivered = sum(counts[state] for state in DELIVERED_STATES)
    opened = counts[TouchpointState.OPENED] + counts[TouchpointState.DONE]
    failed = list(cohort_touchpoints(cohort).filter(state=TouchpointState.FAILED))
    return DeliveryStats(
        counts=counts,
        delivered=delivered,
        open_rate=opened / delivered if delivered else None,
        done_rate=counts[TouchpointState.DONE] / delivered if delivered else None,
        failed=failed,
    )


# Holds ----------------------------------------------------------------------------------------


def holds_for_workspace(workspace: Workspace) -> QuerySet[Hold]:
    return Hold.objects.filter(workspace=workspace).select_related("person__user", "created_by__user", "workspace")


def holds_for_user(user: User, *, workspace: Workspace) -> QuerySet[Hold]:
    """Holds this person may see: admins all; everyone their own and their reporting line's."""
    me = membership(user, workspace)
    holds = holds_for_workspace(workspace)
    if me is None:
        return holds.none()
    if me.is_admin:
        return holds
    return holds.filter(person_id__in={me.pk} | report_ids(me))


def holds_of(person: Person) -> QuerySet[Hold]:
    """The person's holds that still count (not cancelled), latest first."""
    return holds_for_workspace(person.workspace).filter(person=person, cancelled_at__isnull=True)


def overlapping_hold(person: Person, starts_on: datetime.date, ends_on: datetime.date) -> Hold | None:
    """A hold of the person's that shares a day with the period, if any."""
    return holds_of(person).filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()


# Delivery settings -----------------------------------------------------------------------------


def delivery_settings_of(workspace: Workspace) -> DeliverySettings:
    """The workspace's delivery settings; the defaults (unsaved) when it has none yet."""
    found = DeliverySettings.objects.filter(workspace=workspace).first()
    return found if found is not None else DeliverySettings(workspace=workspace)
