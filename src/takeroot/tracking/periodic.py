"""The tracking periodic jobs (core autodiscovers this module): the nightly at-risk evaluation of
every workspace, for the reasons time alone brings (a check-in not made, a quiet fortnight), the
daily problem finder, and hourly the practice tasks that passed their due date uncompleted. The
first two only queue one task per workspace; all are idempotent."""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from takeroot.core.periodic import periodic


def _workspaces():
    from takeroot.core.models import Workspace

    return Workspace.objects.order_by("pk")


def _workspace_ids() -> list[int]:
    return list(_workspaces().values_list("pk", flat=True))


@periodic(every=timedelta(hours=24))
def tracking_evaluate_at_risk() -> None:
    """Queue the at-risk evaluation of each workspace."""
    from .tasks import task_evaluate_workspace

    for workspace_id in _workspace_ids():
        transaction.on_commit(partial(task_evaluate_workspace.enqueue, workspace_id=workspace_id))


@periodic(every=timedelta(hours=24))
def tracking_find_problems() -> None:
    """Queue the problem finder for each workspace."""
    from .tasks import task_find_problems

    for workspace_id in _workspace_ids():
        transaction.on_commit(partial(task_find_problems.enqueue, workspace_id=workspace_id))


@periodic(every=timedelta(hours=1))
def record_overdue_practice_everywhere() -> None:
    """Practice tasks past their due date count as not completed (idempotent: one record each)."""
    from .sources import record_overdue_practice

    for workspace in _workspaces():
        record_overdue_practice(workspace, now=timezone.now())
