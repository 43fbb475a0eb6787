"""Patches: a short lesson or a link added to a module for everyone, in answer to a ticket.

A responder who may publish (``tickets.publish_patch``: admins and the ticket cohort's trainers)
adds one to the ticket's module or another module of its programme. The ticket's thread records it
with an EVENT comment; every participant of the programme sees it on their programme page
(``additions_for``) and on its own page. Editing and withdrawing are audited; withdrawing deletes
the addition and says so in the ticket's thread.
"""

import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership, report_ids
from takeroot.core.services import apply_changes, record_audit
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module, Programme

from .enums import CommentKind
from .models import Comment, Patch, Ticket
from .services import EVENTS

PATCH_RELATED = ("module__programme", "ticket", "created_by__user")


def programme_of(ticket: Ticket) -> Programme | None:
    """The programme a ticket is about: its own, else its module's."""
    if ticket.programme_id:
        return ticket.programme
    return ticket.module.programme if ticket.module_id else None


def modules_for_ticket(ticket: Ticket) -> QuerySet[Module]:
    """The modules a patch for this ticket may go to: those of the ticket's programme."""
    programme = programme_of(ticket)
    if programme is None:
        return Module.objects.none()
    return Module.objects.filter(programme=programme).order_by("position", "pk")


# The thread's EVENT comments, shown in the reader's language by ``services.event_text``.
EVENTS.update(
    {
        "patch_published": gettext_noop("Published an addition to the module “%(module)s” for everyone: %(title)s"),
        "patch_withdrawn": gettext_noop("Withdrew the addition to the module “%(module)s”: %(title)s"),
    }
)


def _event(ticket: Ticket, code: str, *, author: Person | None, patch: Patch, now: datetime.datetime) -> None:
    body = json.dumps({"event": code, "module": patch.module.title, "title": patch.title}, ensure_ascii=False)
    Comment.objects.create(
        workspace_id=ticket.workspace_id,
        ticket=ticket,
        author=author,
        kind=CommentKind.EVENT,
        body=body,
        created_at=now,
    )


def _check(*, title: str, body: str, url: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = [_("Give the addition a title.")]
    if not body.strip() and not url.strip():
        errors["body"] = [_("Write a short lesson, give a link, or both.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publish_patch(
    *,
    ticket: Ticket,
    module: Module,
    actor: User | None,
    author: Person | None,
    title: str,
    body: str = "",
    url: str = "",
    now: datetime.datetime | None = None,
) -> Patch:
    """Add a lesson or a link to ``module`` (a module of the ticket's programme) for everyone.

    Side effects: the patch; an EVENT comment on the ticket naming it; an audit entry. Called by
    responders with ``tickets.publish_patch`` on the ticket (pages and API)."""
    now = now or timezone.now()
    if module.workspace_id != ticket.workspace_id or not modules_for_ticket(ticket).filter(pk=module.pk).exists():
        raise ValidationError({"module": [_("Choose a module of the ticket's programme.")]})
    _check(title=title, body=body, url=url)
    patch = Patch(
        workspace_id=ticket.workspace_id,
        module=module,
        ticket=ticket,
        title=title.strip(),
        body=body.strip(),
        url=url.strip(),
        created_by=author,
    )
    patch.full_clean()
    patch.save()
    # ``created_at`` is stamped on saving; a given ``now`` (the demo, tests) is kept instead.
    Patch.objects.filter(pk=patch.pk).update(created_at=now)
    patch.created_at = now
    _event(ticket, "patch_published", author=author, patch=patch, now=now)
    record_audit(workspace=ticket.workspace, actor=actor, action=AuditAction.CREATED, obj=patch)
    return patch


@transaction.atomic
def update_patch(
    *,
    patch: Patch,
    actor: User | None,
    title: str,
    body: str = "",
    url: str = "",
    module: Module | None = None,
) -> dict:
    """Change a patch's text, link or module (of the same programme). Side effects: an audit
    entry of what changed. Called by admins and the programme's trainers."""
    _check(title=title, body=body, url=url)
    fields = {"title": title.strip(), "body": body.strip(), "url": url.strip()}
    if module is not None and module.pk != patch.module_id:
        if module.programme_id != patch.module.programme_id:
            raise ValidationError({"module": [_("Choose a module of the same programme.")]})
        fields["module"] = module
    changes = apply_changes(patch, fields)
    if changes:
        patch.full_clean()
        patch.save()
        record_audit(workspace=patch.workspace, actor=actor, action=AuditAction.CHANGED, obj=patch, changes=changes)
    return changes


@transaction.atomic
def withdraw_patch(
    *, patch: Patch, actor: User | None, author: Person | None, now: datetime.datetime | None = None
) -> None:
    """Take a patch back: it disappears for everyone. Side effects: an EVENT comment on its ticket
    (if any); an audit entry. Called by admins and the programme's trainers."""
    now = now or timezone.now()
    if patch.ticket_id:
        _event(patch.ticket, "patch_withdrawn", author=author, patch=patch, now=now)
    record_audit(workspace=patch.workspace, actor=actor, action=AuditAction.DELETED, obj=patch)
    patch.delete()


@dataclass(frozen=True)
class ModuleAdditions:
    module: Module
    patches: list[Patch]


def additions_for(programme: Programme) -> list[ModuleAdditions]:
    """The programme's modules that have additions, in the programme's order, each with its
    additions newest first."""
    found: dict[int, ModuleAdditions] = {}
    patches = (
        Patch.objects.filter(module__programme=programme)
        .select_related("module")
        .order_by("module__position", "module_id", "-created_at", "-id")
    )
    for patch in patches:
        found.setdefault(patch.module_id, ModuleAdditions(patch.module, [])).patches.append(patch)
    return list(found.values())


def patches_for_user(user: User | None, *, workspace: Workspace) -> QuerySet[Patch]:
    """The patches the viewer may read: admins and trainers (and an API key, None) every one of
    the workspace; others those of programmes they take part in, mentor in or whose participants
    they manage."""
    patches = Patch.objects.filter(workspace=workspace).select_related(*PATCH_RELATED)
    if user is None:
        return patches
    me = membership(user, workspace)
    if me is None:
        return patches.none()
    if me.is_admin or me.is_trainer:
        return patches
    enrolments = Enrolment.objects.filter(workspace=workspace).exclude(status=EnrolmentStatus.WITHDRAWN)
    around = Q(person=me) | Q(mentor=me) | Q(person_id__in=report_ids(me))
    programmes = set(enrolments.filter(around).values_list("cohort__programme_id", flat=True))
    programmes |= set(Programme.objects.filter(workspace=workspace, cohorts__mentors=me).values_list("pk", flat=True))
    return patches.filter(module__programme_id__in=programmes)
