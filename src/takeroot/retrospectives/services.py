"""Every write to retrospectives, their raters, ratings and effect indicators.

Retrospectives, raters and indicators record audit entries; ratings do not (they are the raters'
own answers, and the audit log would only repeat them).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.catalogue.models import Initiative
from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.services import apply_changes, record_audit

from .enums import RaterGroup, RetrospectiveState, StuckLevel, WhyTag
from .models import EffectIndicator, Rater, Rating, Retrospective
from .queries import initiatives_in_period

RETROSPECTIVE_FIELDS = ("title", "period_start", "period_end", "introduction")
ANSWER_FIELDS = ("level", "reasons", "other_reason", "repeat", "comment")
OTHER_REASON_MAX = 300
COMMENT_MAX = 2000


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last two years up to today."""
    today = today or timezone.localdate()
    if today.year <= 2:
        return datetime.date.min, today
    # 29 February two years back is the 28th.
    return today.replace(year=today.year - 2, day=min(today.day, 28) if today.month == 2 else today.day), today


def default_title(start: datetime.date, end: datetime.date) -> str:
    years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return _("What stuck and why, %(years)s") % {"years": years}


def answer_key(initiative: Initiative, field: str) -> str:
    """The error key ``save_ratings`` uses for one field of one initiative's answer."""
    return f"{initiative.uuid}:{field}"


def _check_workspace(workspace_id: int, objects: Iterable) -> None:
    for obj in objects:
        if obj.workspace_id != workspace_id:
            raise ValidationError(_("Everything must belong to the same workspace."))


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The period must end on or after the day it starts.")})


def _require_open(retrospective: Retrospective) -> None:
    if not retrospective.is_open:
        raise ValidationError(_("This retrospective is closed; reopen it first."))


# Retrospectives ------------------------------------------------------------------------------


@transaction.atomic
def open_retrospective(
    *,
    workspace: Workspace,
    actor: User | None,
    title: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    introduction: str = "",
    initiatives: Iterable[Initiative] | None = None,
    leadership: Iterable[Person] = (),
    participants: Iterable[Person] = (),
) -> Retrospective:
    """Open a retrospective over a period (default: the last two years up to today) and invite its raters.

    Without ``initiatives`` the catalogue's initiatives dated in the period are under review.
    Side effects: an audit entry for the retrospective and one per rater, an invitation mail per
    rater. Admins (pages, API) and the demo."""
    today = timezone.localdate()
    if period_end is None:
        period_end = today if period_start is None or period_start <= today else period_start
    if period_start is None:
        period_start = default_period(period_end)[0]
    _check_period(period_start, period_end)
    initiatives = (
        initiatives_in_period(workspace, period_start, period_end) if initiatives is None else list(initiatives)
    )
    leadership, participants = list(leadership), list(participants)
    _check_workspace(workspace.pk, [*initiatives, *leadership, *participants])
    retrospective = Retrospective(
        workspace=workspace,
        title=(title or "").strip() or default_title(period_start, period_end),
        period_start=period_start,
        period_end=period_end,
        introduction=introduction or "",
        opened_by=actor,
    )
    retrospective.full_clean(exclude=["workspace", "initiatives"])
    retrospective.save()
    retrospective.initiatives.set(initiatives)
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=retrospective)
    invite_raters(retrospective=retrospective, actor=actor, people=leadership, group=RaterGroup.LEADERSHIP)
    invite_raters(retrospective=retrospective, actor=actor, people=participants, group=RaterGroup.PARTICIPANT)
    return retrospective


@transaction.atomic
def update_retrospective(
    *, retrospective: Retrospective, actor: User | None, initiatives: Iterable[Initiative] | None = None, **fields
) -> dict:
    """Change the title, period, message or initiatives under review. Ratings and indicators of an
    initiative taken off the list are deleted with it. Side effects: an audit entry when anything
    changed. Admins."""
    changed = apply_changes(retrospective, {k: v for k, v in fields.items() if k in RETROSPECTIVE_FIELDS})
    if "title" in changed and not (retrospective.title or "").strip():
        raise ValidationError({"title": _("A retrospective needs a title.")})
    _check_period(retrospective.period_start, retrospective.period_end)
    retrospective.full_clean(exclude=["workspace", "initiatives"])
    retrospective.save()
    if initiatives is not None:
        initiatives = list(initiatives)
        _check_workspace(retrospective.workspace_id, initiatives)
        before = set(retrospective.initiatives.all())
        if before != set(initiatives):
            removed = [i.pk for i in before - set(initiatives)]
            Rating.objects.filter(rater__retrospective=retrospective, initiative_id__in=removed).delete()
            EffectIndicator.objects.filter(retrospective=retrospective, initiative_id__in=removed).delete()
            retrospective.initiatives.set(initiatives)
            changed["initiatives"] = (len(before), len(initiatives))
    if changed:
        record_audit(
            workspace=retrospective.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=retrospective,
            changes=changed,
        )
    return changed


@transaction.atomic
def close_retrospective(*, retrospective: Retrospective, actor: User | None) -> None:
    """Stop taking ratings; the report is final. Side effects: an audit entry. Admins."""
    if not retrospective.is_open:
        raise ValidationError(_("This retrospective is already closed."))
    retrospective.state, retrospective.closed_at = RetrospectiveState.CLOSED, timezone.now()
    retrospective.save(update_fields=["state", "closed_at"])
    record_audit(
        workspace=retrospective.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=retrospective,
        changes={"state": (RetrospectiveState.OPEN, RetrospectiveState.CLOSED)},
    )


@transaction.atomic
def reopen_retrospective(*, retrospective: Retrospective, actor: User | None) -> None:
    """Take ratings again. Side effects: an audit entry. Admins."""
    if retrospective.is_open:
        raise ValidationError(_("This retrospective is already open."))
    retrospective.state, retrospective.closed_at = RetrospectiveState.OPEN, None
    retrospective.save(update_fields=["state", "closed_at"])
    record_audit(
        workspace=retrospective.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=retrospective,
        changes={"state": (RetrospectiveState.CLOSED, RetrospectiveState.OPEN)},
    )


@transaction.atomic
def delete_retrospective(*, retrospective: Retrospective, actor: User | None) -> None:
    """Delete it with its raters, ratings and indicators. Side effects: an audit entry. Admins."""
    record_audit(workspace=retrospective.workspace, actor=actor, action=AuditAction.DELETED, obj=retrospective)
    retrospective.delete()


# Raters --------------------------------------------------------------------------------------


def _mail_context(retrospective: Retrospective, actor: User | None) -> dict:
    return {
        "workspace": retrospective.workspace.name,
        "inviter": str(actor) if actor else "",
        "title": retrospective.title,
        "introduction": retrospective.introduction,
        "path": reverse("retrospectives:rate", args=[retrospective.uuid]),
    }


@transaction.atomic
def invite_raters(
    *, retrospective: Retrospective, actor: User | None, people: Iterable[Person], group: str = RaterGroup.LEADERSHIP
) -> list[Rater]:
    """Invite people to rate, in one group. Who is already a rater stays as they are.

    Side effects: per new rater an audit entry and an invitation mail in their language, linking
    to the rating page. Only while open. Admins."""
    _require_open(retrospective)
    if group not in RaterGroup.values:
        raise ValidationError({"group": _("Choose the leadership group or participants.")})
    people = list(dict.fromkeys(people))
    _check_workspace(retrospective.workspace_id, people)
    already = set(Rater.objects.filter(retrospective=retrospective).values_list("person_id", flat=True))
    now = timezone.now()
    context = _mail_context(retrospective, actor)
    invited = []
    for person in people:
        if person.pk in already:
            continue
        rater = Rater.objects.create(
            workspace_id=retrospective.workspace_id,
            retrospective=retrospective,
            person=person,
            group=group,
            invited_at=now,
        )
        queue_mail(
            recipient=person.user,
            template="retrospective_invitation",
            workspace=retrospective.workspace,
            context=context,
        )
        record_audit(workspace=retrospective.workspace, actor=actor, action=AuditAction.INVITED, obj=rater)
        invited.append(rater)
    return invited


@transaction.atomic
def remind_raters(*, retrospective: Retrospective, actor: User | None) -> int:
    """Remind every rater who has not said they are done. Returns how many.

    Side effects: a reminder mail per such rater, one audit entry on the retrospective. Only while
    open. Admins."""
    _require_open(retrospective)
    raters = list(
        Rater.objects.filter(retrospective=retrospective, submitted_at__isnull=True).select_related("person__user")
    )
    context = _mail_context(retrospective, actor)
    for rater in raters:
        queue_mail(
            recipient=rater.person.user,
            template="retrospective_reminder",
            workspace=retrospective.workspace,
            context=context,
        )
    if raters:
        record_audit(
            workspace=retrospective.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=retrospective,
            changes={"reminded": (None, len(raters))},
        )
    return len(raters)


@transaction.atomic
def remove_rater(*, rater: Rater, actor: User | None) -> None:
    """Take a rater off the retrospective, with their ratings. Side effects: an audit entry. Admins."""
    record_audit(workspace=rater.retrospective.workspace, actor=actor, action=AuditAction.DELETED, obj=rater)
    rater.delete()


# Ratings -------------------------------------------------------------------------------------


def _clean_answer(under_review: set[int], initiative: Initiative, answer: dict):
    """One answer as stored values, and its problems keyed by ``answer_key``."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(answer_key(initiative, field), []).append(message)

    if initiative.pk not in under_review:
        fail("initiative", _("This initiative is not under review in this retrospective."))
    level = answer.get("level")
    if isinstance(level, bool) or level not in StuckLevel.values:
        fail("level", _("Choose how well it stuck."))
    reasons = list(dict.fromkeys(answer.get("reasons") or []))
    unknown = [reason for reason in reasons if reason not in WhyTag.values]
    if unknown:
        fail("reasons", _("Unknown reason: %(reasons)s.") % {"reasons": ", ".join(map(str, unknown))})
    other_reason = str(answer.get("other_reason") or "").strip()
    if other_reason and WhyTag.OTHER not in reasons:
        reasons.append(WhyTag.OTHER)  # typing a reason of one's own is ticking "other"
    if WhyTag.OTHER in reasons and not other_reason:
        fail("other_reason", _("Say what the other reason is."))
    if len(other_reason) > OTHER_REASON_MAX:
        fail("other_reason", _("At most %(count)s characters.") % {"count": OTHER_REASON_MAX})
    comment = str(answer.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        fail("comment", _("At most %(count)s characters.") % {"count": COMMENT_MAX})
    cleaned = {
        "level": level,
        "reasons": [str(reason) for reason in reasons],
        "other_reason": other_reason,
        "repeat": bool(answer.get("repeat")),
        "comment": comment,
    }
    return cleaned, errors


@transaction.atomic
def save_ratings(*, rater: Rater, answers: dict[Initiative, dict | None]) -> dict[str, int]:
    """Save one rater's answers for several initiatives at once, all or nothing.

    ``answers`` maps an initiative to ``{level, reasons, other_reason, repeat, comment}``, or to
    ``None`` for "I don't know it", which deletes an earlier answer. Problems are raised together,
    keyed by ``answer_key(initiative, field)``. Only while the retrospective is open, only for its
    initiatives. No audit entry. The rater themself (pages, API) and the demo."""
    retrospective = rater.retrospective
    _require_open(retrospective)
    under_review = set(retrospective.initiatives.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    cleaned: dict[Initiative, dict | None] = {}
    for initiative, answer in answers.items():
        if answer is None:
            if initiative.pk not in under_review:
                errors[answer_key(initiative, "initiative")] = [
                    _("This initiative is not under review in this retrospective.")
                ]
            cleaned[initiative] = None
            continue
        cleaned[initiative], problems = _clean_answer(under_review, initiative, answer)
        errors.update(problems)
    if errors:
        raise ValidationError(errors)
    existing = {r.initiative_id: r for r in Rating.objects.filter(rater=rater, initiative__in=list(cleaned))}
    counts = {"saved": 0, "deleted": 0}
    for initiative, values in cleaned.items():
        rating = existing.get(initiative.pk)
        if values is None:
            if rating is not None:
                rating.delete()
                counts["deleted"] += 1
            continue
        if rating is None:
            rating = Rating(workspace_id=rater.workspace_id, rater=rater, initiative=initiative)
        for field, value in values.items():
            setattr(rating, field, value)
        rating.save()
        counts["saved"] += 1
    return counts


@transaction.atomic
def submit_ratings(*, rater: Rater) -> None:
    """The rater says they are done. They may still change their answers while it is open.
    No audit entry. The rater themself."""
    _require_open(rater.retrospective)
    if rater.submitted_at is None:
        rater.submitted_at = timezone.now()
        rater.save(update_fields=["submitted_at"])


# Effect indicators ---------------------------------------------------------------------------


@transaction.atomic
def add_indicator(
    *,
    retrospective: Retrospective,
    actor: User | None,
    initiative: Initiative,
    name: str,
    value: Decimal,
    source: str,
    unit: str = "",
) -> EffectIndicator:
    """Attach a number entered by hand, with its source, to one initiative under review.
    Side effects: an audit entry. Admins (pages, API) and the demo."""
    errors = {}
    if not retrospective.initiatives.filter(pk=initiative.pk).exists():
        errors["initiative"] = [_("This initiative is not under review in this retrospective.")]
    if not (name or "").strip():
        errors["name"] = [_("Name the indicator.")]
    if not (source or "").strip():
        errors["source"] = [_("Say where the number comes from.")]
    if value is None:
        errors["value"] = [_("Enter the number.")]
    if errors:
        raise ValidationError(errors)
    indicator = EffectIndicator(
        workspace_id=retrospective.workspace_id,
        retrospective=retrospective,
        initiative=initiative,
        name=name.strip(),
        value=value,
        unit=(unit or "").strip(),
        source=source.strip(),
        entered_by=actor,
    )
    indicator.full_clean(exclude=["workspace", "retrospective", "initiative", "entered_by"])
    indicator.save()
    record_audit(workspace=retrospective.workspace, actor=actor, action=AuditAction.CREATED, obj=indicator)
    return indicator


@transaction.atomic
def remove_indicator(*, indicator: EffectIndicator, actor: User | None) -> None:
    """Side effects: an audit entry. Admins."""
    record_audit(workspace=indicator.workspace, actor=actor, action=AuditAction.DELETED, obj=indicator)
    indicator.delete()
