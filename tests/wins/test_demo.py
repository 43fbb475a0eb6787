"""The demo wins: one per reached demo goal, marked ones, mixed sharing, reactions, last month's
digest sent and this month's waiting as a draft; the demo participant has a win to decide on."""

import random
from collections import Counter
from datetime import date

import pytest

from takeroot.core.demo import LOGIN_EMAILS, build_demo
from takeroot.core.models import OutgoingMail, Workspace
from takeroot.plans.demo import build_action_plans_demo
from takeroot.plans.models import ActionGoal
from takeroot.wins.demo import build_wins_demo
from takeroot.wins.models import Reaction, Win, WinsDigest
from tests.demo_support import demo_below, in_each_workspace

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    def plans_then_wins(workspace):
        build_action_plans_demo(workspace, rng=random.Random(1), today=TODAY)
        return build_wins_demo(workspace, rng=random.Random(1), today=TODAY)

    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(plans_then_wins)


@pytest.fixture
def demo(built, db):
    return built


def test_demo_wins_only_in_nordwind_with_mixed_sharing(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    assert demo["nordwind"]["wins"] == Win.objects.count() > 5
    assert not Win.objects.exclude(workspace=nordwind).exists()
    assert set(Win.objects.values_list("sharing", flat=True)) == {"shared", "private", "pending"}
    assert Counter(Win.objects.values_list("source", flat=True))["marked"] >= 5
    assert Reaction.objects.count() == demo["nordwind"]["reactions"] > 0
    assert not Reaction.objects.exclude(win__sharing="shared").exists()
    assert not OutgoingMail.objects.exists()


def test_every_reached_demo_goal_has_its_win(demo):
    reached = ActionGoal.objects.filter(done_at__isnull=False)
    assert set(Win.objects.filter(source="goal_reached").values_list("goal", flat=True)) == set(
        reached.values_list("pk", flat=True)
    )


def test_demo_digests_last_month_sent_this_month_draft(demo):
    digests = {d.month: d for d in WinsDigest.objects.all()}
    assert digests[date(2026, 10, 1)].state == "sent" and digests[date(2026, 10, 1)].intro
    assert digests[date(2026, 11, 1)].state == "draft"
    assert all(d.entries.exists() for d in digests.values())


def test_demo_participant_has_a_win_waiting_for_a_choice(demo):
    mine = Win.objects.filter(person__user__email=LOGIN_EMAILS["participant"], person__workspace__slug="nordwind")
    assert set(mine.values_list("sharing", flat=True)) >= {"pending", "shared"}


def test_the_whole_demo_builds_and_its_goal_signals_add_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build_demo()
    wins = Win.objects.filter(source="goal_reached")
    assert wins.count() == ActionGoal.objects.filter(done_at__isnull=False).count()
    assert not OutgoingMail.objects.filter(template__startswith="wins_").exists()
