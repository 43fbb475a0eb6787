"""Who may read and work on practice tasks.

A task is managed by the cohort's trainers and the workspace's admins. An assignment (and its
reports, reviews and files) is seen by its participant, their supervisor (the line manager named
on the enrolment, else the person's manager), the cohort's trainers and the admins; nobody else.
Only the participant submits; trainers (or admins) review as trainer; only the supervisor reviews
as supervisor. Cohort-level permissions take the cohort, task-level ones the task,
assignment-level ones the assignment, ``practice.view_practice`` the workspace.
"""

import rules

from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member
from takeroot.programmes.models import Cohort

from .models import PracticeAssignment, PracticeTask


def _me(user, obj):
    return membership(user, obj.workspace_id)


def _cohort(obj) -> Cohort | None:
    if isinstance(obj, Cohort):
        return obj
    if isinstance(obj, PracticeTask):
        return obj.cohort
    if isinstance(obj, PracticeAssignment):
        return obj.task.cohort
    return None


@rules.predicate
def trains_the_cohort(user, obj) -> bool:
    cohort, me = _cohort(obj), _me(user, obj)
    return bool(cohort and me) and cohort.trainers.filter(pk=me.pk).exists()


@rules.predicate
def is_assignee(user, obj) -> bool:
    return isinstance(obj, PracticeAssignment) and obj.enrolment.person.user_id == user.pk


@rules.predicate
def is_supervisor(user, obj) -> bool:
    if not isinstance(obj, PracticeAssignment):
        return False
    me, supervisor = _me(user, obj), obj.supervisor
    return bool(me and supervisor) and supervisor.pk == me.pk


manages = is_admin | trains_the_cohort

rules.add_perm("practice.view_practice", is_member)
rules.add_perm("practice.view_cohort_practice", manages)
rules.add_perm("practice.manage_cohort_practice", manages)
rules.add_perm("practice.manage_task", manages)
rules.add_perm("practice.view_assignment", manages | is_assignee | is_supervisor)
rules.add_perm("practice.submit_report", is_assignee)
rules.add_perm("practice.review_as_trainer", manages & ~is_assignee)  # never one's own report
rules.add_perm("practice.review_as_supervisor", is_supervisor)
