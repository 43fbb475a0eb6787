"""The tracking worker tasks: thin; the work is in the services they call."""

import datetime
from functools import partial

from django.db import transaction
from django.tasks import task


def _workspace(workspace_id: int):
    from takeroot.core.models import Workspace

    return Workspace.objects.filter(pk=workspace_id).first()


@task
def task_evaluate_enrolments(*, workspace_id: int, enrolment_ids: list[int], now: str) -> dict:
    """Evaluate the at-risk rules for these enrolments. Idempotent: a second run finds the flags
    already as the rules say, and notices go out only for reasons a flag did not have."""
    from takeroot.core.scope import workspace_scope

    from .risk import evaluate_enrolments

    workspace = _workspace(workspace_id)
    if workspace is None:
        return {}
    with workspace_scope(workspace):
        outcome = evaluate_enrolments(workspace, enrolment_ids, now=datetime.datetime.fromisoformat(now))
    return {"opened": outcome.opened, "updated": outcome.updated, "resolved": outcome.resolved}


@task
def task_evaluate_workspace(*, workspace_id: int) -> dict:
    """The nightly evaluation of every enrolment of one workspace (reasons that time brings)."""
    from django.utils import timezone

    from takeroot.core.scope import workspace_scope

    from .risk import evaluate_workspace

    workspace = _workspace(workspace_id)
    if workspace is None:
        return {}
    with workspace_scope(workspace):
        outcome = evaluate_workspace(workspace, now=timezone.now())
    return {"opened": outcome.opened, "updated": outcome.updated, "resolved": outcome.resolved}


@task
def task_find_problems(*, workspace_id: int) -> int:
    """Run the problem finder over one workspace; returns how many findings it saw."""
    from django.utils import timezone

    from takeroot.core.scope import workspace_scope

    from .findings import find_problems

    workspace = _workspace(workspace_id)
    if workspace is None:
        return 0
    with workspace_scope(workspace):
        return len(find_problems(workspace, now=timezone.now()))


def enqueue_risk_evaluation(*, workspace_id: int, enrolment_ids: list[int], now: datetime.datetime) -> None:
    """Queue an at-risk evaluation of these enrolments when the transaction commits."""
    transaction.on_commit(
        partial(
            task_evaluate_enrolments.enqueue,
            workspace_id=workspace_id,
            enrolment_ids=sorted(enrolment_ids),
            now=now.isoformat(),
        )
    )
