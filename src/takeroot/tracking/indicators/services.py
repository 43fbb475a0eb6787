"""Changing the indicator set: add, change, order, archive, restore and delete indicators.

Admins (``tracking.manage_indicators``) call these from the pages and the API. A default indicator
(seed 001's table) keeps its name, formula, unit and category, so every workspace's figures mean
the same thing; its threshold and cadence are the workspace's to set, and it can be archived but
not deleted. Every change writes an audit entry.
"""

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import apply_changes, record_audit, swapped_with_neighbour
from takeroot.tracking.enums import Cadence, Category
from takeroot.tracking.formula import validate_formula
from takeroot.tracking.models import Indicator

from .catalogue import indicators_for

# The units a value is shown in: "%" shows 0–1 values as percentages.
UNITS = {
    "%": gettext_lazy("Percent (values from 0 to 1 shown as %)"),
    "min": gettext_lazy("Minutes"),
    "": gettext_lazy("A number"),
}
DEFAULT_FIELDS = ("threshold", "cadence")  # what a default indicator lets a workspace change
FIELDS = ("name", "category", "formula", "cadence", "threshold", "higher_is_better", "unit")


def _errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "name" in values and not (values["name"] or "").strip():
        errors["name"] = [_("Give the indicator a name.")]
    if "name" in values and len(values["name"] or "") > 200:
        errors["name"] = [_("A name has at most 200 characters.")]
    if "category" in values and values["category"] not in Category.values:
        errors["category"] = [_("Choose a category: %(choices)s.") % {"choices": ", ".join(Category.values)}]
    if "cadence" in values and values["cadence"] not in Cadence.values:
        errors["cadence"] = [_("Choose a cadence: %(choices)s.") % {"choices": ", ".join(Cadence.values)}]
    if "unit" in values and values["unit"] not in UNITS:
        errors["unit"] = [_("Choose a unit: %, min or none.")]
    if "threshold" in values and (values["threshold"] is None or not math.isfinite(values["threshold"])):
        errors["threshold"] = [_("Give the threshold as a number.")]
    if "formula" in values:
        try:
            validate_formula(values["formula"])
        except ValidationError as error:
            errors["formula"] = error.messages
    return errors


def _free_code(workspace: Workspace, name: str) -> str:
    base = (slugify(name) or "indicator")[:50].replace("-", "_")
    taken = set(Indicator.objects.filter(workspace=workspace, code__startswith=base).values_list("code", flat=True))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}_{number}"
    return code


@transaction.atomic
def create_indicator(
    *,
    workspace: Workspace,
    actor: User | None,
    name: str,
    category: str,
    formula: str,
    threshold: float,
    cadence: str = Cadence.WEEK,
    higher_is_better: bool = True,
    unit: str = "",
) -> Indicator:
    """Add an indicator of the workspace's own at the end of the set. Raises ``ValidationError``
    (per field) for a bad formula, category, cadence, unit or threshold. Side effects: the default
    set exists afterwards too; an audit entry."""
    values = {
        "name": name,
        "category": category,
        "formula": " ".join((formula or "").split()),
        "cadence": cadence,
        "threshold": threshold,
        "higher_is_better": higher_is_better,
        "unit": unit,
    }
    if errors := _errors(values):
        raise ValidationError(errors)
    existing = indicators_for(workspace, include_archived=True)
    values["name"] = values["name"].strip()
    indicator = Indicator.objects.create(
        workspace=workspace,
        code=_free_code(workspace, values["name"]),
        position=max((found.position for found in existing), default=-1) + 1,
        **values,
    )
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=indicator)
    return indicator


@transaction.atomic
def update_indicator(*, indicator: Indicator, actor: User | None, **fields) -> Indicator:
    """Change some of ``FIELDS``; a default indicator only its threshold and cadence. Raises
    ``ValidationError`` naming the field. Side effects: an audit entry of what changed."""
    values = {name: value for name, value in fields.items() if name in FIELDS}
    if "formula" in values:
        values["formula"] = " ".join((values["formula"] or "").split())
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    if indicator.is_default:
        fixed = {
            name for name, value in values.items() if name not in DEFAULT_FIELDS and getattr(indicator, name) != value
        }
        if fixed:
            message = _("A default indicator keeps its %(field)s; change its threshold or cadence, or add your own.")
            raise ValidationError({name: [message % {"field": name.replace("_", " ")}] for name in sorted(fixed)})
    if errors := _errors(values):
        raise ValidationError(errors)
    changes = apply_changes(indicator, values)
    if changes:
        indicator.save()
        record_audit(
            workspace=indicator.workspace, actor=actor, action=AuditAction.CHANGED, obj=indicator, changes=changes
        )
    return indicator


def archive_indicator(*, indicator: Indicator, actor: User | None) -> Indicator:
    """Take the indicator out of dashboards and the at-risk rules; its history stays readable.
    Side effects: an audit entry."""
    return _set_archived(indicator, actor, timezone.now())


def restore_indicator(*, indicator: Indicator, actor: User | None) -> Indicator:
    """Bring an archived indicator back into the set. Side effects: an audit entry."""
    return _set_archived(indicator, actor, None)


@transaction.atomic
def _set_archived(indicator: Indicator, actor: User | None, when) -> Indicator:
    if (indicator.archived_at is None) == (when is None):
        return indicator
    changes = {"archived": (indicator.archived_at is not None, when is not None)}
    indicator.archived_at = when
    indicator.save(update_fields=["archived_at"])
    record_audit(workspace=indicator.workspace, actor=actor, action=AuditAction.CHANGED, obj=indicator, changes=changes)
    return indicator


@transaction.atomic
def delete_indicator(*, indicator: Indicator, actor: User | None) -> None:
    """Delete one of the workspace's own indicators (defaults are archived instead). Raises
    ``ValidationError`` for a default. Side effects: an audit entry."""
    if indicator.is_default:
        raise ValidationError(_("A default indicator cannot be deleted; archive it to take it out of the set."))
    record_audit(workspace=indicator.workspace, actor=actor, action=AuditAction.DELETED, obj=indicator)
    indicator.delete()


@transaction.atomic
def reorder_indicators(*, workspace: Workspace, actor: User | None, order: list[Indicator]) -> None:
    """Put ``order`` first, in that order; the other indicators follow in theirs. Side effects:
    one audit entry on the first moved indicator."""
    ids = [indicator.pk for indicator in order]
    rest = [found for found in indicators_for(workspace, include_archived=True) if found.pk not in ids]
    moved = []
    for position, indicator in enumerate([*order, *rest]):
        if indicator.position != position:
            indicator.position = position
            moved.append(indicator)
    Indicator.objects.bulk_update(moved, ["position"])
    if moved:
        changes = {"indicator order": (None, len(moved))}
        record_audit(workspace=workspace, actor=actor, action=AuditAction.CHANGED, obj=moved[0], changes=changes)


def move_indicator(*, indicator: Indicator, actor: User | None, up: bool) -> None:
    """Swap the indicator with the one before (``up``) or after it in the set."""
    found = indicators_for(indicator.workspace, include_archived=True)
    if order := swapped_with_neighbour(found, indicator, up=up):
        reorder_indicators(workspace=indicator.workspace, actor=actor, order=order)
