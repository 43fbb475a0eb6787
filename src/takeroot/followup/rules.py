"""Who may see and do what with follow-up.

Designs and steps belong to whoever designs programmes (admins and trainers): design-level
permissions take the design or, for lists and creation, the workspace. A touchpoint is seen by
its recipient, the designers and the cohort's trainers. Holds: the person themself, their line
manager and admins. Follow-up sessions: admins and the cohort's trainers run them; invited
people see theirs and answer. Delivery settings are the admins'.
"""

import rules

from takeroot.core.models import Person
from takeroot.core.queries import membership, report_ids
from takeroot.core.rules import is_admin, is_member, is_trainer
from takeroot.programmes.models import Cohort

from .models import FollowUpSession, Hold, Touchpoint


def _me(user, obj):
    return membership(user, obj.workspace_id if hasattr(obj, "workspace_id") else obj.pk)


def _cohort(obj) -> Cohort | None:
    if isinstance(obj, Cohort):
        return obj
    if isinstance(obj, Touchpoint):
        return obj.enrolment.cohort
    if isinstance(obj, FollowUpSession):
        return obj.cohort
    return None


@rules.predicate
def trains_the_cohort(user, obj) -> bool:
    cohort, me = _cohort(obj), _me(user, obj)
    return bool(cohort and me) and cohort.trainers.filter(pk=me.pk).exists()


@rules.predicate
def is_recipient(user, touchpoint) -> bool:
    return isinstance(touchpoint, Touchpoint) and touchpoint.recipient.user_id == user.pk


def _person(obj) -> Person | None:
    if isinstance(obj, Person):
        return obj
    if isinstance(obj, Hold):
        return obj.person
    return None


@rules.predicate
def is_the_person(user, obj) -> bool:
    person = _person(obj)
    return bool(person) and person.user_id == user.pk


@rules.predicate
def manages_the_person(user, obj) -> bool:
    person, me = _person(obj), _me(user, obj)
    return bool(person and me) and person.pk in report_ids(me)


@rules.predicate
def is_invited(user, session) -> bool:
    me = _me(user, session)
    return isinstance(session, FollowUpSession) and bool(me) and session.invitations.filter(person=me).exists()


designs = is_admin | is_trainer

rules.add_perm("followup.view_designs", designs)
rules.add_perm("followup.manage_designs", designs)
rules.add_perm("followup.manage_delivery", is_admin)
rules.add_perm("followup.view_cohort_followup", is_admin | trains_the_cohort)
rules.add_perm("followup.view_touchpoint", is_admin | trains_the_cohort | is_recipient)
rules.add_perm("followup.change_touchpoint", is_admin | trains_the_cohort)
rules.add_perm("followup.view_person_followup", is_admin | is_the_person | manages_the_person)
rules.add_perm("followup.hold", is_admin | is_the_person | manages_the_person)
rules.add_perm("followup.view_sessions", is_member)
rules.add_perm("followup.schedule_session", is_admin | trains_the_cohort)
rules.add_perm("followup.view_session", is_admin | trains_the_cohort | is_invited)
rules.add_perm("followup.run_session", is_admin | trains_the_cohort)
rules.add_perm("followup.answer_invitation", is_invited)
