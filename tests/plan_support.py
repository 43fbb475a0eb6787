"""What many tests start from: a programme with a cohort the cast's trainer runs and participants
are enrolled in, and a submitted action plan with one numeric goal."""

import datetime
from decimal import Decimal

from django.utils import timezone

from takeroot.plans import services as plans
from takeroot.plans.models import ActionGoal, ActionPlan
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Cohort, Enrolment


def devops_cohort(cast, *, people=("participant",)) -> Cohort:
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="DevOps practices", format="classroom", currency="PLN"
    )
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast[name] for name in people])
    return cohort


def submitted_plan(cohort, person) -> tuple[ActionPlan, ActionGoal]:
    """The person's plan with the goal "Release faster" (10 → 8.5 days), submitted for review."""
    plan = plans.open_plan(enrolment=Enrolment.objects.get(cohort=cohort, person=person), actor=None)
    goal = plans.add_goal(
        plan=plan,
        actor=None,
        kind="numeric",
        title="Release faster",
        metric="Release lead time",
        unit="days",
        baseline=Decimal(10),
        target=Decimal("8.5"),
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    plans.submit_plan(plan=plan, actor=None)
    return plan, goal
