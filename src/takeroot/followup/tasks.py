"""The follow-up worker's tasks: thin, with JSON arguments; the work is in ``delivery``."""

from django.tasks import task


@task
def task_send_due_touchpoints() -> int:
    """Send what is due, batch after batch, for at most about a minute (the next run goes on)."""
    from .delivery import send_all_due

    return send_all_due()
