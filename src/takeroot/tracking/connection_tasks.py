"""The connections' worker task: thin; the work is in ``mapping.reprocess``."""

from django.tasks import task


@task
def task_reprocess_statements(*, workspace_id: int, change: dict) -> int:
    """Re-process the statements a mapping change touches, read again when the task runs (a
    duplicate or a retry finds them processed the same way). Returns how many are processed."""
    from takeroot.core.models import Workspace
    from takeroot.core.scope import workspace_scope

    from .mapping import Change, affected_statements, reprocess

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    with workspace_scope(workspace):
        return reprocess(workspace, affected_statements(workspace, Change(**change)))
