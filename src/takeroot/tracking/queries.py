"""Reads that the tracking pages, the API and the exports share."""

from takeroot.core.models import Workspace

from .models import TrackingSettings


def tracking_settings(workspace: Workspace | int) -> TrackingSettings:
    """The workspace's at-risk settings; the defaults (unsaved) when it has none."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return TrackingSettings.objects.filter(workspace_id=workspace_id).first() or TrackingSettings(
        workspace_id=workspace_id
    )
