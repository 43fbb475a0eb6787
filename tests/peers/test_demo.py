"""The demo peer learning: groups in the running cohorts, threads with replies in two cohorts,
one hidden post, ambassadors in two teams with an insight each; only in Nordwind."""

import random
from datetime import date

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.models import Workspace
from takeroot.peers.demo import build_peers_demo
from takeroot.peers.models import Ambassador, GroupMember, PeerGroup, Post, Thread
from tests.demo_support import demo_below, in_each_workspace

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue", "plans"]):
        yield in_each_workspace(lambda ws: build_peers_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_demo_builds_groups_threads_and_ambassadors_only_in_nordwind(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    assert demo["nordwind"]["peer groups"] == PeerGroup.objects.count() > 0
    assert not PeerGroup.objects.exclude(workspace=nordwind).exists()
    assert demo["fjallbacka"] == {"peer groups": 0, "threads": 0, "posts": 0, "ambassadors": 0}
    cohorts = set(Thread.objects.filter(cohort__isnull=False, group__isnull=True).values_list("cohort", flat=True))
    assert len(cohorts) == 2
    assert Post.objects.filter(hidden_at__isnull=False).count() == 1
    assert Ambassador.objects.count() == 2
    assert Thread.objects.filter(team__isnull=False).count() == 2
    assert Thread.objects.filter(group__isnull=False).exists()
    assert Post.objects.filter(thread__team__isnull=False).count() == 4


def test_demo_people_are_in_one_group_per_cohort_and_ambassadors_in_their_team(demo):
    pairs = list(GroupMember.objects.values_list("cohort", "person"))
    assert len(pairs) == len(set(pairs))
    for ambassador in Ambassador.objects.select_related("person"):
        assert ambassador.person.team_id == ambassador.team_id
    assert Ambassador.objects.filter(person__user__email=LOGIN_EMAILS["participant"]).exists()
