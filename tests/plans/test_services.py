"""The plan lifecycle, validation in words, check-in rules, feedback and support requests."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.models import AuditEntry
from takeroot.plans import services
from takeroot.plans.models import SupportRequest

from .conftest import FUTURE


def _errors(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_open_plan_is_a_draft_with_weekly_cadence_and_audit(plan, cast):
    assert (plan.state, plan.cadence_days, plan.opened_by) == ("draft", 7, cast["participant"])
    assert AuditEntry.objects.filter(object_uuid=plan.uuid, action="created").count() == 1


def test_open_plan_twice_is_refused(plan, enrolment):
    with pytest.raises(ValidationError) as caught:
        services.open_plan(enrolment=enrolment, actor=None)
    assert caught.value.messages == ["This training already has an action plan."]


def test_goal_target_equal_to_baseline_is_refused(plan):
    errors = _errors(
        services.add_goal, plan=plan, actor=None, kind="numeric", title="X", metric="M", baseline=5, target=5
    )
    assert errors == {"target": ["The target must differ from the baseline: say what will change."]}


def test_goal_deadline_in_the_past_is_refused_on_creation(plan):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    errors = _errors(
        services.add_goal,
        plan=plan,
        actor=None,
        kind="numeric",
        title="X",
        metric="M",
        baseline=5,
        target=6,
        deadline=yesterday,
    )
    assert errors == {"deadline": ["The deadline is in the past: choose today or a later day."]}


def test_rating_goal_outside_one_to_ten_is_refused(plan):
    errors = _errors(services.add_goal, plan=plan, actor=None, kind="rating", title="X", baseline=0, target=11)
    assert errors == {
        "baseline": ["Rate from 1 to 10, in whole numbers."],
        "target": ["Rate from 1 to 10, in whole numbers."],
    }


def test_numeric_goal_needs_a_metric(plan):
    errors = _errors(services.add_goal, plan=plan, actor=None, kind="numeric", title="X", baseline=1, target=2)
    assert list(errors) == ["metric"]


def test_task_due_in_the_past_is_refused(plan):
    errors = _errors(
        services.add_task, plan=plan, actor=None, title="Step", due_on=timezone.localdate() - datetime.timedelta(1)
    )
    assert errors == {"due_on": ["The due date is in the past: choose today or a later day."]}


def test_submit_needs_a_goal(plan):
    with pytest.raises(ValidationError) as caught:
        services.submit_plan(plan=plan, actor=None)
    assert caught.value.messages == ["Add at least one goal before you submit the plan."]


def test_send_back_needs_a_comment_then_resubmit_and_approve(plan, goal, cast):
    services.submit_plan(plan=plan, actor=None)
    errors = _errors(services.send_back_plan, plan=plan, actor=None, reviewer=cast["manager"], comment=" ")
    assert errors == {"comment": ["Say what should change before you send the plan back."]}
    services.send_back_plan(plan=plan, actor=None, reviewer=cast["manager"], comment="Measure it.")
    assert plan.state == "sent_back"
    services.submit_plan(plan=plan, actor=None)
    services.approve_plan(plan=plan, actor=None, reviewer=cast["manager"])
    assert plan.state == "approved"
    assert [r.decision for r in plan.reviews.order_by("created_at", "id")] == ["sent_back", "approved"]


def test_approve_only_a_submitted_plan(plan, goal):
    with pytest.raises(ValidationError):
        services.approve_plan(plan=plan, actor=None, reviewer=None)


def test_check_in_refused_on_a_draft(plan, goal, cast):
    with pytest.raises(ValidationError) as caught:
        services.record_check_in(plan=plan, actor=None, author=None, status="on_track", confidence=3, values={})
    assert caught.value.messages == ["Check-ins start once the plan is submitted for review."]


def test_check_in_non_numeric_value_is_refused(approved, goal, rating_goal):
    errors = _errors(
        services.record_check_in,
        plan=approved,
        actor=None,
        author=None,
        status="on_track",
        confidence=3,
        values={goal.uuid: "about nine", rating_goal.uuid: "12"},
    )
    assert errors == {
        f"goal_{goal.uuid}": ["Enter a number, for example 8.5."],
        f"goal_{rating_goal.uuid}": ["Rate from 1 to 10, in whole numbers."],
    }
    assert approved.check_ins.count() == 0


def test_check_in_confidence_must_be_one_to_five(approved):
    errors = _errors(
        services.record_check_in, plan=approved, actor=None, author=None, status="at_risk", confidence=6, values={}
    )
    assert list(errors) == ["confidence"]


def test_check_in_reaching_the_target_marks_the_goal_done(approved, goal, rating_goal, cast):
    services.record_check_in(
        plan=approved, actor=None, author=None, status="done", confidence=5, values={goal.uuid: "8,4"}
    )
    goal.refresh_from_db()
    rating_goal.refresh_from_db()
    assert goal.done_at is not None
    assert rating_goal.done_at is None
    assert approved.check_ins.get().values.get().value == Decimal("8.4")


def test_check_in_with_support_needed_opens_a_request_and_it_is_answered(check_in, cast):
    request = SupportRequest.objects.get(check_in=check_in)
    assert (request.text, request.answered_at) == ("A pairing session with the platform team.", None)
    services.answer_support_request(support_request=request, actor=None, author=cast["manager"], answer="Booked.")
    assert (request.answer, request.answered_by) == ("Booked.", cast["manager"])
    with pytest.raises(ValidationError):
        services.answer_support_request(support_request=request, actor=None, author=cast["manager"], answer="Again")


def test_feedback_needs_a_comment_and_a_rating_of_one_to_five(approved, cast):
    errors = _errors(services.give_feedback, plan=approved, actor=None, author=cast["manager"], comment="", rating=6)
    assert errors == {"comment": ["Write your feedback."], "rating": ["Rate progress from 1 to 5."]}
    note = services.give_feedback(plan=approved, actor=None, author=cast["manager"], comment="Well done", rating=4)
    assert (note.comment, note.rating) == ("Well done", 4)


def test_update_plan_does_not_audit_private_notes(plan):
    services.update_plan(plan=plan, actor=None, private_notes="Nervous about the pilot.")
    assert AuditEntry.objects.filter(object_uuid=plan.uuid, action="changed").count() == 0
    services.update_plan(plan=plan, actor=None, cadence_days=14)
    entry = AuditEntry.objects.get(object_uuid=plan.uuid, action="changed")
    assert entry.changes == {"cadence_days": [7, 14]}


def test_updating_a_goal_keeps_a_past_deadline_that_did_not_change(goal):
    type(goal).objects.filter(pk=goal.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    goal.refresh_from_db()
    assert services.update_goal(goal=goal, actor=None, title="Release much faster") == {
        "title": ("Release faster", "Release much faster")
    }
    assert goal.deadline < FUTURE
