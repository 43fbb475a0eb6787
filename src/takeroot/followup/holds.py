"""Holds: a person pauses their follow-up for a while (vacation, leave).

While a hold stands, the scheduler moves every touchpoint addressed to the person that is due on
or after the hold's start by the hold's length, so the spacing between them stays (see
``schedule``). Placing or cancelling a hold re-plans at once: the touchpoints not yet sent move,
those already sent stay. Callers check ``followup.hold`` on the person (or the hold) first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person
from takeroot.core.services import record_audit
from takeroot.programmes.models import Enrolment

from .enums import TouchpointState
from .materialise import MaterialiseResult, materialise
from .models import Hold, Touchpoint
from .schedule import zone_of
from .signals import hold_cancelled, hold_placed, notify_hold

MAX_HOLD_DAYS = 366


def _today_for(person: Person) -> datetime.date:
    return timezone.now().astimezone(zone_of(person)).date()


def _replan(person: Person) -> MaterialiseResult:
    """Re-plan every enrolment the person gets touchpoints from: their own, and those they follow
    as manager, mentor, trainer or buddy (found through the touchpoints waiting for them)."""
    ids = set(Enrolment.objects.filter(person=person).values_list("pk", flat=True))
    waiting = Touchpoint.objects.filter(recipient=person, state=TouchpointState.SCHEDULED)
    ids |= set(waiting.values_list("enrolment_id", flat=True))
    return materialise(sorted(ids))


@transaction.atomic
def place_hold(
    *,
    person: Person,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
    actor: Person | None,
) -> Hold:
    """Pause ``person``'s follow-up from ``starts_on`` to ``ends_on`` (both days included).

    Refuses a hold that ends before it starts, starts before today (in the person's time zone),
    lasts more than a year, or overlaps another hold of the person. Side effects: the hold, an
    audit entry, and the person's pending touchpoints moved by the hold's length."""
    errors = {}
    if starts_on is None:
        errors["starts_on"] = _("Choose the first day of the pause.")
    if ends_on is None:
        errors["ends_on"] = _("Choose the last day of the pause.")
    if errors:
        raise ValidationError(errors)
    if ends_on < starts_on:
        errors["ends_on"] = _("The pause must end on or after its first day.")
    elif (ends_on - starts_on).days + 1 > MAX_HOLD_DAYS:
        errors["ends_on"] = _("A pause can last at most a year.")
    if starts_on < _today_for(person):
        errors["starts_on"] = _("A pause cannot start in the past: choose today or a later day.")
    if errors:
        raise ValidationError(errors)
    # Serialise holds of one person, so two requests cannot both pass the overlap check.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    overlapping = (
        Hold.objects.filter(person=person, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("This pause overlaps another one (%(start)s – %(end)s). Change or cancel that one first.")
            % {"start": overlapping.starts_on.isoformat(), "end": overlapping.ends_on.isoformat()}
        )
    hold = Hold.objects.create(
        workspace_id=person.workspace_id,
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip()[:200],
        created_by=actor,
    )
    record_audit(
        workspace=person.workspace,
        actor=actor.user if actor else None,
        action=AuditAction.CREATED,
        obj=hold,
        changes={"starts_on": (None, starts_on), "ends_on": (None, ends_on)},
    )
    _replan(person)
    notify_hold(hold_placed, hold)
    return hold


@transaction.atomic
def cancel_hold(*, hold: Hold, actor: Person | None) -> None:
    """End a pause early or call it off: the touchpoints it moved and not yet sent move back.

    Side effects: ``cancelled_at``, an audit entry, the person's pending touchpoints re-planned."""
    if hold.cancelled_at is not None:
        raise ValidationError(_("This pause has already been cancelled."))
    hold.cancelled_at = timezone.now()
    hold.save(update_fields=["cancelled_at"])
    record_audit(
        workspace=hold.workspace,
        actor=actor.user if actor else None,
        action=AuditAction.CHANGED,
        obj=hold,
        changes={"cancelled_at": (None, hold.cancelled_at)},
    )
    _replan(hold.person)
    notify_hold(hold_cancelled, hold)
