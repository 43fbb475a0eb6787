"""Team training ambassadors: at most one per team, a member of that team."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, Team, User
from takeroot.core.services import record_audit

from ..models import Ambassador


@transaction.atomic
def name_ambassador(*, team: Team, person: Person, actor: User | None, named_by: Person | None) -> Ambassador:
    """Name a member of the team its training ambassador, in place of the one before (if any).
    Admins and the team's managers.

    Side effects: an audit entry."""
    if person.workspace_id != team.workspace_id or person.team_id != team.pk:
        raise ValidationError({"person": _("The ambassador must be a member of the team.")})
    found = Ambassador.objects.filter(team=team).select_related("person").first()
    before = str(found.person) if found else None
    if found is None:
        found = Ambassador(workspace_id=team.workspace_id, team=team)
    elif found.person_id == person.pk:
        return found
    found.person, found.named_by = person, named_by
    found.save()
    record_audit(
        workspace=team.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=found,
        changes={"ambassador": (before, str(person))},
    )
    return found


@transaction.atomic
def remove_ambassador(*, team: Team, actor: User | None) -> None:
    """The team has no ambassador any more; their insights stay. Side effects: an audit entry."""
    found = Ambassador.objects.filter(team=team).first()
    if found is not None:
        record_audit(workspace=team.workspace, actor=actor, action=AuditAction.DELETED, obj=found)
        found.delete()
