"""Signals other apps listen to without plans knowing them.

``goal_reached``: a goal's check-in value reached its target (sent once per goal, after the
check-in's transaction commits). Arguments: ``goal`` (ActionGoal), ``check_in`` (CheckIn).

``plan_changed``: what the plan's follow-up is planned from changed (opened, check-in cadence,
buddy, a goal's deadline), sent after the transaction commits. Arguments: ``enrolment_id`` and
``workspace_id``. Services send it through ``notify_plan_changed``.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

goal_reached = Signal()
plan_changed = Signal()


def notify_plan_changed(plan) -> None:
    """Send ``plan_changed`` for ``plan`` (an ActionPlan) once the current transaction commits."""
    from .models import ActionPlan

    transaction.on_commit(
        partial(plan_changed.send, sender=ActionPlan, enrolment_id=plan.enrolment_id, workspace_id=plan.workspace_id)
    )
