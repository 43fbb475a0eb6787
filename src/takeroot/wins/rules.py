"""Who may see and do what with wins.

A win is seen by its participant, whoever marked it, the participant's line manager (now, or the
one named on the enrolment), the trainers of its cohort and the workspace's admins; once the
participant shares it, by everyone in the workspace. Only the participant decides about sharing.
Win-level permissions take the win; ``wins.mark_win_for`` the person; digest ones the digest;
the others the workspace.
"""

import rules

from takeroot.core.models import Person
from takeroot.core.queries import membership, report_ids
from takeroot.core.rules import has_reports, is_admin, is_manager_role, is_member, is_trainer
from takeroot.programmes.models import Enrolment

from .enums import DigestState, Sharing
from .models import Win, WinsDigest


def _me(user, obj):
    return membership(user, obj.workspace_id)


@rules.predicate
def is_win_participant(user, win) -> bool:
    return isinstance(win, Win) and win.person.user_id == user.pk


@rules.predicate
def marked_the_win(user, win) -> bool:
    me = _me(user, win) if isinstance(win, Win) else None
    return bool(me) and win.marked_by_id == me.pk


@rules.predicate
def manages_the_participant(user, win) -> bool:
    me = _me(user, win) if isinstance(win, Win) else None
    if me is None:
        return False
    named = win.plan.enrolment.manager_id if win.plan_id else None
    return me.pk in {win.person.manager_id, named}


@rules.predicate
def trains_the_win_cohort(user, win) -> bool:
    me = _me(user, win) if isinstance(win, Win) else None
    return bool(me and win.cohort_id) and win.cohort.trainers.filter(pk=me.pk).exists()


@rules.predicate
def is_shared(user, win) -> bool:
    return isinstance(win, Win) and win.sharing == Sharing.SHARED


@rules.predicate
def may_mark_for(user, person) -> bool:
    """Line managers (anywhere above in the reporting line) and trainers of a cohort the person is in."""
    if not isinstance(person, Person):
        return False
    me = membership(user, person.workspace_id)
    if me is None or me.pk == person.pk:
        return False
    if person.pk in report_ids(me):
        return True
    return Enrolment.objects.filter(person=person, cohort__trainers=me).exists()


@rules.predicate
def is_sent(user, digest) -> bool:
    return isinstance(digest, WinsDigest) and digest.state == DigestState.SENT


sees_win = is_admin | is_win_participant | marked_the_win | manages_the_participant | trains_the_win_cohort

rules.add_perm("wins.view_wins", is_member)
rules.add_perm("wins.view_win", sees_win | (is_member & is_shared))
rules.add_perm("wins.share_win", is_win_participant)
rules.add_perm("wins.react", is_member & is_shared)
rules.add_perm("wins.mark_wins", is_admin | is_trainer | is_manager_role | has_reports)
rules.add_perm("wins.mark_win_for", is_admin | may_mark_for)
rules.add_perm("wins.manage_digests", is_admin)
rules.add_perm("wins.view_digest", is_admin | (is_member & is_sent))
rules.add_perm("wins.edit_digest", is_admin)
