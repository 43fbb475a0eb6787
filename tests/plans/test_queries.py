"""Visibility, trend and gone-quiet arithmetic, the team rows and support requests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from takeroot.plans import services
from takeroot.plans.queries import (
    gone_quiet,
    plan_detail,
    plans_for_user,
    support_requests_for_user,
    team_plan_rows,
    team_plans,
    trend_of,
)

NOW = timezone.now()


def _check_in(plan, goal, value, days_ago):
    return services.record_check_in(
        plan=plan,
        actor=None,
        author=None,
        status="on_track",
        confidence=3,
        values={goal.uuid: value},
        created_at=NOW - datetime.timedelta(days=days_ago),
    )


def _fresh(plan):
    return plan_detail(plan.workspace).get(pk=plan.pk)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((), "unknown"),
        (("9.5",), "unknown"),
        (("9.5", "9"), "improving"),  # lead time falls toward 8.5
        (("9", "9"), "flat"),
        (("9", "9.8"), "worse"),
    ],
)
def test_trend_compares_the_last_two_check_ins_toward_the_target(approved, goal, values, expected):
    for index, value in enumerate(values):
        _check_in(approved, goal, value, days_ago=10 - index)
    assert trend_of(_fresh(approved)) == expected


def test_gone_quiet_after_twice_the_cadence(approved, goal):
    _check_in(approved, goal, "9.5", days_ago=14)
    plan = _fresh(approved)
    today = timezone.localdate(NOW)
    assert gone_quiet(plan, today=today) is False  # exactly 2 × 7 days
    assert gone_quiet(plan, today=today + datetime.timedelta(days=1)) is True
    services.update_plan(plan=approved, actor=None, cadence_days=14)
    assert gone_quiet(_fresh(approved), today=today + datetime.timedelta(days=1)) is False


def test_gone_quiet_without_check_ins_counts_from_the_opening(approved):
    assert gone_quiet(_fresh(approved), today=timezone.localdate() + datetime.timedelta(days=15)) is True


VISIBLE = {
    "admin": True,
    "trainer": True,
    "manager": True,
    "participant": True,
    "mentor": False,
    "other_participant": False,
    "outsider": False,
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_plans_for_user_matrix(plan, other_enrolment, cast, who):
    services.open_plan(enrolment=other_enrolment, actor=None)  # what could leak to the participant
    visible = plans_for_user(cast[who].user, workspace=plan.workspace)
    assert (plan in visible) is VISIBLE[who]
    if who == "participant":
        assert list(visible) == [plan]


def test_team_rows_for_the_manager(check_in, approved, other_enrolment, cast):
    services.open_plan(enrolment=other_enrolment, actor=None)  # not in the manager's line
    rows = team_plan_rows(team_plans(cast["manager"].user, workspace=approved.workspace))
    assert [(r.plan, r.last, r.trend, r.quiet, r.open_requests) for r in rows] == [
        (approved, check_in, "unknown", False, 1)
    ]


def test_support_requests_for_manager_and_trainer_not_others(check_in, cast):
    workspace = check_in.workspace
    for who, count in {"manager": 1, "trainer": 1, "admin": 1, "participant": 0, "mentor": 0}.items():
        assert support_requests_for_user(cast[who].user, workspace=workspace).count() == count, who


def test_progress_value_for_rating_goal(approved, rating_goal):
    _check_in(approved, rating_goal, "6", days_ago=3)
    assert _fresh(approved).goals.get(pk=rating_goal.pk).values.get().value == Decimal(6)
