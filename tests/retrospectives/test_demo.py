"""The demo: a finished retrospective over Nordwind's two years with a believable pattern, and an
open one that asks the demo manager and participant."""

import random
import statistics
import time
from datetime import date

import pytest
from django.db import transaction
from django.utils import translation
from django_scopes import scopes_disabled

from takeroot.core import demo as core_demo
from takeroot.core.demo import LOGIN_EMAILS, build_demo
from takeroot.core.models import OutgoingMail, User, Workspace
from takeroot.core.scope import workspace_scope
from takeroot.retrospectives.demo import build_retrospectives_demo
from takeroot.retrospectives.models import EffectIndicator, Rater, Rating, Retrospective

TODAY = date(2026, 11, 26)
EXTENSIONS = core_demo.DEMO_EXTENSIONS


def _build(seed=1):
    counts = {}
    started = time.perf_counter()
    for workspace in Workspace.objects.order_by("slug"):
        with workspace_scope(workspace):
            counts[workspace.slug] = build_retrospectives_demo(workspace, rng=random.Random(seed), today=TODAY)
    counts["seconds"] = time.perf_counter() - started
    return counts


def _snapshot():
    return sorted(
        Rating.objects.values_list(
            "rater__retrospective__title",
            "rater__person__user__email",
            "initiative__title",
            "level",
            "reasons",
            "repeat",
        )
    )


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo, built once for the module without our part, which the fixture runs itself on a
    fixed day; rolled back after the module."""
    with pytest.MonkeyPatch.context() as patch:
        others = [extend for extend in EXTENSIONS if extend is not build_retrospectives_demo]
        patch.setattr(core_demo, "DEMO_EXTENSIONS", others)
        with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
            build_demo()
            mails = OutgoingMail.objects.count()
            counts = _build()
            counts["mails_before"] = mails
            yield counts
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def test_nordwind_gets_a_closed_and_an_open_retrospective_quickly(demo):
    assert demo["seconds"] < 10
    assert demo["fjallbacka"] == {"retrospectives": 0, "raters": 0, "ratings": 0, "indicators": 0}
    assert demo["nordwind"]["retrospectives"] == 2
    assert sorted(Retrospective.objects.values_list("state", flat=True)) == ["closed", "open"]
    assert OutgoingMail.objects.count() == demo["mails_before"]  # no mail from the demo


def test_closed_one_covers_the_catalogue_with_every_rater_done(demo):
    closed = Retrospective.objects.get(state="closed")
    assert closed.initiatives.count() >= 25
    raters = Rater.objects.filter(retrospective=closed)
    assert 9 <= raters.filter(group="leadership").count() <= 10
    assert raters.filter(group="participant").count() == 15
    assert not raters.filter(submitted_at__isnull=True).exists()
    assert raters.filter(person__user__email=LOGIN_EMAILS["admin"]).exists()
    assert 6 <= EffectIndicator.objects.filter(retrospective=closed).count() <= 10
    assert not EffectIndicator.objects.filter(source="").exists()
    assert closed.closed_at > closed.opened_at


def test_ratings_follow_the_pattern(demo):
    ratings = Rating.objects.filter(rater__retrospective__state="closed").select_related("initiative")
    by_kind = {}
    for rating in ratings:
        by_kind.setdefault(rating.initiative.kind, []).append(rating.level)
    sticky = [level for kind in ("workshop", "mentoring", "coaching") for level in by_kind[kind]]
    forgotten = [level for kind in ("conference", "hired_expert", "online_course") for level in by_kind[kind]]
    assert statistics.mean(sticky) > 1.8 > 1.0 > statistics.mean(forgotten)
    assert len(set(sticky)) > 2  # some noise
    with_practice = [r.level for r in ratings if "practice_tasks" in r.reasons]
    assert statistics.mean(with_practice) > 2
    repeated = [r.level for r in ratings if r.repeat]
    assert statistics.mean(repeated) > statistics.mean(r.level for r in ratings)
    comments = [r.comment for r in ratings if r.comment]
    assert len(comments) > 10
    assert any("ę" in c or "ą" in c or "ó" in c for c in comments) and any("å" in c or "ä" in c for c in comments)
    assert all(r.other_reason for r in ratings if "other" in r.reasons)


def test_open_one_asks_the_demo_manager_and_participant(demo, client):
    open_ = Retrospective.objects.get(state="open")
    waiting = Rater.objects.filter(retrospective=open_, submitted_at__isnull=True)
    emails = set(waiting.values_list("person__user__email", flat=True))
    assert {LOGIN_EMAILS["manager"], LOGIN_EMAILS["participant"]} <= emails
    assert not Rating.objects.filter(rater__in=waiting).exists()
    participant = User.objects.get(email=LOGIN_EMAILS["participant"])
    client.force_login(participant)
    body = client.get("/").content.decode()
    with translation.override(participant.language):  # the page speaks the participant's language
        heading = translation.gettext("Your view is asked")
    assert heading in body and f"/retrospectives/{open_.uuid}/rate/" in body


def test_the_same_seed_builds_the_same_answers(demo):
    first = _snapshot()
    Retrospective.objects.all().delete()
    _build()
    assert _snapshot() == first
