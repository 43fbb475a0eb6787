"""A cohort trained by the trainer with the participant (managed by the manager) and the other
participant enrolled; the participant's action plan with a measured goal, a self-rated goal and a step."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from takeroot.plans import services
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment

FUTURE = timezone.localdate() + datetime.timedelta(days=60)


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="DevOps practices", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Flow", objectives=["Ships in small batches"])
    return programme


@pytest.fixture
def cohort(cast, programme):
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    return cohort


@pytest.fixture
def enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["participant"])


@pytest.fixture
def other_enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])


@pytest.fixture
def plan(enrolment, cast):
    return services.open_plan(enrolment=enrolment, actor=cast["participant"].user, opened_by=cast["participant"])


@pytest.fixture
def goal(plan):
    return services.add_goal(
        plan=plan,
        actor=None,
        kind="numeric",
        title="Release faster",
        metric="Release lead time",
        unit="days",
        baseline=Decimal("10"),
        target=Decimal("8.5"),
        deadline=FUTURE,
    )


@pytest.fixture
def rating_goal(plan):
    return services.add_goal(
        plan=plan, actor=None, kind="rating", title="Calm feedback", baseline=Decimal(4), target=Decimal(7)
    )


@pytest.fixture
def task(plan):
    return services.add_task(plan=plan, actor=None, title="Follow up 3 key clients", due_on=FUTURE)


@pytest.fixture
def approved(plan, goal, rating_goal, task, cast):
    services.submit_plan(plan=plan, actor=None)
    services.approve_plan(plan=plan, actor=None, reviewer=cast["manager"])
    return plan


@pytest.fixture
def check_in(approved, goal, rating_goal, cast):
    return services.record_check_in(
        plan=approved,
        actor=None,
        author=cast["participant"],
        status="on_track",
        confidence=4,
        values={goal.uuid: "9.5", rating_goal.uuid: "5"},
        changed_work="Smaller pull requests.",
        support_needed="A pairing session with the platform team.",
    )
