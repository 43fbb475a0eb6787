"""Who owns a new ticket: the workspace's rules first (programme before workspace-wide), then the
defaults (mentor, the cohort's first trainer, an admin), falling through when nobody is there."""

import datetime

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.models import Cohort
from takeroot.tickets import routing
from takeroot.tickets.enums import Category, RouteTo
from takeroot.tickets.models import RoutingRule
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def owner(cast, category, enrolment, programme=None):
    workspace = cast["admin"].workspace
    return routing.owner_for(workspace=workspace, category=category, enrolment=enrolment, programme=programme)


def test_a_mentored_participants_tickets_go_to_the_mentor(cast, enrolment):
    for category in Category.values:
        assert owner(cast, category, enrolment) == cast["mentor"]


def test_content_goes_to_the_cohorts_first_trainer(cast, cohort, other_enrolment):
    second = PersonFactory(workspace=cohort.workspace, user=UserFactory(name="Aaron Second"), is_trainer=True)
    cohort.trainers.add(second)  # added later: not the first, though first by name
    assert owner(cast, Category.CONTENT, other_enrolment) == cast["trainer"]


def test_the_trainers_of_a_new_cohort_are_first_in_the_order_named(cast, programme):
    named = [
        PersonFactory(workspace=programme.workspace, user=UserFactory(name=f"Trainer {n}"), is_trainer=True)
        for n in range(5)
    ][::-1]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=named,
    )
    added = Cohort.trainers.through.objects.filter(cohort=cohort).order_by("id").values_list("person", flat=True)
    assert list(added) == [person.pk for person in named]
    assert routing.first_trainer(cohort) == named[0]


@pytest.mark.parametrize(
    "category", [Category.RESOURCE, Category.SCHEDULE, Category.TECHNICAL, Category.COMPLAINT, Category.OTHER]
)
def test_everything_else_goes_to_an_admin(cast, other_enrolment, category):
    assert owner(cast, category, other_enrolment) == cast["admin"]


def test_content_without_a_trainer_goes_to_an_admin(cast, cohort, other_enrolment):
    cohort.trainers.clear()
    assert owner(cast, Category.CONTENT, other_enrolment) == cast["admin"]


def test_no_enrolment_goes_to_an_admin(cast):
    assert owner(cast, Category.CONTENT, None) == cast["admin"]


def test_an_inactive_mentor_is_skipped(cast, enrolment):
    cast["mentor"].user.is_active = False
    cast["mentor"].user.save()
    assert owner(cast, Category.CONTENT, enrolment) == cast["trainer"]


def test_a_workspace_rule_comes_before_the_defaults(cast, enrolment):
    RoutingRule.objects.create(workspace=enrolment.workspace, category=Category.CONTENT, route_to=RouteTo.ADMIN)
    assert owner(cast, Category.CONTENT, enrolment) == cast["admin"]
    assert owner(cast, Category.SCHEDULE, enrolment) == cast["mentor"]  # no rule for it: the defaults


def test_a_programme_rule_comes_before_the_workspace_rule(cast, enrolment, programme):
    workspace = enrolment.workspace
    RoutingRule.objects.create(workspace=workspace, category=Category.TECHNICAL, route_to=RouteTo.ADMIN)
    RoutingRule.objects.create(
        workspace=workspace,
        category=Category.TECHNICAL,
        programme=programme,
        route_to=RouteTo.PERSON,
        person=cast["trainer"],
    )
    assert owner(cast, Category.TECHNICAL, enrolment) == cast["trainer"]
    assert owner(cast, Category.TECHNICAL, None) == cast["admin"]  # no programme: the workspace rule


def test_a_rule_that_finds_nobody_falls_through_to_the_defaults(cast, cohort, other_enrolment):
    RoutingRule.objects.create(workspace=cohort.workspace, category=Category.RESOURCE, route_to=RouteTo.MENTOR)
    assert owner(cast, Category.RESOURCE, other_enrolment) == cast["admin"]  # no mentor for Olek
    cohort.mentors.add(cast["mentor"])
    assert owner(cast, Category.RESOURCE, other_enrolment) == cast["mentor"]  # the cohort's mentor


def test_a_rule_routes_to_the_trainer(cast, enrolment):
    RoutingRule.objects.create(workspace=enrolment.workspace, category=Category.COMPLAINT, route_to=RouteTo.TRAINER)
    assert owner(cast, Category.COMPLAINT, enrolment) == cast["trainer"]
