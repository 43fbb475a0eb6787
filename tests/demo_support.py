"""The demo for a test module: built once with only the parts the module's own part stands on,
which the module then adds itself on a fixed day; rolled back after the module."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from takeroot.core import demo as core_demo
from takeroot.core.demo import build_demo
from takeroot.core.models import Workspace
from takeroot.core.scope import workspace_scope


@contextmanager
def demo_below(django_db_blocker, *, apps: Iterable[str]):
    """The core demo with the demo parts of ``apps`` (app labels) only, inside a transaction that
    is rolled back on leaving; the body runs outside the workspace guard."""
    apps = set(apps)
    with pytest.MonkeyPatch.context() as patch:
        below = [extend for extend in core_demo.DEMO_EXTENSIONS if extend.__module__.split(".")[1] in apps]
        patch.setattr(core_demo, "DEMO_EXTENSIONS", below)
        with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
            build_demo()
            yield
            transaction.set_rollback(True)


def in_each_workspace(build: Callable[[Workspace], dict]) -> dict:
    """Run one demo part in every demo workspace, in its scope; its counts by workspace slug."""
    counts = {}
    for workspace in Workspace.objects.order_by("slug"):
        with workspace_scope(workspace):
            counts[workspace.slug] = build(workspace)
    return counts
