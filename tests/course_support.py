"""The course the quizzes, surveys and tickets tests run on: a programme with two modules (each
with one learning objective) and a cohort the trainer runs, with the participant and the other
participant enrolled and active. The root conftest offers the fixtures to every test package; a
package that needs another course defines its own fixtures of the same names (``make_cohort``
helps with the cohort)."""

import datetime

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)  # a Monday
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def programme(cast) -> Programme:
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    for title, objectives in (
        ("Opening the call", ["Opens with the customer's goal"]),
        ("Handling objections", ["Acknowledges before answering"]),
    ):
        programmes.save_module(programme=programme, actor=admin.user, title=title, objectives=objectives)
    return programme


@pytest.fixture
def modules(programme) -> list[Module]:
    return list(Module.objects.filter(programme=programme).order_by("position"))


def make_cohort(cast, programme, *, ends_on=datetime.date(2026, 9, 30)) -> Cohort:
    """ "Kraków spring", from 1 September, trained by the trainer, both participants active."""
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków spring",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=ends_on,
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    return cohort


@pytest.fixture
def cohort(cast, programme) -> Cohort:
    return make_cohort(cast, programme)


@pytest.fixture
def enrolment(cohort, cast) -> Enrolment:
    return Enrolment.objects.get(cohort=cohort, person=cast["participant"])


@pytest.fixture
def other_enrolment(cohort, cast) -> Enrolment:
    return Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])
