"""One-click links: signed, expiring, single-purpose tokens in follow-up mail.

A token carries the person (or, for unsubscribing, the account), the purpose, a target (a path,
a plan's or a cohort's uuid) and optionally the touchpoint whose mail carried it; the signature
uses a salt per purpose, so a token made for one purpose never verifies as another. Tokens
expire after the workspace's ``DeliverySettings.link_days`` (14 without settings); single-use
links record their signature in ``UsedLink`` when they act. A token never signs anybody in:
the link view only runs the handler registered for its purpose.

What the links do (check in, ask a question) is in ``link_actions``; mail preferences in
``preferences``.
"""

import datetime
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from takeroot.core.models import Person, User, Workspace
from takeroot.core.scope import across_workspaces

from .enums import LinkPurpose
from .models import DeliverySettings, Touchpoint, UsedLink

DEFAULT_LINK_DAYS = 14
# Unsubscribe links must keep working in old mail; a year is long enough for that.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=365)
SALT = "takeroot.followup.link."


class Problem:
    """Why a link cannot act, with the HTTP status its page answers."""

    INVALID = "invalid"  # tampered, incomplete, unknown person: 400
    EXPIRED = "expired"  # 410
    USED = "used"  # 410
    REFUSED = "refused"  # valid, but the action is not (or no longer) the person's: 403

    STATUS = {INVALID: 400, EXPIRED: 410, USED: 410, REFUSED: 403}


class LinkProblem(Exception):
    def __init__(self, reason: str, link: "Link | None" = None, message: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.link = link
        self.message = message

    @property
    def status(self) -> int:
        return Problem.STATUS[self.reason]


@dataclass
class Link:
    """A verified token: whom it is for, what it does, and whether it was used."""

    user: User
    person: Person | None
    purpose: str
    target: str
    touchpoint: Touchpoint | None
    signature: str
    issued_at: datetime.datetime
    _used: bool | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace | None:
        return self.person.workspace if self.person else None

    @property
    def used(self) -> bool:
        if self._used is None:
            self._used = UsedLink.objects.filter(signature=self.signature).exists()
        return self._used

    def use(self) -> bool:
        """Mark the link used. False when it already was (also by a request racing this one)."""
        try:
            with transaction.atomic():
                UsedLink.objects.create(signature=self.signature, purpose=self.purpose)
        except IntegrityError:
            self._used = True
            return False
        self._used = True
        return True


# Making and reading tokens ---------------------------------------------------------------------


class _Signer(signing.TimestampSigner):
    def __init__(self, purpose: str, issued_at: datetime.datetime | None = None):
        super().__init__(salt=SALT + purpose)
        self.issued_at = issued_at

    def timestamp(self):
        if self.issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.issued_at.timestamp()))


def safe_path(target: str) -> bool:
    """A path on this site: starts with one slash (not "//", nor a backslash trick)."""
    return target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target


def make_token(
    *,
    purpose: str,
    person: Person | None = None,
    user: User | None = None,
    target: str = "",
    touchpoint: Touchpoint | None = None,
    issued_at: datetime.datetime | None = None,
) -> str:
    """The signed token (``issued_at`` only for tests of expiry)."""
    if purpose not in LinkPurpose.values:
        raise ValueError(f"unknown link purpose {purpose!r}")
    if purpose == LinkPurpose.OPEN and not safe_path(target):
        raise ValueError("an OPEN link needs a site-relative path")
    user = user or (person.user if person else None)
    if user is None:
        raise ValueError("a link needs a person or an account")
    payload = {
        "k": str(purpose),
        "u": user.uuid.hex,
        "p": person.uuid.hex if person else "",
        "t": str(target),
        "tp": touchpoint.uuid.hex if touchpoint else "",
    }
    return _Signer(purpose, issued_at).sign_object(payload, compress=True)


def link_url(*, person: Person, purpose: LinkPurpose, target: str = "", touchpoint=None) -> str:
    """The absolute address of a one-click link for ``person``."""
    token = make_token(purpose=purpose, person=person, target=target, touchpoint=touchpoint)
    return settings.BASE_URL + reverse("followup:link", args=[token])


def unsubscribe_url(user: User) -> str:
    """The absolute address that turns off the account's optional mail (GET asks, POST does)."""
    token = make_token(purpose=LinkPurpose.UNSUBSCRIBE, user=user)
    return settings.BASE_URL + reverse("followup:unsubscribe", args=[token])


def unsubscribe_headers(user: User, *, url: str = "") -> dict:
    """The RFC 2369 / RFC 8058 headers for optional mail to ``user`` (``url``: their
    ``unsubscribe_url`` when the caller has it already)."""
    url = url or unsubscribe_url(user)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def link_days(workspace: Workspace | None) -> int:
    if workspace is None:
        return DEFAULT_LINK_DAYS
    with across_workspaces():  # reading one workspace's setting by its id
        days = DeliverySettings.objects.filter(workspace=workspace).values_list("link_days", flat=True).first()
    return days or DEFAULT_LINK_DAYS


def _verify(token: str, purposes) -> tuple[str, dict] | None:
    for purpose in purposes:
        try:
            payload = _Signer(purpose).unsign_object(token)
        except (signing.BadSignature, ValueError, UnicodeDecodeError):
            continue
        if isinstance(payload, dict) and payload.get("k") == purpose:
            return purpose, payload
    return None


def as_uuid(value) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def read_link(token: str, *, purpose: str | None = None, now: datetime.datetime | None = None) -> Link:
    """The link a token stands for, or ``LinkProblem`` (invalid, expired, used). With ``purpose``,
    only a token made for that purpose is accepted."""
    found = _verify(token, [purpose] if purpose else LinkPurpose.values)
    if found is None:
        raise LinkProblem(Problem.INVALID)
    purpose, payload = found
    with across_workspaces():  # the token names the person; their workspace follows from it
        user = User.objects.filter(uuid=as_uuid(payload.get("u")), is_active=True).first()
        person = None
        if payload.get("p"):
            person = (
                Person.objects.select_related("user", "workspace").filter(uuid=as_uuid(payload["p"]), user=user).first()
            )
            if person is None:
                user = None
        touchpoint = None
        if person is not None and payload.get("tp"):
            touchpoint = Touchpoint.objects.filter(uuid=as_uuid(payload["tp"]), recipient=person).first()
    if user is None:
        raise LinkProblem(Problem.INVALID)
    timestamp = signing.b62_decode(token.rsplit(signing.Signer().sep, 2)[1])
    link = Link(
        user=user,
        person=person,
        purpose=purpose,
        target=payload.get("t", ""),
        touchpoint=touchpoint,
        signature=token.rsplit(":", 1)[1],
        issued_at=datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC),
    )
    if purpose == LinkPurpose.UNSUBSCRIBE:
        max_age = UNSUBSCRIBE_MAX_AGE
    else:
        max_age = datetime.timedelta(days=link_days(link.workspace))
    if (now or timezone.now()) - link.issued_at > max_age:
        raise LinkProblem(Problem.EXPIRED, link)
    if link.used:
        raise LinkProblem(Problem.USED, link)
    return link


# Handlers --------------------------------------------------------------------------------------

Handler = Callable[[HttpRequest, Link], HttpResponse]
_handlers: dict[str, Handler] = {}
_next_urls: dict[str, Callable[[Link], str | None]] = {}


def register_link_handler(purpose, handler: Handler, *, next_url: Callable[[Link], str | None] | None = None) -> None:
    """What a link of ``purpose`` does: ``handler(request, link)``. ``next_url(link)`` is where
    signing in leads when the link cannot act (expired, used)."""
    _handlers[str(purpose)] = handler
    if next_url is not None:
        _next_urls[str(purpose)] = next_url


def handler_for(purpose: str) -> Handler | None:
    return _handlers.get(purpose)


def login_url(link: Link | None) -> str:
    """The sign-in page, leading on to where the link's action lives when that is known."""
    url = reverse(settings.LOGIN_URL)
    target = _next_urls[link.purpose](link) if link and link.purpose in _next_urls else None
    if target and safe_path(target):
        url += "?next=" + quote(target, safe="/")
    return url


def mark_opened(link: Link) -> None:
    if link.touchpoint is not None:
        from . import delivery

        delivery.mark_opened(link.touchpoint)


def mark_done(link: Link) -> None:
    if link.touchpoint is not None:
        from . import delivery

        delivery.mark_done(link.touchpoint)
