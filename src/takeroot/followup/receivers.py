"""The follow-up engine listens to the lower apps: an enrolment, a cohort or an action plan changed,
so the touchpoints planned from it are materialised again (created, moved or cancelled); a
programme was copied, so its follow-up design is copied with it.

The change signals arrive after the change committed; each receiver queues ``task_replan`` for
the worker. Imported from ``FollowupConfig.ready``.
"""

from django.db import transaction
from django.dispatch import receiver

from takeroot.plans.signals import plan_changed
from takeroot.programmes.signals import cohort_changed, enrolments_changed, programme_copied


def replan_later(**change) -> None:
    """Queue the re-planning after the commit: the worker does it, so a large cohort does not slow
    the request, and a failure is recorded with the task instead of failing a change already
    saved. Re-planning is idempotent: the next change (or ``task_replan`` again) catches up."""
    from .tasks import task_replan

    transaction.on_commit(lambda: task_replan.enqueue(**change))


@receiver(enrolments_changed, dispatch_uid="followup_enrolments_changed")
def replan_enrolments(sender, *, enrolment_ids: list[int], workspace_id: int, **kwargs) -> None:
    replan_later(workspace_id=workspace_id, enrolment_ids=list(enrolment_ids))


@receiver(cohort_changed, dispatch_uid="followup_cohort_changed")
def replan_cohort(sender, *, cohort_id: int, workspace_id: int, **kwargs) -> None:
    replan_later(workspace_id=workspace_id, cohort_id=cohort_id)


@receiver(plan_changed, dispatch_uid="followup_plan_changed")
def replan_plan(sender, *, enrolment_id: int, workspace_id: int, **kwargs) -> None:
    replan_later(workspace_id=workspace_id, enrolment_ids=[enrolment_id])


@receiver(programme_copied, dispatch_uid="followup_programme_copied")
def copy_design_with_programme(sender, *, source, copy, actor, **kwargs) -> None:
    """A copied programme gets a copy of the follow-up design too, in the same transaction."""
    from .designs import copy_design, design_of

    design = design_of(source)
    if design is not None:
        copy_design(design=design, programme=copy, actor=actor)
