"""The demo learning data: Moodle statements for Nordwind's customer-conversations programme,
mapped and unmatched ones, imports, and records for every input the demo's parts produce."""

import datetime
import random

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.programmes.demo import CUSTOMER_CONVERSATIONS
from takeroot.programmes.models import Cohort
from takeroot.tracking.demo import AT_RISK, build_tracking_demo
from takeroot.tracking.enums import COHORT_ONLY_INPUTS, FindingKind, FindingState, Input, Origin, RiskReason
from takeroot.tracking.findings import compare
from takeroot.tracking.models import (
    ActivityImport,
    ActivityRecord,
    AtRiskFlag,
    DesignChange,
    Finding,
    LmsConnection,
    Rollup,
    Statement,
)
from takeroot.tracking.sources import backfill
from tests.demo_support import demo_below, in_each_workspace

TODAY = datetime.date(2026, 11, 26)
# The parts of the demo whose records tracking reads, built first as ``takeroot demo`` does.
BELOW = ["programmes", "catalogue", "plans", "practice", "followup", "quizzes", "surveys", "tickets"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=BELOW):
        yield in_each_workspace(lambda ws: build_tracking_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_demo_only_in_nordwind(demo):
    assert set(demo["fjallbacka"].values()) == {0}
    assert LmsConnection.objects.get().name == "Moodle"
    assert demo["nordwind"]["statements"] == Statement.objects.count()


def test_demo_has_about_fifteen_hundred_statements_from_moodle(demo):
    statements = Statement.objects.all()
    assert 1200 <= statements.count() <= 1800
    first = statements.order_by("pk").first().document
    assert first["context"]["platform"] == "Moodle"
    assert first["actor"]["mbox"].startswith("mailto:")
    assert first["authority"]["account"]["name"] == LmsConnection.objects.get().username
    assert {s.document["id"] for s in statements[:50]} == {str(s.statement_id) for s in statements[:50]}


def test_demo_statements_are_mapped_except_a_few_unmatched(demo):
    waiting = Statement.objects.filter(processed=False)
    assert waiting.count() == demo["nordwind"]["unmatched"] == 5
    assert set(waiting.filter(person__isnull=True).values_list("actor_key", flat=True)) == {
        "mbox:mailto:guest.trainer@partner.example"
    }
    assert set(waiting.filter(person__isnull=False).values_list("activity", flat=True)) == {
        "https://learn.nordwind.takeroot.test/mod/forum/view.php?id=999"
    }
    assert ActivityRecord.objects.filter(origin=Origin.XAPI).exists()


def test_demo_records_every_input_but_the_survey_ones_without_a_closed_survey(demo):
    inputs = set(ActivityRecord.objects.values_list("input", flat=True).distinct())
    assert set(Input) - set(COHORT_ONLY_INPUTS) <= inputs
    assert ActivityRecord.objects.filter(origin=Origin.TAKEROOT).exists()
    assert ActivityImport.objects.count() == demo["nordwind"]["imports"] == 4
    assert all(done.records > 0 for done in ActivityImport.objects.all())


def test_demo_records_and_rollups_agree(demo):
    for input in (Input.QUIZ_SCORE, Input.TIME_ONLINE, Input.ATTENDANCE):
        records = ActivityRecord.objects.filter(input=input)
        rollups = Rollup.objects.filter(input=input)
        assert sum(r.count for r in rollups) == records.count()
        assert sum(r.total for r in rollups) == pytest.approx(sum(r.value for r in records))


def _running_and_previous():
    return list(
        Cohort.objects.filter(programme__name=CUSTOMER_CONVERSATIONS.name, starts_on__lte=TODAY).order_by("-starts_on")
    )[:2]


def _quiz_means(cohort) -> dict[int, float]:
    by_module = {}
    for record in ActivityRecord.objects.filter(cohort=cohort, input=Input.QUIZ_SCORE, origin=Origin.XAPI):
        by_module.setdefault(record.module.position, []).append(record.value)
    return {position: sum(values) / len(values) for position, values in sorted(by_module.items())}


def test_demo_cohorts_each_find_one_module_hard(demo):
    running, previous = _running_and_previous()
    now, before = _quiz_means(running), _quiz_means(previous)
    hard_now, hard_before = sorted(now)[0], sorted(before)[1]
    assert now[hard_now] < 0.7 and before[hard_before] < 0.6, (now, before)
    assert all(mean > 0.85 for position, mean in now.items() if position != hard_now), now
    assert all(mean > 0.85 for position, mean in before.items() if position != hard_before), before


def test_demo_flags_the_fading_people_with_their_reasons(demo):
    running, _previous = _running_and_previous()
    flagged = AtRiskFlag.objects.filter(enrolment__cohort=running)
    both = [
        flag
        for flag in flagged
        if {RiskReason.ENGAGEMENT_FALLING, RiskReason.MISSED_CHECK_INS} <= {r["reason"] for r in flag.reasons}
    ]
    assert len(both) == AT_RISK
    assert AT_RISK <= flagged.count() <= AT_RISK + 2  # the rest of the cohort looks healthy
    assert LOGIN_EMAILS["participant"] not in {flag.enrolment.person.user.email for flag in both}


def test_demo_finds_the_running_cohorts_hard_module_and_judges_the_last_change(demo):
    running, previous = _running_and_previous()
    modules = list(running.programme.modules.order_by("position"))
    open_finding = Finding.objects.get(kind=FindingKind.LOW_KNOWLEDGE, cohort=running)
    assert open_finding.module == modules[0]
    change = DesignChange.objects.get()
    assert (change.before_cohort, change.after_cohort, change.module) == (previous, running, modules[1])
    assert change.finding.state == FindingState.CHANGED
    judged = compare(change)
    assert judged.before.value < 0.7 < judged.after.value


def test_demo_is_repeatable_and_backfilled(demo):
    assert sum(backfill(LmsConnection.objects.get().workspace).values()) == 0
