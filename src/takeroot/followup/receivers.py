"""The follow-up engine listens to the lower apps: an enrolment, a cohort or an action plan changed,
so the touchpoints planned from it are materialised again (created, moved or cancelled); a
programme was copied, so its follow-up design is copied with it.

The signals arrive after the change committed; each receiver enters the workspace's scope and
re-plans in this process. Imported from ``FollowupConfig.ready``.
"""

from django.dispatch import receiver

from takeroot.core.models import Workspace
from takeroot.core.scope import workspace_scope
from takeroot.plans.signals import plan_changed
from takeroot.programmes.models import Enrolment
from takeroot.programmes.signals import cohort_changed, enrolments_changed, programme_copied

from .materialise import materialise


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


@receiver(programme_copied, dispatch_uid="followup_programme_copied")
def copy_design_with_programme(sender, *, source, copy, actor, **kwargs) -> None:
    """A copied programme gets a copy of the follow-up design too, in the same transaction."""
    from .designs import copy_design, design_of

    design = design_of(source)
    if design is not None:
        copy_design(design=design, programme=copy, actor=actor)
