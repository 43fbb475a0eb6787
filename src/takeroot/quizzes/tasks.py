"""The quizzes' background tasks: thin, with JSON arguments; the work is in ``fitting``."""

from django.tasks import task


@task
def task_fit_parameters(*, programme_id: int, user_id: int | None = None, person_id: int | None = None) -> str:
    """Fit a programme's FSRS parameters; returns the outcome, or "" when the programme is gone."""
    from takeroot.core.models import Person, User
    from takeroot.core.scope import across_workspaces, workspace_scope
    from takeroot.programmes.models import Programme

    from .fitting import fit_parameters

    with across_workspaces():  # the task knows only ids: find the workspace first
        programme = Programme.objects.filter(pk=programme_id).select_related("workspace").first()
    if programme is None:
        return ""
    with workspace_scope(programme.workspace):
        actor = User.objects.filter(pk=user_id).first() if user_id else None
        person = Person.objects.filter(pk=person_id, workspace=programme.workspace).first() if person_id else None
        return fit_parameters(programme=programme, actor=actor, requested_by=person).outcome
