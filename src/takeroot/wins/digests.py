"""The monthly wins digest: the draft made for the month's shared wins, the admins' edits, and
sending it to everyone exactly once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.scope import across_workspaces, workspace_scope
from takeroot.core.services import record_audit

from .enums import DigestState
from .models import DigestEntry, WinsDigest
from .queries import digest_entries, digest_recipients, shared_wins_of_month, workspace_admins


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@transaction.atomic
def create_digest(*, workspace: Workspace, actor: User | None, month: datetime.date) -> WinsDigest:
    """Make the draft digest of a month from its shared wins (an entry per win, in the order they
    were recorded). One digest per workspace and month; a month without shared wins has none.

    Side effects: the digest, its entries, an audit entry."""
    month = month.replace(day=1)
    if WinsDigest.objects.filter(workspace=workspace, month=month).exists():
        raise ValidationError({"month": _("There is already a digest for this month.")})
    wins = list(shared_wins_of_month(workspace, month))
    if not wins:
        raise ValidationError({"month": _("No win of this month has been shared yet.")})
    digest = WinsDigest.objects.create(workspace=workspace, month=month)
    DigestEntry.objects.bulk_create(
        DigestEntry(workspace=workspace, digest=digest, win=win, position=index, title=win.title, story=win.story)
        for index, win in enumerate(wins, start=1)
    )
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=digest)
    return digest


def create_monthly_digests(*, today: datetime.date | None = None) -> list[WinsDigest]:
    """The periodic job's work: in every workspace, the draft digest of the previous month when it
    has shared wins and no digest yet; the workspace's admins are told by mail that it waits.
    Running it again does nothing.

    Side effects: digests (see ``create_digest``), a mail per admin of each new draft."""
    month = previous_month(today or timezone.localdate())
    made = []
    with across_workspaces():
        workspaces = list(Workspace.objects.order_by("pk"))
    for workspace in workspaces:
        with workspace_scope(workspace):
            if WinsDigest.objects.filter(workspace=workspace, month=month).exists():
                continue
            if not shared_wins_of_month(workspace, month).exists():
                continue
            try:
                with transaction.atomic():
                    digest = create_digest(workspace=workspace, actor=None, month=month)
                    for admin in workspace_admins(workspace):
                        queue_mail(
                            recipient=admin.user,
                            workspace=workspace,
                            template="wins_digest_draft",
                            context={
                                "month": month.isoformat(),
                                "path": f"/wins/digests/{digest.uuid}/edit/",
                                "workspace": workspace.name,
                                "count": digest.entries.count(),
                            },
                        )
            except (IntegrityError, ValidationError):
                continue  # another scheduler made it in the meantime
            made.append(digest)
    return made


@transaction.atomic
def update_digest(*, digest: WinsDigest, actor: User | None, intro: str, entries: dict) -> None:
    """Admins edit a draft: the introduction, and per entry (``entries`` maps the entry's uuid to
    ``{"title", "story", "included", "position"}``) the title, story, inclusion and order. An
    included entry needs a title; at least one entry must stay included.

    Side effects: the digest and entries, an audit entry."""
    if not digest.is_draft:
        raise ValidationError(_("This digest has been sent; it can no longer be changed."))
    rows = {str(entry.uuid): entry for entry in DigestEntry.objects.filter(digest=digest)}
    errors = {}
    for key, values in entries.items():
        entry = rows.get(str(key))
        if entry is None:
            raise ValidationError(_("An entry is not part of this digest."))
        entry.title = (values.get("title", entry.title) or "").strip()
        entry.story = (values.get("story", entry.story) or "").strip()
        entry.included = bool(values.get("included", entry.included))
        entry.position = values.get("position", entry.position)
        if entry.included and not entry.title:
            errors[f"{key}-title"] = _("Give the win a title, or leave it out of the digest.")
    if rows and not any(entry.included for entry in rows.values()):
        errors["__all__"] = _("Include at least one win.")
    if errors:
        raise ValidationError(errors)
    digest.intro = (intro or "").strip()
    digest.save(update_fields=["intro"])
    DigestEntry.objects.bulk_update(rows.values(), ["title", "story", "included", "position"])
    record_audit(workspace=digest.workspace, actor=actor, action=AuditAction.CHANGED, obj=digest)


def digest_mail_context(digest: WinsDigest) -> dict:
    """What each member's mail shows: the edited entries, as JSON for the outbox."""
    return {
        "month": digest.month.isoformat(),
        "intro": digest.intro,
        "workspace": digest.workspace.name,
        "path": f"/wins/digests/{digest.uuid}/newsletter/",
        "entries": [
            {
                "title": entry.title,
                "story": entry.story,
                "person": entry.win.person.user.name,
                "path": f"/wins/{entry.win.uuid}/",
            }
            for entry in digest_entries(digest, published=True)
        ],
    }


@transaction.atomic
def send_digest(*, digest: WinsDigest, actor: User | None, sent_by: Person | None) -> int:
    """Send a draft digest to everyone in the workspace with an active account, each in their
    language. Exactly once: the digest is claimed draft → sent with a conditional update first.
    Returns how many mails were queued.

    Side effects: the digest's state, a mail per member, an audit entry."""
    if not digest_entries(digest, published=True).exists():
        raise ValidationError(_("No included win is shared any more: there is nothing to send."))
    now = timezone.now()
    claimed = WinsDigest.objects.filter(pk=digest.pk, state=DigestState.DRAFT).update(
        state=DigestState.SENT, sent_at=now, sent_by=sent_by
    )
    if claimed != 1:
        raise ValidationError(_("This digest has already been sent."))
    digest.state, digest.sent_at, digest.sent_by = DigestState.SENT, now, sent_by
    context = digest_mail_context(digest)
    count = 0
    for person in digest_recipients(digest.workspace):
        # The wins digest is a newsletter: people who turned optional mail off do not get it.
        if queue_mail(
            recipient=person.user, workspace=digest.workspace, template="wins_digest", context=context, optional=True
        ):
            count += 1
    record_audit(
        workspace=digest.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=digest,
        changes={"state": (DigestState.DRAFT, DigestState.SENT)},
    )
    return count
