"""The tracking periodic jobs (core autodiscovers this module): the nightly at-risk evaluation of
every workspace, for the reasons time alone brings (a check-in not made, a quiet fortnight), and
the daily problem finder. Each only queues one task per workspace; the tasks are idempotent."""

from datetime import timedelta
from functools import partial

from django.db import transaction

from takeroot.core.periodic import periodic


def _workspace_ids() -> list[int]:
    from takeroot.core.models import Workspace

    return list(Workspace.objects.order_by("pk").values_list("pk", flat=True))


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
