"""The tickets' worker task: thin; the work is in ``services.run_clock``."""

from django.tasks import task


@task
def task_run_clock() -> dict:
    """Warn owners before the promise breaks, tell the admins when it does, close answered tickets
    nobody replied to. Idempotent: each ticket is claimed before it is acted on."""
    from .services import run_clock

    return run_clock()
