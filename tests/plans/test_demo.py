"""The demo action plans: every stage in Nordwind, check-ins over weeks, feedback, open support
requests; the demo participant's approved plan and the demo manager's plans awaiting approval."""

import random
from collections import Counter
from datetime import date
from itertools import pairwise

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.models import OutgoingMail, User, Workspace
from takeroot.plans.demo import build_action_plans_demo
from takeroot.plans.models import ActionPlan, CheckIn, Feedback, SupportRequest
from takeroot.plans.queries import plans_awaiting_review
from tests.demo_support import demo_below, in_each_workspace

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(lambda ws: build_action_plans_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_demo_has_plans_at_every_stage_only_in_nordwind(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    states = Counter(ActionPlan.objects.filter(workspace=nordwind).values_list("state", flat=True))
    assert set(states) == {"draft", "submitted", "approved", "sent_back"}
    assert not ActionPlan.objects.exclude(workspace=nordwind).exists()
    assert demo["nordwind"]["check-ins"] == CheckIn.objects.count() > 10
    assert Feedback.objects.exists()
    assert SupportRequest.objects.filter(answered_at__isnull=True).exists()


def test_demo_participant_has_an_approved_plan_with_check_ins_over_weeks(demo):
    plans = ActionPlan.objects.filter(
        workspace__slug="nordwind", enrolment__person__user__email=LOGIN_EMAILS["participant"]
    )
    assert set(plans.values_list("state", flat=True)) == {"approved"}
    for plan in plans:
        days = sorted(plan.check_ins.values_list("created_at", flat=True))
        assert len(days) >= 3
        assert {(b - a).days for a, b in pairwise(days)} == {7}


def test_demo_manager_has_plans_awaiting_approval(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    manager = User.objects.get(email=LOGIN_EMAILS["manager"])
    assert plans_awaiting_review(manager, workspace=nordwind).exists()


def test_demo_has_buddies_who_cheer(demo):
    participant = User.objects.get(email=LOGIN_EMAILS["participant"])
    plans = ActionPlan.objects.filter(buddy__isnull=False)
    assert demo["nordwind"]["buddies"] == plans.count() >= 3
    assert plans.filter(buddy__user=participant).exists()  # the demo participant cheers someone on
    assert ActionPlan.objects.filter(enrolment__person__user=participant, buddy__isnull=False).exists()
    assert all(plan.cheers.exists() for plan in plans)
    assert not OutgoingMail.objects.filter(template="plans_buddy_named").exists()
