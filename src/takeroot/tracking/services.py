"""Every change to at-risk flags, interventions, findings, design changes and the tracking
settings. One function per state change: each validates, saves, writes the audit entry and queues
the mail (through the outbox, sent after the commit).

Flags are opened, updated and resolved by themselves only through ``risk.evaluate_*``; people
log interventions and resolve flags through ``log_intervention`` and ``resolve_flag``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.services import record_audit
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

from .enums import FindingState, FlagState, InterventionKind
from .models import AtRiskFlag, DesignChange, Finding, Intervention, TrackingSettings
from .queries import tracking_settings

MAX_NOTE = 5000
SETTINGS_FIELDS = ("notify_managers", "engagement_drop_percent", "missed_check_ins", "score_drop_points")


def _user(person: Person | None) -> User | None:
    return person.user if person is not None else None


# Flags: what the rules do ----------------------------------------------------------------------


def raise_flag(
    *, workspace: Workspace, enrolment_id: int, reasons: list[dict], now: datetime.datetime
) -> AtRiskFlag | None:
    """Open a flag for the enrolment with ``reasons``; None when another evaluation opened one
    first (one open flag per enrolment, kept by the database).

    Side effects: the flag, an audit entry, a notice to the people who look after the participant."""
    try:
        with transaction.atomic():
            flag = AtRiskFlag.objects.create(
                workspace=workspace, enrolment_id=enrolment_id, reasons=reasons, raised_at=now, updated_at=now
            )
    except IntegrityError:
        return None
    record_audit(workspace=workspace, actor=None, action=AuditAction.CREATED, obj=flag)
    notify_flag(flag=flag, reasons=reasons)
    return flag


def update_flag_reasons(*, flag: AtRiskFlag, reasons: list[dict], now: datetime.datetime) -> AtRiskFlag:
    """Replace an open flag's reasons (figures change with every evaluation).

    Side effects: a notice about the reasons the flag did not have before, never again for the
    same ones; an audit entry when the set of reasons changed."""
    from .risk import reason_codes

    before, after = reason_codes(flag.reasons), reason_codes(reasons)
    new = after - before
    flag.reasons, flag.updated_at = reasons, now
    flag.save(update_fields=["reasons", "updated_at"])
    if before != after:
        changes = {"reasons": (sorted(before), sorted(after))}
        record_audit(workspace=flag.workspace, actor=None, action=AuditAction.CHANGED, obj=flag, changes=changes)
    if new:
        notify_flag(flag=flag, reasons=[reason for reason in reasons if reason.get("reason") in new])
    return flag


def resolve_flag_by_itself(*, flag: AtRiskFlag, now: datetime.datetime) -> AtRiskFlag:
    """No reason remains: the flag resolves by itself (``resolved_by`` stays empty), keeping the
    reasons it had, so its page still says why it was raised. Side effect: an audit entry."""
    return _resolve(flag, None, now)


def _resolve(flag: AtRiskFlag, person: Person | None, now: datetime.datetime) -> AtRiskFlag:
    updated = AtRiskFlag.objects.filter(pk=flag.pk, state=FlagState.OPEN).update(
        state=FlagState.RESOLVED, resolved_at=now, resolved_by=person, updated_at=now
    )
    if not updated:
        raise ValidationError(_("This flag is already resolved."))
    flag.state, flag.resolved_at, flag.resolved_by, flag.updated_at = FlagState.RESOLVED, now, person, now
    record_audit(
        workspace=flag.workspace,
        actor=_user(person),
        action=AuditAction.CHANGED,
        obj=flag,
        changes={"state": (FlagState.OPEN, FlagState.RESOLVED)},
    )
    return flag


def flag_path(flag: AtRiskFlag) -> str:
    return reverse("tracking:flag", args=[flag.uuid])


def flag_recipients(flag: AtRiskFlag) -> list[User]:
    """Who hears about a flag: the cohort's trainers, the participant's mentor and, when the
    workspace allows, the line manager (the person's manager now, else the one named at
    enrolment). Only active accounts that may open the flag, never the participant themself."""
    enrolment = (
        Enrolment.objects.select_related("person__manager__user", "manager__user", "mentor__user", "cohort")
        .prefetch_related("cohort__trainers__user")
        .get(pk=flag.enrolment_id)
    )
    people = [*enrolment.cohort.trainers.all(), enrolment.mentor]
    if tracking_settings(flag.workspace_id).notify_managers:
        people.append(enrolment.person.manager or enrolment.manager)
    users, seen = [], {enrolment.person.user_id}
    flag.enrolment = enrolment
    for person in people:
        if person is None or person.user_id in seen or not person.user.is_active:
            continue
        seen.add(person.user_id)
        if person.user.has_perm("tracking.view_flag", flag):
            users.append(person.user)
    return users


def notify_flag(*, flag: AtRiskFlag, reasons: list[dict]) -> int:
    """Mail ``risk_flagged`` about ``reasons`` to the flag's recipients, each in their language
    (the reasons are put in words for each). Returns how many were queued."""
    from .risk import describe

    enrolment = Enrolment.objects.select_related("person__user", "cohort__programme").get(pk=flag.enrolment_id)
    recipients = flag_recipients(flag)
    for user in recipients:
        with translation.override(user.language):
            lines = [describe(reason) for reason in reasons]
        context = {
            "participant": enrolment.person.user.name or enrolment.person.user.email,
            "programme": enrolment.cohort.programme.name,
            "cohort": enrolment.cohort.name,
            "reasons": lines,
            "path": flag_path(flag),
            "workspace": flag.workspace.name,
        }
        queue_mail(recipient=user, template="tracking/risk_flagged", context=context, workspace=flag.workspace)
    return len(recipients)


# Flags: what people do ---------------------------------------------------------------------------


def log_intervention(
    *,
    flag: AtRiskFlag,
    person: Person | None,
    kind: str,
    note: str = "",
    new_deadline: datetime.date | None = None,
    resolve: bool = False,
    now: datetime.datetime | None = None,
) -> Intervention:
    """Log what someone did for a flagged participant; with ``resolve`` the flag is resolved too
    (only a person resolves: an API key logs but cannot resolve). Raises ``ValidationError``
    (nothing saved) for a resolved flag, an unknown kind, a missing or past new deadline.

    Side effects: the intervention, audit entries, the flag resolved."""
    now = now or timezone.now()
    note = (note or "").strip()
    errors = {}
    if flag.state != FlagState.OPEN:
        raise ValidationError(_("This flag is resolved: interventions are logged on open flags."))
    if kind not in InterventionKind.values:
        errors["kind"] = _("Choose what was done.")
    if kind == InterventionKind.EXTENDED_DEADLINE and new_deadline is None:
        errors["new_deadline"] = _("Give the new deadline.")
    elif new_deadline is not None and new_deadline < timezone.localdate(now):
        errors["new_deadline"] = _("The new deadline is in the past: choose today or a later day.")
    if kind == InterventionKind.OTHER and not note:
        errors["note"] = _("Say what was done.")
    if len(note) > MAX_NOTE:
        errors["note"] = _("Keep the note under %(limit)d characters.") % {"limit": MAX_NOTE}
    if resolve and person is None:
        errors["resolve"] = _("Only a person can resolve a flag; an API key can log interventions.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        intervention = Intervention.objects.create(
            workspace_id=flag.workspace_id,
            flag=flag,
            kind=kind,
            note=note,
            new_deadline=new_deadline if kind == InterventionKind.EXTENDED_DEADLINE else None,
            by=person,
        )
        record_audit(workspace=flag.workspace, actor=_user(person), action=AuditAction.CREATED, obj=intervention)
        if resolve:
            _resolve(flag, person, now)
    return intervention


def resolve_flag(*, flag: AtRiskFlag, person: Person | None, now: datetime.datetime | None = None) -> AtRiskFlag:
    """A person closes the loop. Raises ``ValidationError`` when the flag is already resolved or
    no person acts (an API key). Side effects: the flag resolved, an audit entry."""
    if person is None:
        raise ValidationError(_("Only a person can resolve a flag; an API key can log interventions."))
    if flag.state != FlagState.OPEN:
        raise ValidationError(_("This flag is already resolved."))
    return _resolve(flag, person, now or timezone.now())


# Findings and design changes --------------------------------------------------------------------


def dismiss_finding(*, finding: Finding, person: Person | None, reason: str) -> Finding:
    """Dismiss a finding with the reason (shown beside the finding).
    Raises ``ValidationError`` without a reason or when the finding is not open."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the finding is dismissed.")})
    if len(reason) > MAX_NOTE:
        raise ValidationError({"reason": _("Keep the reason under %(limit)d characters.") % {"limit": MAX_NOTE}})
    if finding.state != FindingState.OPEN:
        raise ValidationError(_("Only open findings can be dismissed."))
    finding.state, finding.dismissed_reason, finding.updated_at = FindingState.DISMISSED, reason, timezone.now()
    finding.save(update_fields=["state", "dismissed_reason", "updated_at"])
    record_audit(
        workspace=finding.workspace,
        actor=_user(person),
        action=AuditAction.CHANGED,
        obj=finding,
        changes={"state": (FindingState.OPEN, FindingState.DISMISSED), "reason": ("", reason)},
    )
    return finding


def record_design_change(
    *,
    programme: Programme,
    person: Person | None,
    description: str,
    module: Module | None = None,
    finding: Finding | None = None,
    before_cohort: Cohort | None = None,
    after_cohort: Cohort | None = None,
) -> DesignChange:
    """Record a change made to the programme for the next cohort, often in answer to a finding
    (which then becomes "changed"). Module, finding and cohorts must be the programme's; the first
    cohort with the change must differ from the one before and not start earlier. Raises
    ``ValidationError`` (nothing saved). Side effects: the change, the finding's state, an audit entry."""
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = _("Say what changed.")
    elif len(description) > MAX_NOTE:
        errors["description"] = _("Keep it under %(limit)d characters.") % {"limit": MAX_NOTE}
    if module is not None and module.programme_id != programme.pk:
        errors["module"] = _("Choose a module of this programme.")
    if finding is not None and finding.programme_id != programme.pk:
        errors["finding"] = _("Choose a finding of this programme.")
    for name, cohort in (("before_cohort", before_cohort), ("after_cohort", after_cohort)):
        if cohort is not None and cohort.programme_id != programme.pk:
            errors[name] = _("Choose a cohort of this programme.")
    if before_cohort and after_cohort and "after_cohort" not in errors and "before_cohort" not in errors:
        if before_cohort.pk == after_cohort.pk:
            errors["after_cohort"] = _("The first cohort with the change must be another cohort.")
        elif after_cohort.starts_on < before_cohort.starts_on:
            errors["after_cohort"] = _("The first cohort with the change starts before the cohort before it.")
    if errors:
        raise ValidationError(errors)
    if finding is not None:
        module = module or finding.module
        before_cohort = before_cohort or finding.cohort
    with transaction.atomic():
        change = DesignChange.objects.create(
            workspace_id=programme.workspace_id,
            programme=programme,
            module=module,
            finding=finding,
            description=description,
            before_cohort=before_cohort,
            after_cohort=after_cohort,
            recorded_by=person,
        )
        if finding is not None and finding.state != FindingState.CHANGED:
            before = finding.state
            finding.state, finding.updated_at = FindingState.CHANGED, timezone.now()
            finding.save(update_fields=["state", "updated_at"])
            record_audit(
                workspace=programme.workspace,
                actor=_user(person),
                action=AuditAction.CHANGED,
                obj=finding,
                changes={"state": (before, FindingState.CHANGED)},
            )
        record_audit(workspace=programme.workspace, actor=_user(person), action=AuditAction.CREATED, obj=change)
    return change


# Settings -----------------------------------------------------------------------------------------


def save_tracking_settings(*, workspace: Workspace, actor: User | None, values: dict) -> TrackingSettings:
    """Save the workspace's at-risk settings (``values`` by field name; fields left out keep their
    value). Raises ``ValidationError`` by field for values out of range. Side effect: an audit entry."""
    settings = tracking_settings(workspace)
    before = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(settings, name, values[name])
    settings.full_clean(exclude=["workspace", "uuid"])
    settings.save()
    changes = {
        name: (before[name], getattr(settings, name))
        for name in SETTINGS_FIELDS
        if before[name] != getattr(settings, name)
    }
    if changes:
        record_audit(workspace=workspace, actor=actor, action=AuditAction.CHANGED, obj=settings, changes=changes)
    return settings
