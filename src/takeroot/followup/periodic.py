"""The follow-up's periodic jobs (core autodiscovers this module)."""

from datetime import timedelta
from functools import partial

from django.db import transaction

from takeroot.core.periodic import periodic


@periodic(every=timedelta(minutes=1))
def send_due_touchpoints() -> None:
    """Queue the worker's task that sends the touchpoints now due."""
    from .tasks import task_send_due_touchpoints

    transaction.on_commit(partial(task_send_due_touchpoints.enqueue))


@periodic(every=timedelta(minutes=5))
def release_stuck_touchpoints() -> None:
    """Touchpoints claimed by a worker that died mid-send go back to the queue after 15 minutes."""
    from .delivery import release_stuck

    release_stuck()


@periodic(every=timedelta(hours=24))
def replan_every_workspace() -> None:
    """Once a day the worker plans every workspace's follow-up again: it catches changes no signal
    reports (a person's own line manager, a time zone in the profile) and any re-planning task
    that failed. Idempotent: unchanged touchpoints stay as they are."""
    from takeroot.core.scope import across_workspaces

    from .models import Design
    from .receivers import replan_later

    with across_workspaces():
        workspace_ids = set(Design.objects.filter(programme__isnull=False).values_list("workspace_id", flat=True))
    for workspace_id in sorted(workspace_ids):
        replan_later(workspace_id=workspace_id)
