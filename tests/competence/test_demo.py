"""The demo plans: every team of both demo workspaces has this year's plan, a few last year's too."""

import random
import time
from datetime import date

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from takeroot.competence.demo import build_plans_demo
from takeroot.competence.models import CompetencePlan, LearningTimeBlock, PlannedInitiative
from takeroot.competence.queries import plans_for_user, teams_led_by
from takeroot.competence.rules import rules
from takeroot.core import demo as core_demo
from takeroot.core.demo import LOGIN_EMAILS, build_demo
from takeroot.core.models import AuditEntry, Person, Team, Workspace
from takeroot.core.scope import workspace_scope

TODAY = date(2026, 11, 26)
EXTENSIONS = core_demo.DEMO_EXTENSIONS  # as the apps registered them


def _build_plans(seed=1):
    counts = {}
    started = time.perf_counter()
    for workspace in Workspace.objects.order_by("slug"):
        with workspace_scope(workspace):
            counts[workspace.slug] = build_plans_demo(workspace, rng=random.Random(seed), today=TODAY)
    counts["seconds"] = time.perf_counter() - started
    return counts


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo with the apps below plans (programmes and the catalogue), built once for the
    module's tests and rolled back after them; ours runs on a fixed day."""
    with pytest.MonkeyPatch.context() as patch:
        below = [e for e in EXTENSIONS if e.__module__.split(".")[1] in ("programmes", "catalogue")]
        patch.setattr(core_demo, "DEMO_EXTENSIONS", below)
        with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
            build_demo()
            yield _build_plans()
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def test_every_team_has_a_plan_for_this_year(demo):
    for slug in ("nordwind", "fjallbacka"):
        teams = Team.objects.filter(workspace__slug=slug)
        planned = set(CompetencePlan.objects.filter(workspace__slug=slug, year=2026).values_list("team_id", flat=True))
        assert planned == set(teams.values_list("pk", flat=True)), slug
    assert demo["seconds"] < 10


def test_plans_have_goals_initiatives_and_a_block_in_the_teams_time_zone(demo):
    for plan in CompetencePlan.objects.filter(year=2026).prefetch_related("goals", "items", "blocks"):
        assert 2 <= len(plan.goals.all()) <= 3, plan
        assert 2 <= len(plan.items.all()) <= 5, plan
        assert {item.goal.plan_id for item in plan.items.all()} == {plan.pk}
        blocks = list(plan.blocks.all())
        assert len(blocks) == 1 and blocks[0].every_weeks in (1, 2), plan
        lead = Person.objects.filter(team=plan.team, is_manager=True).select_related("user").first()
        if lead is not None:
            assert plan.timezone == lead.user.timezone, plan
    items = PlannedInitiative.objects.filter(plan__year=2026)
    assert items.filter(status="done").exists() and items.filter(status="planned").exists()
    # Some from the catalogue as it was, some new ones added to it for the team.
    new = items.filter(initiative__provider="", initiative__programme=None, initiative__cost=None)
    assert new.exists() and items.exclude(pk__in=new).exists()
    # A new initiative's audience is the team that added it; a sister team may plan it too.
    for item in new.select_related("initiative"):
        planning = set(Team.objects.filter(competence_plans__items__initiative=item.initiative))
        assert set(item.initiative.teams.all()) <= planning and item.initiative.teams.exists()


def test_last_years_plans_for_a_few_teams(demo):
    last = set(CompetencePlan.objects.filter(year=2025).values_list("team__name", flat=True))
    assert last == {"Kraków Contact Centre", "Platform", "Warehouse Gdańsk", "Arbetslag Fjällbacka"}


def test_demo_manager_leads_a_team_with_a_plan_and_the_participant_has_blocks(demo):
    nordwind = Workspace.objects.get(slug="nordwind")
    manager = Person.objects.get(workspace=nordwind, user__email=LOGIN_EMAILS["manager"])
    participant = Person.objects.get(workspace=nordwind, user__email=LOGIN_EMAILS["participant"])

    assert manager.team.pk in teams_led_by(manager)
    plan = CompetencePlan.objects.get(team=manager.team, year=2026)
    assert rules.has_perm("competence.change_plan", manager.user, plan)
    assert participant.team == manager.team
    assert set(plans_for_user(participant.user, workspace=nordwind)) >= {plan}
    assert LearningTimeBlock.objects.filter(plan=plan, every_weeks=1).exists()


def test_everything_is_audited(demo):
    assert (
        AuditEntry.objects.filter(object_type="competenceplan", action="created").count()
        == CompetencePlan.objects.count()
    )
    assert AuditEntry.objects.filter(object_type="learningtimeblock").count() == LearningTimeBlock.objects.count()


def test_other_workspaces_get_no_plans(workspace):
    with workspace_scope(workspace):
        counts = build_plans_demo(workspace, rng=random.Random(1), today=TODAY)

    assert set(counts.values()) == {0}
    assert not CompetencePlan.objects.filter(workspace=workspace).exists()


def test_build_demo_adds_the_plans_when_wired(db, monkeypatch):
    assert build_plans_demo in EXTENSIONS
    below = [e for e in EXTENSIONS if e.__module__.split(".")[1] in ("programmes", "catalogue", "competence")]
    monkeypatch.setattr(core_demo, "DEMO_EXTENSIONS", below)

    build_demo(reset=True)

    year = date.today().year
    for slug in ("nordwind", "fjallbacka"):
        teams = Team.objects.filter(workspace__slug=slug).count()
        assert CompetencePlan.objects.filter(workspace__slug=slug, year=year).count() == teams
