"""Every write to the initiative catalogue. Each records its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import apply_changes, record_audit

from .models import Initiative

INITIATIVE_FIELDS = (
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "provider",
    "goals",
    "head_count",
    "cost",
    "currency",
    "programme",
)


def _check(workspace: Workspace, initiative: Initiative, teams, people) -> None:
    for obj in [initiative.programme, *teams, *people]:
        if obj is not None and obj.workspace_id != workspace.pk:
            raise ValidationError(_("Everything must belong to the same workspace."))
    # Before full_clean, whose constraint check would say the same thing in database words.
    if initiative.starts_on and initiative.ends_on and initiative.ends_on < initiative.starts_on:
        raise ValidationError({"ends_on": _("An initiative must end on or after the day it starts.")})
    initiative.full_clean(exclude=["workspace"])


@transaction.atomic
def create_initiative(*, workspace: Workspace, actor: User | None, teams=(), people=(), **fields) -> Initiative:
    """Add an initiative to the catalogue. Side effects: an audit entry. Admins."""
    initiative = Initiative(workspace=workspace, **{k: v for k, v in fields.items() if k in INITIATIVE_FIELDS})
    _check(workspace, initiative, teams, people)
    initiative.save()
    initiative.teams.set(teams)
    initiative.people.set(people)
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=initiative)
    return initiative


@transaction.atomic
def update_initiative(*, initiative: Initiative, actor: User | None, teams=None, people=None, **fields) -> dict:
    changed = apply_changes(initiative, {k: v for k, v in fields.items() if k in INITIATIVE_FIELDS})
    _check(initiative.workspace, initiative, teams or [], people or [])
    initiative.save()
    for name, objects in (("teams", teams), ("people", people)):
        if objects is not None and set(getattr(initiative, name).all()) != set(objects):
            getattr(initiative, name).set(objects)
            changed[name] = (None, ", ".join(sorted(map(str, objects))))
    if changed:
        record_audit(
            workspace=initiative.workspace, actor=actor, action=AuditAction.CHANGED, obj=initiative, changes=changed
        )
    return changed


@transaction.atomic
def delete_initiative(*, initiative: Initiative, actor: User | None) -> None:
    record_audit(workspace=initiative.workspace, actor=actor, action=AuditAction.DELETED, obj=initiative)
    initiative.delete()
