"""Pairs and small groups in a cohort: by hand, and formed automatically (mixed teams or the
same team), always with a person in at most one group per cohort."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User
from takeroot.core.services import record_audit
from takeroot.programmes.models import Cohort

from ..enums import GroupingMode, GroupKind
from ..models import GroupMember, PeerGroup
from ..queries import GROUPABLE, ungrouped_participants

SIZES = range(2, 7)


@dataclass
class ProposedGroup:
    name: str
    members: list[Person] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return GroupKind.PAIR if len(self.members) == 2 else GroupKind.GROUP


def _kind_for(count: int) -> str:
    return GroupKind.PAIR if count == 2 else GroupKind.GROUP


def _check_person(cohort: Cohort, person: Person, *, moving: bool = False) -> None:
    if (
        person.workspace_id != cohort.workspace_id
        or not cohort.enrolments.filter(person=person, status__in=GROUPABLE).exists()
    ):
        raise ValidationError({"person": _("%(name)s is not taking part in this cohort.") % {"name": person}})
    if not moving and GroupMember.objects.filter(cohort=cohort, person=person).exists():
        raise ValidationError({"person": _("%(name)s is already in a group of this cohort.") % {"name": person}})


@transaction.atomic
def create_group(
    *, cohort: Cohort, actor: User | None, name: str, members: list[Person] = (), kind: str | None = None
) -> PeerGroup:
    """Create a pair or small group in the cohort with its members (each not yet in a group).
    Trainers of the cohort and admins. The kind follows the number of members unless given.

    Side effects: an audit entry."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if PeerGroup.objects.filter(cohort=cohort, name=name).exists():
        raise ValidationError({"name": _("This cohort already has a group with this name.")})
    for person in members:
        _check_person(cohort, person)
    group = PeerGroup.objects.create(
        workspace_id=cohort.workspace_id, cohort=cohort, name=name, kind=kind or _kind_for(len(members))
    )
    GroupMember.objects.bulk_create(
        [GroupMember(workspace_id=cohort.workspace_id, group=group, cohort=cohort, person=p) for p in members]
    )
    record_audit(
        workspace=cohort.workspace,
        actor=actor,
        action=AuditAction.CREATED,
        obj=group,
        changes={"members": (None, [str(p) for p in members])},
    )
    return group


@transaction.atomic
def rename_group(*, group: PeerGroup, actor: User | None, name: str) -> None:
    """Side effects: an audit entry."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if PeerGroup.objects.filter(cohort_id=group.cohort_id, name=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("This cohort already has a group with this name.")})
    before, group.name = group.name, name
    group.save(update_fields=["name"])
    record_audit(
        workspace=group.workspace, actor=actor, action=AuditAction.CHANGED, obj=group, changes={"name": (before, name)}
    )


def _refresh_kind(group: PeerGroup) -> None:
    kind = _kind_for(group.memberships.count())
    if group.kind != kind:
        group.kind = kind
        group.save(update_fields=["kind"])


@transaction.atomic
def add_member(*, group: PeerGroup, person: Person, actor: User | None) -> GroupMember:
    """Put a participant of the cohort, not yet in a group there, into the group.

    Side effects: the group's kind follows its size; an audit entry."""
    _check_person(group.cohort, person)
    member = GroupMember.objects.create(
        workspace_id=group.workspace_id, group=group, cohort_id=group.cohort_id, person=person
    )
    _refresh_kind(group)
    record_audit(
        workspace=group.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=group,
        changes={"added": (None, str(person))},
    )
    return member


@transaction.atomic
def remove_member(*, group: PeerGroup, person: Person, actor: User | None) -> None:
    """Side effects: the group's kind follows its size; an audit entry."""
    deleted, _rows = GroupMember.objects.filter(group=group, person=person).delete()
    if not deleted:
        raise ValidationError({"person": _("%(name)s is not in this group.") % {"name": person}})
    _refresh_kind(group)
    record_audit(
        workspace=group.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=group,
        changes={"removed": (str(person), None)},
    )


@transaction.atomic
def move_member(*, person: Person, to_group: PeerGroup, actor: User | None) -> None:
    """Move a participant from their current group in the cohort (if any) to another group there.

    Side effects: both groups' kinds follow their sizes; an audit entry on each."""
    _check_person(to_group.cohort, person, moving=True)
    current = GroupMember.objects.filter(cohort_id=to_group.cohort_id, person=person).select_related("group").first()
    if current is not None:
        if current.group_id == to_group.pk:
            return
        remove_member(group=current.group, person=person, actor=actor)
    add_member(group=to_group, person=person, actor=actor)


@transaction.atomic
def delete_group(*, group: PeerGroup, actor: User | None) -> None:
    """Delete a group with its threads; its members become free to join another.

    Side effects: an audit entry."""
    record_audit(workspace=group.workspace, actor=actor, action=AuditAction.DELETED, obj=group)
    group.delete()


def _check_grouping(size: int, mode: str) -> None:
    if size not in SIZES:
        raise ValidationError({"size": _("Choose a group size from 2 to 6.")})
    if mode not in GroupingMode.values:
        raise ValidationError({"mode": _("Choose how to form the groups.")})


def _chunks(people: list[Person], size: int) -> list[list[Person]]:
    return [people[i : i + size] for i in range(0, len(people), size)]


def _merge_leftovers(groups: list[list[Person]], leftovers: list[Person]) -> list[list[Person]]:
    # Nobody is left alone: each leftover joins the smallest group (the first of equals).
    for person in leftovers:
        smallest = min(range(len(groups)), key=lambda i: (len(groups[i]), i))
        groups[smallest].append(person)
    return groups


def _mixed(people: list[Person], size: int) -> list[list[Person]]:
    # Round-robin over the team-sorted list spreads each team across the groups.
    count = max(1, len(people) // size)
    groups: list[list[Person]] = [[] for _i in range(count)]
    for index, person in enumerate(people):
        groups[index % count].append(person)
    return groups


def _same_team(people: list[Person], size: int) -> list[list[Person]]:
    by_team: dict[int | None, list[Person]] = {}
    for person in people:
        by_team.setdefault(person.team_id, []).append(person)
    groups, leftovers = [], []
    for members in by_team.values():
        chunks = _chunks(members, size)
        if len(chunks[-1]) == 1:
            if len(chunks) > 1:
                # A colleague left over joins the smallest group of their own team.
                _merge_leftovers(chunks[:-1], chunks.pop())
            else:
                leftovers.extend(chunks.pop())
        groups.extend(chunks)
    if not groups:
        # Everyone is alone in their team: group the leftovers as they come.
        groups = _chunks(leftovers, size)
        leftovers = groups.pop() if len(groups) > 1 and len(groups[-1]) == 1 else []
    return _merge_leftovers(groups, leftovers)


def propose_groups(*, cohort: Cohort, size: int, mode: str) -> list[ProposedGroup]:
    """The groups ``form_groups`` would make now, without saving anything. Deterministic: the
    same participants give the same groups."""
    _check_grouping(size, mode)
    people = ungrouped_participants(cohort)
    if len(people) < 2:
        raise ValidationError(_("Fewer than two participants are without a group: there is nothing to form."))
    members = _mixed(people, size) if mode == GroupingMode.MIXED_TEAMS else _same_team(people, size)
    taken = set(PeerGroup.objects.filter(cohort=cohort).values_list("name", flat=True))
    proposed, number = [], 0
    for group in members:
        number += 1
        while (_("Group %(number)s") % {"number": number}) in taken:
            number += 1
        proposed.append(ProposedGroup(name=_("Group %(number)s") % {"number": number}, members=group))
    return proposed


@transaction.atomic
def form_groups(
    *, cohort: Cohort, actor: User | None, size: int = 2, mode: str = GroupingMode.MIXED_TEAMS, preview: bool = False
) -> list[ProposedGroup]:
    """Put every enrolled participant of the cohort not yet in a group into groups of about
    ``size`` (2–6). Mixed teams: round-robin over the team-sorted list; same team: colleagues
    together, a leftover joins the smallest group so nobody is alone. With ``preview`` nothing
    is saved. Trainers of the cohort and admins.

    Side effects (without preview): the groups, an audit entry per group."""
    proposed = propose_groups(cohort=cohort, size=size, mode=mode)
    if not preview:
        for group in proposed:
            create_group(cohort=cohort, actor=actor, name=group.name, members=group.members)
    return proposed
