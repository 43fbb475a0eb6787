"""Every write to workspaces, people, teams and keys. Each one records its audit entry."""

import datetime
import hashlib
import hmac
import secrets
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .enums import AuditAction
from .mail import queue_mail
from .models import ROLE_FIELDS, ApiKey, AuditEntry, Person, Team, User, Workspace

PERSON_FIELDS = ("team", "manager", "job_title", *ROLE_FIELDS.values())
USER_FIELDS = (
    "name",
    "language",
    "timezone",
    "needs_screen_reader",
    "needs_captions",
    "needs_sign_language",
    "needs_extra_time",
    "accessibility_notes",
    "digest_frequency",
)
INVITATION_MAX_AGE = 14 * 24 * 3600


def _plain(value: Any) -> Any:
    """A value as the audit log stores it (JSON): records by name, dates as ISO text."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def audit_entry(
    *, workspace: Workspace, actor: User | None, action: str, obj, changes: dict | None = None
) -> AuditEntry:
    """An unsaved audit entry, for writers that create many at once. ``changes`` maps a field to
    ``(before, after)``; people, teams and workspaces are shown by name."""
    return AuditEntry(
        workspace=workspace,
        actor=actor,
        actor_label=str(actor) if actor else "",
        action=action,
        object_type=obj._meta.model_name,
        object_uuid=getattr(obj, "uuid", None),
        object_label=str(obj)[:300],
        changes={field: [_plain(before), _plain(after)] for field, (before, after) in (changes or {}).items()},
    )


def record_audit(*, workspace: Workspace, actor: User | None, action: str, obj, changes: dict | None = None) -> None:
    """Write one audit entry. ``changes`` maps a field to ``(before, after)``."""
    audit_entry(workspace=workspace, actor=actor, action=action, obj=obj, changes=changes).save()


def apply_changes(obj, fields: dict) -> dict:
    """Set fields on a model instance and return what changed as ``{field: (before, after)}``."""
    changed = {}
    for field, value in fields.items():
        before = getattr(obj, field)
        if before != value:
            changed[field] = (before, value)
            setattr(obj, field, value)
    return changed


def swapped_with_neighbour[M: Model](items: list[M], item: M, *, up: bool) -> list[M] | None:
    """``items`` in a new order, ``item`` swapped with the one before it (``up``) or after it;
    None when it is already first or last."""
    index = next(i for i, found in enumerate(items) if found.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return None
    order = list(items)
    order[index], order[other] = order[other], order[index]
    return order


def check_manager(workspace: Workspace, person: Person | None, manager: Person | None) -> None:
    """Refuse a line manager from another workspace or one that would close a loop."""
    if manager is None:
        return
    if manager.workspace_id != workspace.pk:
        raise ValidationError({"manager": _("The line manager must belong to the same workspace.")})
    seen = set()
    current = manager
    while current is not None:
        if person is not None and current.pk == person.pk:
            raise ValidationError({"manager": _("This line manager would create a loop in the reporting line.")})
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.manager


def check_team(workspace: Workspace, team: Team | None) -> None:
    if team is not None and team.workspace_id != workspace.pk:
        raise ValidationError({"team": _("The team must belong to the same workspace.")})


@transaction.atomic
def create_person(*, workspace: Workspace, actor: User | None, email: str, name: str, **fields) -> Person:
    """Add someone to a workspace, creating their account if the email is new.

    Side effects: an audit entry. Called by admins (pages, API, import) and the demo."""
    email = User.objects.normalize_email(email).lower()
    user_fields = {k: v for k, v in fields.items() if k in USER_FIELDS}
    person_fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, **user_fields)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    if Person.objects.filter(workspace=workspace, user=user).exists():
        raise ValidationError({"email": _("%(email)s is already in this workspace.") % {"email": email}})
    check_manager(workspace, None, person_fields.get("manager"))
    check_team(workspace, person_fields.get("team"))
    person = Person.objects.create(workspace=workspace, user=user, **person_fields)
    record_audit(
        workspace=workspace,
        actor=actor,
        action=AuditAction.CREATED,
        obj=person,
        changes={"email": (None, email), "roles": (None, ", ".join(person.roles))},
    )
    return person


def account_is_shared(person: Person) -> bool:
    """Whether the person's account is a member of another workspace as well."""
    from .scope import across_workspaces

    with across_workspaces():
        return Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).exists()


@transaction.atomic
def update_person(*, person: Person, actor: User | None, **fields) -> dict:
    """Change a person's membership (team, manager, roles) and, for admins, their account details.

    Account details (name, language, time zone, needs) follow the person into every workspace,
    so they are refused here when the account belongs to another organisation too: the person
    changes them in their own profile. Side effects: an audit entry listing what changed."""
    requested = {k: v for k, v in fields.items() if k in USER_FIELDS and getattr(person.user, k) != v}
    if requested and account_is_shared(person):
        raise ValidationError(
            _(
                "%(name)s also belongs to another organisation; they change their name, language and time zone "
                "in their own profile."
            )
            % {"name": person.user.name}
        )
    if "manager" in fields:
        check_manager(person.workspace, person, fields["manager"])
    if "team" in fields:
        check_team(person.workspace, fields["team"])
    changed = apply_changes(person, {k: v for k, v in fields.items() if k in PERSON_FIELDS})
    user_changes = apply_changes(person.user, {k: v for k, v in fields.items() if k in USER_FIELDS})
    person.user.full_clean(exclude=["password"])
    if user_changes:
        person.user.save()
    if changed:
        person.save()
    changed |= user_changes
    if changed:
        record_audit(workspace=person.workspace, actor=actor, action=AuditAction.CHANGED, obj=person, changes=changed)
    return changed


@transaction.atomic
def remove_person(*, person: Person, actor: User | None) -> None:
    """Remove someone from a workspace. Their account stays for their other workspaces."""
    record_audit(workspace=person.workspace, actor=actor, action=AuditAction.DELETED, obj=person)
    person.delete()


def update_profile(*, user: User, **fields) -> dict:
    """A person changes their own language, time zone, name, accessibility needs or digest frequency.

    Side effects: an audit entry in each of their workspaces, since trainers rely on the needs."""
    from .scope import across_workspaces, workspace_scope

    with transaction.atomic():
        changed = apply_changes(user, {k: v for k, v in fields.items() if k in USER_FIELDS})
        if not changed:
            return {}
        user.full_clean(exclude=["password"])
        user.save()
        with across_workspaces():
            memberships = list(Person.objects.filter(user=user).select_related("workspace", "user"))
        for person in memberships:
            with workspace_scope(person.workspace):
                record_audit(
                    workspace=person.workspace, actor=user, action=AuditAction.CHANGED, obj=person, changes=changed
                )
    return changed


# Invitations ---------------------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    # Changes once the invitation is used (a password is set), so the link works only once.
    return salted_hmac("takeroot.invitation", f"{user.password}{user.last_login}", algorithm="sha256").hexdigest()[:16]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": str(user.uuid), "f": _password_fingerprint(user)}, salt="takeroot.invitation")


def user_for_invitation(token: str) -> User | None:
    """The account an invitation link is for, or None if it is unknown, used or expired."""
    try:
        data = signing.loads(token, salt="takeroot.invitation", max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(uuid=data.get("u")).first()
    if user is None or not hmac.compare_digest(data.get("f", ""), _password_fingerprint(user)):
        return None
    return user


@transaction.atomic
def invite_person(*, person: Person, actor: User | None) -> None:
    """Mail an invitation link that lets the person set up their account in their language.

    Side effects: marks the account invited, queues the mail, writes an audit entry."""
    user = person.user
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    queue_mail(
        recipient=user,
        template="invitation",
        workspace=person.workspace,
        context={
            "workspace": person.workspace.name,
            "inviter": str(actor) if actor else "",
            "path": f"/invitation/{invitation_token(user)}/",
        },
    )
    record_audit(workspace=person.workspace, actor=actor, action=AuditAction.INVITED, obj=person)


@transaction.atomic
def accept_invitation(*, user: User, password: str, **fields) -> None:
    """The invited person sets their password and preferences; the link stops working."""
    apply_changes(user, {k: v for k, v in fields.items() if k in USER_FIELDS})
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()


# Teams ---------------------------------------------------------------------------------------


def _check_team_parent(team: Team, parent: Team | None) -> None:
    if parent is not None and parent.workspace_id != team.workspace_id:
        raise ValidationError({"parent": _("The team must belong to the same workspace.")})
    current = parent
    while current is not None:
        if team is not None and current.pk == team.pk:
            raise ValidationError({"parent": _("A team cannot be part of itself or of one of its own teams.")})
        current = current.parent


@transaction.atomic
def create_team(*, workspace: Workspace, actor: User | None, name: str, parent: Team | None = None) -> Team:
    if parent is not None and parent.workspace_id != workspace.pk:
        raise ValidationError({"parent": _("The team must belong to the same workspace.")})
    if Team.objects.filter(workspace=workspace, parent=parent, name=name).exists():
        raise ValidationError({"name": _("There is already a team with this name here.")})
    team = Team.objects.create(workspace=workspace, name=name, parent=parent)
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=team)
    return team


@transaction.atomic
def update_team(*, team: Team, actor: User | None, **fields) -> dict:
    if "parent" in fields:
        _check_team_parent(team, fields["parent"])
    name, parent = fields.get("name", team.name), fields.get("parent", team.parent)
    if Team.objects.filter(workspace=team.workspace, parent=parent, name=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("There is already a team with this name here.")})
    changed = apply_changes(team, fields)
    if changed:
        team.save()
        record_audit(workspace=team.workspace, actor=actor, action=AuditAction.CHANGED, obj=team, changes=changed)
    return changed


@transaction.atomic
def delete_team(*, team: Team, actor: User | None) -> None:
    """Delete an empty team. Teams with members or sub-teams are refused with a reason."""
    if team.children.exists():
        raise ValidationError(_("Move or delete the teams inside this team first."))
    if team.members.exists():
        raise ValidationError(_("Move the people in this team to another team first."))
    record_audit(workspace=team.workspace, actor=actor, action=AuditAction.DELETED, obj=team)
    team.delete()


# Workspaces and API keys ---------------------------------------------------------------------


@transaction.atomic
def create_workspace(*, name: str, slug: str) -> Workspace:
    """A new client organisation. Side effects: an audit entry in it.

    Called by operators (``takeroot createworkspace``) and the demo; its first admin is added
    with ``create_person`` and invited."""
    from .scope import workspace_scope

    if Workspace.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A workspace with this short name exists already.")})
    workspace = Workspace.objects.create(name=name, slug=slug)
    with workspace_scope(workspace):
        record_audit(workspace=workspace, actor=None, action=AuditAction.CREATED, obj=workspace)
    return workspace


@transaction.atomic
def update_workspace(*, workspace: Workspace, actor: User, **fields) -> dict:
    changed = apply_changes(workspace, fields)
    if changed:
        workspace.save()
        record_audit(workspace=workspace, actor=actor, action=AuditAction.CHANGED, obj=workspace, changes=changed)
    return changed


def api_key_digest(secret: str) -> str:
    # Keys are long random secrets, so a fast hash is enough; a password hasher would cost
    # tens of milliseconds of CPU on every API request.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, workspace: Workspace, actor: User, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never shown again."""
    secret = f"tk_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        workspace=workspace,
        name=name,
        prefix=secret[:10],
        digest=api_key_digest(secret),
        scopes=sorted(scopes),
        created_by=actor,
    )
    record_audit(
        workspace=workspace,
        actor=actor,
        action=AuditAction.CREATED,
        obj=key,
        changes={"scopes": (None, ", ".join(key.scopes))},
    )
    return key, secret


@transaction.atomic
def revoke_api_key(*, key: ApiKey, actor: User) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_audit(workspace=key.workspace, actor=actor, action=AuditAction.REVOKED, obj=key)


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The live key with this secret, across workspaces (the key decides the workspace)."""
    from .scope import across_workspaces

    digest = api_key_digest(secret)
    with across_workspaces():
        key = ApiKey.objects.select_related("workspace").filter(digest=digest, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.digest, digest):
        return None
    # At most one write a minute per key, so a busy integration does not write on every call.
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        with across_workspaces():
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
