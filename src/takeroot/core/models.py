"""Workspaces (client organisations), accounts, people, teams, API keys, audit and outgoing mail.

An account (``User``) is global: one human, one login, their language and time zone. A
``Person`` is that account's membership in one workspace, with roles, team and line manager
there. Everything that belongs to a workspace uses a scoped manager: it refuses to query
without an active workspace scope (see ``takeroot.core.scope``).
"""

import secrets
import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .enums import AccountStatus, ApiScope, AuditAction, DigestFrequency, ImportState, Language, MailState, Role


@cache
def timezone_names() -> list[str]:
    return sorted(name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/"))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def default_timezone() -> str:
    return settings.TIME_ZONE


def validate_timezone(value: str) -> None:
    if value not in timezone_names() and value != "UTC":
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value}, code="timezone")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """One login. Name, language, time zone and accessibility needs follow the human everywhere."""

    username = None
    first_name = None
    last_name = None
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=Language, default=Language.EN)
    timezone = models.CharField(_("time zone"), max_length=64, default=default_timezone, validators=[validate_timezone])
    needs_screen_reader = models.BooleanField(_("screen-reader-friendly material"), default=False)
    needs_captions = models.BooleanField(_("captions"), default=False)
    needs_sign_language = models.BooleanField(_("sign-language interpreter"), default=False)
    needs_extra_time = models.BooleanField(_("extra time"), default=False)
    accessibility_notes = models.TextField(_("other accessibility needs"), blank=True)
    digest_frequency = models.CharField(
        _("digest mail"),
        max_length=10,
        choices=DigestFrequency,
        default=DigestFrequency.WEEKLY,
        help_text=_("One mail with what waits for you and what is new, instead of a mail for every event."),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    # The secret in the person's calendar subscription address; resetting it cuts off old copies.
    calendar_token = models.CharField(max_length=40, unique=True, default=new_calendar_token, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def account_status(self) -> str:
        if self.has_usable_password() or self.last_login:
            return AccountStatus.ACTIVE
        return AccountStatus.INVITED if self.invited_at else AccountStatus.NOT_INVITED

    @property
    def account_status_label(self) -> str:
        return str(AccountStatus(self.account_status).label)

    @property
    def accessibility_needs(self) -> list[str]:
        """The needs this person declared, as translated labels, for whoever meets them."""
        flags = ["needs_screen_reader", "needs_captions", "needs_sign_language", "needs_extra_time"]
        needs = [str(self._meta.get_field(flag).verbose_name) for flag in flags if getattr(self, flag)]
        if self.accessibility_notes:
            needs.append(self.accessibility_notes)
        return needs


class Workspace(models.Model):
    """One client organisation. Nothing of one workspace is ever visible from another."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    require_admin_mfa = models.BooleanField(
        _("require two-factor authentication for admins"),
        default=False,
        help_text=_("Admins of this workspace must set up an authenticator app before they can continue."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkspaceOwned(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        abstract = True


class Team(WorkspaceOwned):
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        verbose_name = _("team")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "parent", "name"], name="team_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


ROLE_FIELDS = {
    Role.ADMIN: "is_admin",
    Role.TRAINER: "is_trainer",
    Role.MENTOR: "is_mentor",
    Role.MANAGER: "is_manager",
    Role.PARTICIPANT: "is_participant",
}


class Person(WorkspaceOwned):
    """An account's membership in one workspace: roles, team and line manager there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", verbose_name=_("line manager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_admin = models.BooleanField(Role.ADMIN.label, default=False)
    is_trainer = models.BooleanField(Role.TRAINER.label, default=False)
    is_mentor = models.BooleanField(Role.MENTOR.label, default=False)
    is_manager = models.BooleanField(Role.MANAGER.label, default=False)
    is_participant = models.BooleanField(Role.PARTICIPANT.label, default=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        ordering = ["user__name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="person_unique_in_workspace")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    def has_role(self, role: str) -> bool:
        return getattr(self, ROLE_FIELDS[role])


class AuditEntry(WorkspaceOwned):
    """Who created, changed or deleted what, and when. Written only by services."""

    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction)
    object_type = models.CharField(max_length=50)
    object_uuid = models.UUIDField(null=True, blank=True)
    object_label = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["workspace", "object_type", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_label}"


class ApiKey(WorkspaceOwned):
    """A workspace's key for the API. Only a SHA-256 digest is stored; the key is shown once."""

    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_labels(self) -> list[str]:
        return [str(ApiScope(scope).label) for scope in self.scopes if scope in ApiScope.values]


class OutgoingMail(models.Model):
    """The outbox: one row per message, rendered at send time in the recipient's language."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    to_email = models.EmailField()
    # Either a template rendered at send time in the recipient's language and time zone, or
    # (for account mail rendered by the sign-in library) the finished subject and bodies.
    template = models.CharField(max_length=100, blank=True)
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # Extra headers (List-Unsubscribe, for one) and attachments as
    # {"filename", "content_type", "content"} with text content (calendar invitations).
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=MailState, default=MailState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template or self.subject} → {self.to_email}"


class PeopleImport(WorkspaceOwned):
    """An uploaded people file, validated and waiting for the admin's confirmation."""

    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    notices = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=ImportState, default=ImportState.PREVIEW)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors
