"""Reads the import pages and the API share: the cohorts someone may import into, the imports and
saved sources they see.
"""

from django.db.models import QuerySet

from takeroot.core.models import User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.models import Cohort

from ..models import ActivityImport, ImportSource


def importable_cohorts(user: User | None, *, workspace: Workspace) -> QuerySet[Cohort]:
    """Cohorts this person may import learning data into: admins (and API keys, ``user`` None)
    every cohort of the workspace, trainers the cohorts they train, nobody else any."""
    cohorts = Cohort.objects.filter(workspace=workspace).select_related("programme").order_by("-starts_on", "name")
    if user is None:
        return cohorts
    me = membership(user, workspace)
    if me is None or not (me.is_admin or me.is_trainer):
        return cohorts.none()
    return cohorts if me.is_admin else cohorts.filter(trainers=me)


def imports_for_workspace(workspace: Workspace) -> QuerySet[ActivityImport]:
    """Every import of the workspace, before any role rule: to tell 403 from 404."""
    return ActivityImport.objects.filter(workspace=workspace).select_related(
        "source", "created_by", "workspace", "cohort__programme"
    )


def imports_for_user(user: User | None, *, workspace: Workspace) -> QuerySet[ActivityImport]:
    """Imports this person sees: admins (and API keys) all, trainers those into their cohorts."""
    imports = imports_for_workspace(workspace)
    me = None if user is None else membership(user, workspace)
    if user is None or (me and me.is_admin):
        return imports
    return imports.filter(cohort__in=importable_cohorts(user, workspace=workspace))


def sources_for_workspace(workspace: Workspace) -> QuerySet[ImportSource]:
    return ImportSource.objects.filter(workspace=workspace).select_related("created_by", "workspace")
