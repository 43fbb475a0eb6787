"""Saving a workspace's delivery settings (working days, holidays, quiet hours, link expiry and the
webhook), and renewing the webhook's signing secret."""

import datetime

from django.db import transaction

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import record_audit

from .models import DeliverySettings, new_secret

FIELDS = ("working_days", "holidays", "quiet_start", "quiet_end", "link_days", "webhook_url", "webhook_format")


def _settings_for_update(workspace: Workspace) -> DeliverySettings:
    found = DeliverySettings.objects.select_for_update().filter(workspace=workspace).first()
    return found if found is not None else DeliverySettings(workspace=workspace)


@transaction.atomic
def update_delivery_settings(
    *,
    workspace: Workspace,
    actor: User | None,
    working_days: list[int],
    holidays: list[datetime.date],
    quiet_start: datetime.time,
    quiet_end: datetime.time,
    link_days: int,
    webhook_url: str,
    webhook_format: str,
) -> DeliverySettings:
    """Save the workspace's delivery settings. Side effects: an audit entry of what changed; after
    commit, every cohort with a design is planned again by the worker (pending touchpoints move).
    Called by admins (the page and the API)."""
    settings = _settings_for_update(workspace)
    values = {
        "working_days": sorted(set(working_days)),
        "holidays": sorted({day.isoformat() for day in holidays}),
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "link_days": link_days,
        "webhook_url": webhook_url,
        "webhook_format": webhook_format,
    }
    changes = {}
    for name, value in values.items():
        before = getattr(settings, name)
        if before != value:
            changes[name] = (before, value)
        setattr(settings, name, value)
    created = settings.pk is None
    settings.full_clean()
    settings.save()
    if changes or created:
        record_audit(
            workspace=workspace,
            actor=actor,
            action=AuditAction.CREATED if created else AuditAction.CHANGED,
            obj=settings,
            changes=changes,
        )
        from .receivers import replan_later

        replan_later(workspace_id=workspace.pk)  # every cohort with a design, by the worker
    return settings


@transaction.atomic
def renew_webhook_secret(*, workspace: Workspace, actor: User | None) -> DeliverySettings:
    """Give the workspace's webhook a new signing secret; the old one stops working at once.
    Side effects: an audit entry (without the secret). Called by admins."""
    settings = _settings_for_update(workspace)
    settings.webhook_secret = new_secret()
    settings.save()
    record_audit(
        workspace=workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=settings,
        changes={"webhook_secret": ("…", "…")},
    )
    return settings
