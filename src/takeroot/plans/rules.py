"""Who may read and work on action plans.

A plan is seen by its participant, their line manager (named on the enrolment, or the person's
manager now), the cohort's trainers and the workspace's admins; nobody else. The participant's
accountability buddy sees the goals and their progress only (``plans.view_goals``) and cheers.
Private notes only the participant. Plan-level permissions take the plan; ``plans.open_plan`` the enrolment;
``plans.view_cohort_plans`` the cohort; the others the workspace.
"""

import rules

from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member
from takeroot.programmes.models import Cohort, Enrolment

from .models import ActionPlan


def _me(user, obj):
    return membership(user, obj.workspace_id if hasattr(obj, "workspace_id") else obj.pk)


def _enrolment(obj) -> Enrolment | None:
    if isinstance(obj, ActionPlan):
        return obj.enrolment
    return obj if isinstance(obj, Enrolment) else None


@rules.predicate
def is_plan_participant(user, obj) -> bool:
    enrolment = _enrolment(obj)
    return bool(enrolment) and enrolment.person.user_id == user.pk


@rules.predicate
def is_line_manager(user, obj) -> bool:
    enrolment, me = _enrolment(obj), _me(user, obj)
    return bool(enrolment and me) and me.pk in {enrolment.manager_id, enrolment.person.manager_id}


@rules.predicate
def trains_the_cohort(user, obj) -> bool:
    me = _me(user, obj)
    enrolment = _enrolment(obj)
    cohort = obj if isinstance(obj, Cohort) else (enrolment.cohort if enrolment else None)
    return bool(cohort and me) and cohort.trainers.filter(pk=me.pk).exists()


@rules.predicate
def is_buddy(user, obj) -> bool:
    me = _me(user, obj)
    return isinstance(obj, ActionPlan) and bool(me) and obj.buddy_id == me.pk


rules.add_perm("plans.view_plans", is_member)
rules.add_perm("plans.open_plan", is_admin | is_plan_participant | trains_the_cohort)
rules.add_perm("plans.view_cohort_plans", is_admin | trains_the_cohort)
rules.add_perm("plans.view_plan", is_admin | is_plan_participant | is_line_manager | trains_the_cohort)
rules.add_perm("plans.change_plan", is_admin | is_plan_participant | trains_the_cohort)
rules.add_perm("plans.assign_task", is_admin | is_plan_participant | trains_the_cohort | is_line_manager)
rules.add_perm("plans.view_private_notes", is_plan_participant)
rules.add_perm("plans.choose_buddy", is_plan_participant)
rules.add_perm("plans.view_goals", is_admin | is_plan_participant | is_line_manager | trains_the_cohort | is_buddy)
rules.add_perm("plans.cheer", is_buddy)
rules.add_perm("plans.check_in", is_plan_participant)
rules.add_perm("plans.review_plan", is_admin | is_line_manager)
rules.add_perm("plans.give_feedback", is_line_manager | trains_the_cohort)
rules.add_perm("plans.answer_support", is_admin | is_line_manager | trains_the_cohort)
