"""Designing programmes: the programme, its goals, modules and learning objectives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Team, User, Workspace
from takeroot.core.services import apply_changes, record_audit, swapped_with_neighbour

from ..models import (
    LearningObjective,
    Module,
    Programme,
    ProgrammeGoal,
)
from ..signals import programme_copied
from .common import PROGRAMME_FIELDS, check_same_workspace


@transaction.atomic
def create_programme(*, workspace: Workspace, actor: User, **fields) -> Programme:
    """A new programme. Side effects: an audit entry. Admins and trainers."""
    programme = Programme(workspace=workspace, **{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    programme.full_clean()
    programme.save()
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=programme)
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, actor: User, **fields) -> dict:
    changed = apply_changes(programme, {k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    if changed:
        programme.full_clean()
        programme.save()
        record_audit(
            workspace=programme.workspace, actor=actor, action=AuditAction.CHANGED, obj=programme, changes=changed
        )
    return changed


@transaction.atomic
def delete_programme(*, programme: Programme, actor: User) -> None:
    """Delete a programme that has never run; one with cohorts keeps its history."""
    if programme.cohorts.exists():
        raise ValidationError(_("This programme has cohorts; it stays so their history stays."))
    record_audit(workspace=programme.workspace, actor=actor, action=AuditAction.DELETED, obj=programme)
    programme.delete()


@transaction.atomic
def copy_programme(*, programme: Programme, actor: User, name: str) -> Programme:
    """A new programme with the same design: fields, goals, modules and objectives (no cohorts);
    apps listening to ``programme_copied`` copy their parts (the follow-up design)."""
    fields = {field: getattr(programme, field) for field in PROGRAMME_FIELDS} | {"name": name}
    copy = create_programme(workspace=programme.workspace, actor=actor, **fields)
    ProgrammeGoal.objects.bulk_create(
        ProgrammeGoal(
            workspace=copy.workspace,
            programme=copy,
            position=g.position,
            text=g.text,
            organisation_goal=g.organisation_goal,
            team=g.team,
        )
        for g in programme.goals.all()
    )
    for module in programme.modules.prefetch_related("objectives"):
        new = Module.objects.create(
            workspace=copy.workspace,
            programme=copy,
            position=module.position,
            title=module.title,
            description=module.description,
        )
        LearningObjective.objects.bulk_create(
            LearningObjective(workspace=copy.workspace, module=new, position=o.position, text=o.text)
            for o in module.objectives.all()
        )
    programme_copied.send(sender=Programme, source=programme, copy=copy, actor=actor)
    return copy


@transaction.atomic
def save_module(
    *,
    programme: Programme,
    actor: User,
    module: Module | None = None,
    title: str,
    description: str = "",
    objectives: list[str],
) -> Module:
    """Create or change a module and its learning objectives (kept by position, so what links
    to an objective keeps linking to it when its wording is improved)."""
    if module is None:
        position = (programme.modules.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        module = Module.objects.create(
            workspace=programme.workspace, programme=programme, position=position, title=title, description=description
        )
        action = AuditAction.CREATED
    else:
        apply_changes(module, {"title": title, "description": description})
        module.save()
        action = AuditAction.CHANGED
    existing = list(module.objectives.all())
    texts = [text.strip() for text in objectives if text.strip()]
    for position, text in enumerate(texts):
        if position < len(existing):
            if existing[position].text != text:
                existing[position].text = text
                existing[position].save(update_fields=["text"])
        else:
            LearningObjective.objects.create(workspace=module.workspace, module=module, position=position, text=text)
    LearningObjective.objects.filter(pk__in=[o.pk for o in existing[len(texts) :]]).delete()
    record_audit(
        workspace=programme.workspace,
        actor=actor,
        action=action,
        obj=module,
        changes={"objectives": (None, len(texts))},
    )
    return module


@transaction.atomic
def move_module(*, module: Module, actor: User, up: bool) -> None:
    """Swap a module with its neighbour."""
    if siblings := swapped_with_neighbour(list(module.programme.modules.all()), module, up=up):
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])


@transaction.atomic
def delete_module(*, module: Module, actor: User) -> None:
    record_audit(workspace=module.workspace, actor=actor, action=AuditAction.DELETED, obj=module)
    module.delete()


@transaction.atomic
def save_programme_goal(
    *,
    programme: Programme,
    actor: User,
    goal: ProgrammeGoal | None = None,
    text: str,
    organisation_goal: str = "",
    team: Team | None = None,
) -> ProgrammeGoal:
    check_same_workspace(programme.workspace, team)
    if goal is None:
        goal = ProgrammeGoal(
            workspace=programme.workspace,
            programme=programme,
            position=(programme.goals.aggregate(top=Max("position"))["top"] or 0) + 1,
        )
    goal.text, goal.organisation_goal, goal.team = text, organisation_goal, team
    goal.save()
    record_audit(
        workspace=programme.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=programme,
        changes={"goal": (None, text)},
    )
    return goal


@transaction.atomic
def delete_programme_goal(*, goal: ProgrammeGoal, actor: User) -> None:
    record_audit(
        workspace=goal.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=goal.programme,
        changes={"goal": (goal.text, None)},
    )
    goal.delete()
