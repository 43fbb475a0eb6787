"""The surveys' background tasks: thin, with JSON arguments; the work is in ``distribution``."""

from django.tasks import task


@task
def task_close_and_remind_surveys() -> int:
    """Close the surveys past their closing date, then send the reminders that are due. Returns
    how many surveys were closed plus how many reminders went out."""
    from .distribution import close_due_surveys, send_due_reminders

    return close_due_surveys() + send_due_reminders()
