"""Who may read and write in peer learning.

- A cohort's community: its enrolled participants (not withdrawn), its trainers and mentors, and
  the workspace's admins. Groups and auto-grouping are managed by the cohort's trainers and admins.
- A group and its threads: the group's members, the cohort's trainers, admins.
- A team's insights: the team's members, its managers (whoever line-manages a member) and
  admins; only the team's ambassador starts them. Admins and the team's managers name the
  ambassador.
- Moderation (pin, lock, hide): the cohort's trainers and admins; for team insights admins and
  the team's managers.

Permissions take the object they are about: ``Cohort``, ``PeerGroup``, ``Team``, ``Thread`` or
``Post``; ``peers.view_peers`` the workspace.
"""

import rules

from takeroot.core.models import Person, Team
from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort

from .models import Ambassador, PeerGroup, Post, Thread


def _me(user, obj) -> Person | None:
    return membership(user, obj.workspace_id)


def _thread(obj) -> Thread | None:
    if isinstance(obj, Post):
        return obj.thread
    return obj if isinstance(obj, Thread) else None


def _cohort(obj) -> Cohort | None:
    if isinstance(obj, Cohort):
        return obj
    if isinstance(obj, PeerGroup):
        return obj.cohort
    thread = _thread(obj)
    return thread.cohort if thread is not None else None


def _team(obj) -> Team | None:
    if isinstance(obj, Team):
        return obj
    thread = _thread(obj)
    return thread.team if thread is not None else None


def _group(obj) -> PeerGroup | None:
    if isinstance(obj, PeerGroup):
        return obj
    thread = _thread(obj)
    return thread.group if thread is not None else None


def is_enrolled(person: Person, cohort: Cohort) -> bool:
    return cohort.enrolments.filter(person=person).exclude(status=EnrolmentStatus.WITHDRAWN).exists()


def manages_team(person: Person, team: Team) -> bool:
    """The team's managers: whoever line-manages one of its members."""
    return Person.objects.filter(team=team, manager=person).exclude(pk=person.pk).exists()


@rules.predicate
def trains_cohort(user, obj) -> bool:
    cohort, me = _cohort(obj), _me(user, obj)
    return bool(cohort and me) and cohort.trainers.filter(pk=me.pk).exists()


@rules.predicate
def mentors_cohort(user, obj) -> bool:
    cohort, me = _cohort(obj), _me(user, obj)
    return bool(cohort and me) and cohort.mentors.filter(pk=me.pk).exists()


@rules.predicate
def enrolled_in_cohort(user, obj) -> bool:
    cohort, me = _cohort(obj), _me(user, obj)
    return bool(cohort and me) and is_enrolled(me, cohort)


@rules.predicate
def in_group(user, obj) -> bool:
    group, me = _group(obj), _me(user, obj)
    return bool(group and me) and group.memberships.filter(person=me).exists()


@rules.predicate
def in_team(user, obj) -> bool:
    team, me = _team(obj), _me(user, obj)
    return bool(team and me) and me.team_id == team.pk


@rules.predicate
def manages_the_team(user, obj) -> bool:
    team, me = _team(obj), _me(user, obj)
    return bool(team and me) and manages_team(me, team)


@rules.predicate
def is_ambassador(user, obj) -> bool:
    team, me = _team(obj), _me(user, obj)
    return bool(team and me) and Ambassador.objects.filter(team=team, person=me).exists()


@rules.predicate
def is_author(user, obj) -> bool:
    me = _me(user, obj)
    return bool(me) and isinstance(obj, Post | Thread) and obj.author_id == me.pk


@rules.predicate
def is_team_thread(user, obj) -> bool:
    thread = _thread(obj)
    return bool(thread and thread.team_id)


@rules.predicate
def is_group_thread(user, obj) -> bool:
    thread = _thread(obj)
    return bool(thread and thread.group_id)


view_community = is_admin | trains_cohort | mentors_cohort | enrolled_in_cohort
view_group = is_admin | trains_cohort | in_group
view_team = is_admin | in_team | manages_the_team

rules.add_perm("peers.view_peers", is_member)
rules.add_perm("peers.view_ambassadors", is_member)
rules.add_perm("peers.view_community", view_community)
rules.add_perm("peers.manage_groups", is_admin | trains_cohort)
rules.add_perm("peers.view_group", view_group)
rules.add_perm("peers.view_team", view_team)
rules.add_perm("peers.name_ambassador", is_admin | manages_the_team)
view_thread = (
    (is_team_thread & view_team)
    | (~is_team_thread & is_group_thread & view_group)
    | (~is_team_thread & ~is_group_thread & view_community)
)
rules.add_perm("peers.view_thread", view_thread)
# Starting a thread takes where it goes: a cohort (its community), a group, or a team (insights).
rules.add_perm("peers.start_community_thread", view_community)
rules.add_perm("peers.start_group_thread", view_group)
rules.add_perm("peers.start_insight", is_ambassador)
rules.add_perm("peers.reply", view_thread)  # the service refuses locked and hidden threads
rules.add_perm("peers.edit_post", is_author)
rules.add_perm(
    "peers.moderate", (is_team_thread & (is_admin | manages_the_team)) | (~is_team_thread & (is_admin | trains_cohort))
)
