"""A programme with two modules and a cohort: the trainer trains it, the mentor mentors the
participant (on the enrolment), both participants are active. Clocks are fixed: services take
``now`` and tests pass ``NOW`` (a Monday, 09:00 UTC) or times after it."""

import datetime

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module

NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)  # Monday
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    for title in ("Opening the call", "Handling objections"):
        programmes.save_module(programme=programme, actor=admin.user, title=title, objectives=[])
    return programme


@pytest.fixture
def modules(programme):
    return list(Module.objects.filter(programme=programme).order_by("position"))


@pytest.fixture
def cohort(cast, programme):
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków spring",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    Enrolment.objects.filter(cohort=cohort, person=cast["participant"]).update(mentor=cast["mentor"])
    return cohort


@pytest.fixture
def enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["participant"])


@pytest.fixture
def other_enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])
