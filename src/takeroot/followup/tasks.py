"""The follow-up worker's tasks: thin, with JSON arguments; the work is in ``delivery`` and
``materialise``."""

from django.tasks import task


@task
def task_send_due_touchpoints() -> int:
    """Send what is due, batch after batch, for at most about a minute (the next run goes on)."""
    from .delivery import send_all_due

    return send_all_due()


@task
def task_replan(
    *,
    workspace_id: int,
    enrolment_ids: list[int] | None = None,
    cohort_id: int | None = None,
    design_id: int | None = None,
) -> int:
    """Plan the touchpoints again after a change (enrolments, a cohort, a design or the whole
    workspace's delivery settings). Returns how many touchpoints were created, moved or cancelled."""
    from .materialise import replan

    result = replan(workspace_id=workspace_id, enrolment_ids=enrolment_ids, cohort_id=cohort_id, design_id=design_id)
    return result.created + result.moved + result.cancelled
