"""The workspace guard.

Workspace-owned models use ``django_scopes.ScopedManager``: a query without an active
workspace scope raises instead of silently reading every organisation. Requests enter the
scope of their current workspace in ``WorkspaceMiddleware``; tasks and commands enter it
explicitly. Code that truly needs every workspace says so with ``across_workspaces()``.
"""

from django_scopes import scope, scopes_disabled

from .models import Workspace


def workspace_scope(workspace: Workspace):
    """Enter one workspace: scoped queries see only its rows."""
    return scope(workspace=workspace)


def across_workspaces():
    """Leave the guard on purpose (sign-in, the workspace switcher, demo data, migrations)."""
    return scopes_disabled()
