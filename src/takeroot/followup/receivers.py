"""The scheduler listens to the lower apps: an enrolment, a cohort or an action plan changed, so
the touchpoints planned from it are materialised again (created, moved or cancelled).

The signals arrive after the change committed; each receiver enters the workspace's scope and
re-plans in this process. Imported from ``FollowupConfig.ready``.
"""

from django.dispatch import receiver

from takeroot.core.models import Workspace
from takeroot.core.scope import workspace_scope
from takeroot.plans.signals import plan_changed
from takeroot.programmes.models import Enrolment
from takeroot.programmes.signals import cohort_changed, enrolments_changed

from .schedule import materialise


def _replan(workspace_id: int, **enrolments) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:  # deleted since
        return
    with workspace_scope(workspace):
        materialise(Enrolment.objects.filter(**enrolments))


@receiver(enrolments_changed, dispatch_uid="followup_enrolments_changed")
def replan_enrolments(sender, *, enrolment_ids: list[int], workspace_id: int, **kwargs) -> None:
    _replan(workspace_id, pk__in=enrolment_ids)


@receiver(cohort_changed, dispatch_uid="followup_cohort_changed")
def replan_cohort(sender, *, cohort_id: int, workspace_id: int, **kwargs) -> None:
    _replan(workspace_id, cohort_id=cohort_id)


@receiver(plan_changed, dispatch_uid="followup_plan_changed")
def replan_plan(sender, *, enrolment_id: int, workspace_id: int, **kwargs) -> None:
    _replan(workspace_id, pk=enrolment_id)
