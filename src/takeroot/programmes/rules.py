"""Who may do what with programmes, cohorts and enrolments."""

import rules

from takeroot.core.queries import membership, report_ids
from takeroot.core.rules import is_admin, is_trainer

from .enums import EnrolmentStatus
from .models import Cohort, Enrolment


def _me(user, obj):
    workspace_id = obj.workspace_id if hasattr(obj, "workspace_id") else obj.pk
    return membership(user, workspace_id)


def _cohort_of(obj) -> Cohort | None:
    if isinstance(obj, Cohort):
        return obj
    return getattr(obj, "cohort", None)


@rules.predicate
def is_cohort_trainer(user, obj) -> bool:
    cohort, me = _cohort_of(obj), _me(user, obj)
    return bool(cohort and me and cohort.trainers.filter(pk=me.pk).exists())


@rules.predicate
def is_cohort_mentor(user, obj) -> bool:
    cohort, me = _cohort_of(obj), _me(user, obj)
    return bool(cohort and me and cohort.mentors.filter(pk=me.pk).exists())


@rules.predicate
def is_enrolled(user, obj) -> bool:
    cohort, me = _cohort_of(obj), _me(user, obj)
    return bool(
        cohort and me and cohort.enrolments.filter(person=me).exclude(status=EnrolmentStatus.WITHDRAWN).exists()
    )


@rules.predicate
def manages_someone_enrolled(user, obj) -> bool:
    cohort, me = _cohort_of(obj), _me(user, obj)
    return bool(cohort and me and cohort.enrolments.filter(person_id__in=report_ids(me)).exists())


@rules.predicate
def is_own_enrolment(user, enrolment) -> bool:
    return isinstance(enrolment, Enrolment) and enrolment.person.user_id == user.pk


@rules.predicate
def manages_the_enrolled(user, enrolment) -> bool:
    me = _me(user, enrolment)
    return isinstance(enrolment, Enrolment) and bool(me) and enrolment.person_id in report_ids(me)


designs = is_admin | is_trainer
# Programme-level permissions take the workspace (lists, creation) or the programme.
rules.add_perm("programmes.list_programmes", designs)
rules.add_perm("programmes.manage_programmes", designs)
# Cohort-level permissions take the cohort.
rules.add_perm("programmes.view_cohort", designs | is_cohort_mentor | is_enrolled | manages_someone_enrolled)
rules.add_perm("programmes.manage_cohort", designs)
rules.add_perm("programmes.see_accommodations", designs | is_cohort_mentor)
rules.add_perm("programmes.propose_goal", designs | is_enrolled | manages_someone_enrolled)
rules.add_perm("programmes.answer_review", is_enrolled | manages_someone_enrolled)
rules.add_perm("programmes.decide_review", designs)
# Enrolment-level permissions take the enrolment.
rules.add_perm("programmes.view_enrolment", designs | is_cohort_mentor | is_own_enrolment | manages_the_enrolled)
rules.add_perm("programmes.change_accommodations", designs | is_own_enrolment)
