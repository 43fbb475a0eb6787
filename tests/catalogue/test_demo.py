import random
import time
from datetime import date, timedelta

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from takeroot.catalogue.demo import build_catalogue_demo
from takeroot.catalogue.enums import InitiativeKind
from takeroot.catalogue.models import Initiative
from takeroot.core import demo as core_demo
from takeroot.core.demo import build_demo
from takeroot.core.models import AuditEntry, Workspace
from takeroot.core.scope import workspace_scope

TODAY = date(2026, 11, 26)
EXTENSIONS = core_demo.DEMO_EXTENSIONS  # as the apps registered them


def _build_catalogue(seed=1):
    counts = {}
    started = time.perf_counter()
    for workspace in Workspace.objects.order_by("slug"):
        with workspace_scope(workspace):
            counts[workspace.slug] = build_catalogue_demo(workspace, rng=random.Random(seed), today=TODAY)
    counts["seconds"] = time.perf_counter() - started
    return counts


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo, built once for the module's tests and rolled back after them. ``build_demo`` runs
    the part the catalogue stands on (the programmes) but not ours, which the fixture calls itself
    on a fixed day, nor the parts above ours (plans add initiatives of their own)."""
    with pytest.MonkeyPatch.context() as patch:
        others = [extend for extend in EXTENSIONS if extend.__module__ == "takeroot.programmes.demo"]
        patch.setattr(core_demo, "DEMO_EXTENSIONS", others)
        with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
            build_demo()
            yield _build_catalogue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def _titles():
    return sorted(Initiative.objects.values_list("workspace__slug", "title", "kind", "starts_on", "cost"))


def test_counts_match_what_was_built(demo):
    for slug in ("nordwind", "fjallbacka"):
        initiatives = Initiative.objects.filter(workspace__slug=slug)
        assert demo[slug]["initiatives"] == initiatives.count()
        assert demo[slug]["linked"] == initiatives.filter(programme__isnull=False).count()
    assert demo["seconds"] < 10


def test_nordwind_lists_two_years_of_every_kind(demo):
    initiatives = list(Initiative.objects.filter(workspace__slug="nordwind"))

    assert len(initiatives) >= 25
    assert len({i.kind for i in initiatives}) >= 9
    assert {InitiativeKind.STUDY_TRIP, InitiativeKind.HIRED_EXPERT, InitiativeKind.BOOK_CIRCLE} <= {
        i.kind for i in initiatives
    }
    oldest = TODAY - timedelta(days=730)
    for initiative in initiatives:
        for day in (initiative.starts_on, initiative.ends_on):
            assert day is None or oldest <= day < TODAY, initiative
    assert any(i.starts_on == i.ends_on for i in initiatives if i.starts_on)
    assert any((i.ends_on - i.starts_on).days >= 14 for i in initiatives if i.starts_on)
    assert {i.currency for i in initiatives if not i.programme_id} >= {"PLN", "SEK", "EUR", "CNY"}
    assert any("\u4e00" <= ch <= "\u9fff" for i in initiatives for ch in i.title)  # the Shanghai office


def test_some_are_takeroot_programmes_and_the_rest_have_audience_and_cost(demo):
    initiatives = Initiative.objects.filter(workspace__slug="nordwind").prefetch_related("teams", "people")

    linked = [i for i in initiatives if i.programme_id]
    assert len(linked) >= 4
    for initiative in linked:
        assert initiative.programme.workspace.slug == "nordwind"
        assert initiative.starts_on is None and initiative.head_count is None and initiative.cost is None
    for initiative in initiatives:
        if initiative.programme_id:
            continue
        assert initiative.teams.exists() or initiative.people.exists() or initiative.head_count, initiative
        assert initiative.cost is not None and initiative.cost > 0, initiative
        assert initiative.starts_on and initiative.ends_on, initiative
        assert all(t.workspace.slug == "nordwind" for t in initiative.teams.all())
        assert all(p.workspace.slug == "nordwind" for p in initiative.people.all())


def test_every_initiative_is_audited(demo):
    created = AuditEntry.objects.filter(object_type="initiative", action="created")
    assert created.count() == Initiative.objects.count()


def test_fjallbacka_has_a_few_small_ones(demo):
    initiatives = Initiative.objects.filter(workspace__slug="fjallbacka")

    assert initiatives.count() >= 4
    titles = set(initiatives.values_list("title", flat=True))
    assert {"Fallskyddsutbildning", "Heta arbeten"} <= titles
    assert initiatives.filter(kind=InitiativeKind.STUDY_TRIP).exists()


def test_build_is_repeatable(demo):
    before = _titles()

    build_demo(reset=True)
    _build_catalogue()

    assert _titles() == before


def test_build_demo_adds_the_catalogue_when_wired(db, monkeypatch):
    if build_catalogue_demo not in EXTENSIONS:
        pytest.skip("build_catalogue_demo is not registered with core's demo yet")
    monkeypatch.setattr(core_demo, "DEMO_EXTENSIONS", EXTENSIONS)

    build_demo(reset=True)  # the module's demo may be there already

    assert Initiative.objects.filter(workspace__slug="nordwind").count() >= 25
    assert Initiative.objects.filter(workspace__slug="nordwind", programme__isnull=False).count() >= 4
    assert Initiative.objects.filter(workspace__slug="fjallbacka").count() >= 4


def test_other_workspaces_get_no_initiatives(workspace):
    with workspace_scope(workspace):
        counts = build_catalogue_demo(workspace, rng=random.Random(1), today=TODAY)

    assert set(counts.values()) == {0}
    assert not Initiative.objects.filter(workspace=workspace).exists()
