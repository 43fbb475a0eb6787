"""Reads that the practice pages, the API, the digest and the home panel share."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from .enums import AssignmentState, ReviewRole
from .models import CohortPracticeSettings, PracticeAssignment, PracticeReport, PracticeReview, PracticeTask

OPEN = (AssignmentState.NOT_STARTED, AssignmentState.NEEDS_MORE_WORK)


# Visibility -------------------------------------------------------------------------------------


def _supervised_by(me: Person, prefix: str = "") -> Q:
    return Q(**{f"{prefix}enrolment__manager": me}) | Q(
        **{f"{prefix}enrolment__manager__isnull": True, f"{prefix}enrolment__person__manager": me}
    )


def assignments_for_workspace(workspace: Workspace) -> QuerySet[PracticeAssignment]:
    """Every assignment of the workspace, before any role rule."""
    return PracticeAssignment.objects.filter(workspace=workspace).select_related(
        "task__cohort__programme",
        "enrolment__person__user",
        "enrolment__person__manager__user",
        "enrolment__manager__user",
        "workspace",
    )


def assignments_for_user(user: User, *, workspace: Workspace) -> QuerySet[PracticeAssignment]:
    """Assignments this person may open: their own, those they supervise, those of the cohorts
    they train; admins all."""
    me = membership(user, workspace)
    found = assignments_for_workspace(workspace)
    if me is None:
        return found.none()
    if me.is_admin:
        return found
    visible = Q(enrolment__person=me) | _supervised_by(me) | Q(task__cohort__trainers=me)
    return found.filter(pk__in=PracticeAssignment.objects.filter(visible).values("pk"))


def tasks_for_workspace(workspace: Workspace) -> QuerySet[PracticeTask]:
    return PracticeTask.objects.filter(workspace=workspace).select_related("cohort__programme", "module", "workspace")


def tasks_for_user(user: User, *, workspace: Workspace) -> QuerySet[PracticeTask]:
    """Tasks this person may see: those of the cohorts they train (admins: all), and those with an
    assignment they may see."""
    me = membership(user, workspace)
    found = tasks_for_workspace(workspace)
    if me is None:
        return found.none()
    if me.is_admin:
        return found
    assigned = assignments_for_user(user, workspace=workspace).values("task_id")
    return found.filter(Q(pk__in=assigned) | Q(pk__in=PracticeTask.objects.filter(cohort__trainers=me).values("pk")))


def assignment_detail(workspace: Workspace) -> QuerySet[PracticeAssignment]:
    """Assignments with every report version, its files and reviews."""
    reports = PracticeReport.objects.select_related("submitted_by__user").prefetch_related(
        "attachments", Prefetch("reviews", queryset=PracticeReview.objects.select_related("reviewer__user"))
    )
    return assignments_for_workspace(workspace).prefetch_related(Prefetch("reports", queryset=reports))


# Completion -------------------------------------------------------------------------------------


def _rates(prefix: str = "") -> dict:
    state = f"{prefix}state"
    return {
        "assigned_count": Count(f"{prefix}pk", distinct=True),
        "submitted_count": Count(f"{prefix}pk", filter=~Q(**{state: AssignmentState.NOT_STARTED}), distinct=True),
        "completed_count": Count(f"{prefix}pk", filter=Q(**{state: AssignmentState.COMPLETED}), distinct=True),
    }


def with_completion(tasks: QuerySet[PracticeTask]) -> QuerySet[PracticeTask]:
    """Tasks annotated with how many assignments they have, submitted and completed (one query)."""
    return tasks.annotate(**_rates("assignments__"))


def percent(completed: int, assigned: int) -> int:
    return round(100 * completed / assigned) if assigned else 0


@dataclass(frozen=True)
class Completion:
    assigned: int
    submitted: int
    completed: int

    @property
    def percent(self) -> int:
        return percent(self.completed, self.assigned)


def task_completion(task: PracticeTask) -> Completion:
    """A task's completion from its annotations (``with_completion``)."""
    return Completion(task.assigned_count, task.submitted_count, task.completed_count)


def cohort_completion(cohort: Cohort) -> Completion:
    """All the cohort's assignments together, in one query."""
    found = PracticeAssignment.objects.filter(task__cohort=cohort).aggregate(**_rates())
    return Completion(found["assigned_count"], found["submitted_count"], found["completed_count"])


def cohort_tasks(cohort: Cohort) -> QuerySet[PracticeTask]:
    return with_completion(tasks_for_workspace(cohort.workspace).filter(cohort=cohort)).order_by("due_on", "pk")


def trainer_alone(cohort: Cohort) -> bool:
    return CohortPracticeSettings.objects.filter(cohort=cohort, trainer_alone=True).exists()


def assignable_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """Who a cohort's task can be assigned to: everyone enrolled who has not withdrawn."""
    return (
        cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user")
        .order_by("person__user__name", "pk")
    )


def cohorts_trained_by(person: Person) -> QuerySet[Cohort]:
    return Cohort.objects.filter(trainers=person).select_related("programme").order_by("-starts_on", "pk")


# To do ------------------------------------------------------------------------------------------


def my_assignments(person: Person) -> QuerySet[PracticeAssignment]:
    """The person's own assignments, open ones first by due date."""
    return assignments_for_workspace(person.workspace).filter(enrolment__person=person).order_by("task__due_on", "pk")


def due_assignments(person: Person, *, within_days: int = 7, today: datetime.date | None = None):
    """The person's open assignments (no report yet, or sent back) due within a week or overdue."""
    today = today or timezone.localdate()
    return my_assignments(person).filter(state__in=OPEN, task__due_on__lte=today + datetime.timedelta(days=within_days))


def _latest_review(role: str) -> Exists:
    # Two levels down: the report subquery sits inside the review's Exists, under the assignment.
    latest = PracticeReport.objects.filter(assignment=OuterRef(OuterRef("pk"))).order_by("-version").values("pk")[:1]
    return Exists(PracticeReview.objects.filter(report=latest, role=role))


def may_review(person: Person) -> bool:
    """Whether this person trains a cohort or supervises anyone with a practice task: a cheap
    check before the full ``waiting_for_review`` query."""
    assignments = PracticeAssignment.objects.filter(workspace_id=person.workspace_id)
    return assignments.filter(Q(task__cohort__trainers=person) | _supervised_by(person)).exists()


def waiting_for_review(user: User, *, workspace: Workspace) -> QuerySet[PracticeAssignment]:
    """Submitted reports this person should review: as a trainer of the cohort (admins are not
    asked) when no trainer has reviewed the latest version yet; as the supervisor when the cohort
    needs the supervisor and they have not reviewed it yet. Oldest submission first."""
    me = membership(user, workspace)
    if me is None:
        return PracticeAssignment.objects.none()
    alone = CohortPracticeSettings.objects.filter(cohort=OuterRef("task__cohort"), trainer_alone=True)
    found = assignments_for_workspace(workspace).filter(state=AssignmentState.SUBMITTED).exclude(enrolment__person=me)
    found = found.annotate(
        trainer_done=_latest_review(ReviewRole.TRAINER),
        supervisor_done=_latest_review(ReviewRole.SUPERVISOR),
        alone=Exists(alone),
    )
    as_trainer = Q(task__cohort__trainers=me, trainer_done=False)
    as_supervisor = _supervised_by(me) & Q(supervisor_done=False, alone=False)
    mine = PracticeAssignment.objects.filter(workspace=workspace).filter(
        Q(task__cohort__trainers=me) | _supervised_by(me)
    )
    return (
        found.filter(pk__in=mine.values("pk"))
        .filter(as_trainer | as_supervisor)
        .distinct()
        .order_by("submitted_at", "pk")
    )
