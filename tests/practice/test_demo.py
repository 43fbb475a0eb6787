"""The demo practice tasks: in Nordwind's running and finished cohorts, assignments at every
stage, report versions and reviews; the demo participant has tasks to report on and the demo
manager reports to review. No mail goes out."""

import random
from collections import Counter
from datetime import date

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.models import OutgoingMail, User, Workspace
from takeroot.practice.demo import build_practice_demo
from takeroot.practice.models import PracticeAssignment, PracticeReport, PracticeReview, PracticeTask
from takeroot.practice.queries import waiting_for_review
from tests.demo_support import demo_below, in_each_workspace

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(lambda ws: build_practice_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_demo_has_assignments_at_every_stage_only_in_nordwind(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    states = Counter(PracticeAssignment.objects.values_list("state", flat=True))
    assert set(states) == {"not_started", "submitted", "needs_more_work", "completed"}
    assert not PracticeTask.objects.exclude(workspace=nordwind).exists()
    assert demo["nordwind"]["practice tasks"] == PracticeTask.objects.count() > 2
    assert demo["nordwind"]["practice reports"] == PracticeReport.objects.count()
    assert PracticeReport.objects.filter(version=2).exists()
    assert set(PracticeReview.objects.values_list("role", flat=True)) == {"trainer", "supervisor"}
    assert not OutgoingMail.objects.filter(template="practice_assigned").exists()


def test_tasks_are_only_in_running_and_finished_cohorts(demo):
    assert not PracticeTask.objects.filter(cohort__starts_on__gt=TODAY).exists()
    for task in PracticeTask.objects.all():
        assert task.assignments.count() >= 1


def test_demo_participant_and_manager_have_something_to_do(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    mine = PracticeAssignment.objects.filter(enrolment__person__user__email=LOGIN_EMAILS["participant"])
    assert {"needs_more_work", "not_started"} <= set(mine.values_list("state", flat=True))
    manager = User.objects.get(email=LOGIN_EMAILS["manager"])
    assert waiting_for_review(manager, workspace=nordwind).exists()
