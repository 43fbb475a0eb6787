"""Delivering touchpoints: send what is due exactly once, with the conditions checked and the
mail rendered at send time (``rendering``), and the changes people make (resend, cancel, opened,
done).

``send_due`` claims due rows with a conditional update (``scheduled`` → ``sending``) before it
renders anything, so two workers never take the same row; a worker that dies holding claims
leaves them in ``sending`` until ``release_stuck`` hands them back after 15 minutes. Mail of one
batch goes over one SMTP connection; bookkeeping is a few bulk updates per batch, never a query
per message. Transient errors (SMTP 4xx, lost connections, webhook errors) retry with back-off;
permanent ones and the fifth failure end as ``failed`` with the reason in ``last_error``.
"""

import datetime
import logging
from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction, DigestFrequency
from takeroot.core.models import Person, User
from takeroot.core.scope import across_workspaces
from takeroot.core.services import record_audit
from takeroot.programmes.models import Enrolment

from . import channels
from .channels import DeliveryError
from .enums import Channel, NonUrgentMail, TouchpointState
from .models import Step, Touchpoint
from .rendering import (
    TOUCHPOINT_RELATED,
    Rendered,
    attach_steps,
    audience_person,
    delivery_settings_of,
    load_facts,
    render_one,
    skip_reason,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=15)
FLUSH_EVERY = 10  # sent rows are recorded at least this often, so a crash re-sends at most this many
RESENDABLE = (
    TouchpointState.SENT,
    TouchpointState.OPENED,
    TouchpointState.FAILED,
    TouchpointState.SKIPPED,
    TouchpointState.CANCELLED,
)

# Sending -----------------------------------------------------------------------------------------


class _Outcome:
    """What happened to the claimed rows, written back in bulk."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.sent: list[int] = []
        self.ended: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.errors: list[Touchpoint] = []

    def delivered(self, touchpoint: Touchpoint) -> None:
        self.sent.append(touchpoint.pk)

    def end(self, touchpoint: Touchpoint, state: str, reason: str) -> None:
        self.ended[state, reason[:300]].append(touchpoint.pk)

    def error(self, touchpoint: Touchpoint, error: DeliveryError) -> None:
        touchpoint.attempts += 1
        touchpoint.last_error = str(error)[:2000]
        touchpoint.claimed_at = None
        if error.transient and touchpoint.attempts < MAX_ATTEMPTS:
            touchpoint.state = TouchpointState.SCHEDULED
            touchpoint.next_attempt_at = self.now + timedelta(minutes=2**touchpoint.attempts)
        else:
            touchpoint.state = TouchpointState.FAILED
            touchpoint.next_attempt_at = None
        log.warning("touchpoint %s to %s: %s", touchpoint.uuid, touchpoint.recipient.user.email, error)
        self.errors.append(touchpoint)

    def flush(self) -> None:
        mine = Touchpoint.objects.filter(state=TouchpointState.SENDING)
        if self.sent:
            mine.filter(pk__in=self.sent).update(
                state=TouchpointState.SENT,
                sent_at=self.now,
                claimed_at=None,
                attempts=F("attempts") + 1,
                next_attempt_at=None,
                last_error="",
                reason="",
            )
        for (state, reason), ids in self.ended.items():
            mine.filter(pk__in=ids).update(state=state, reason=reason, claimed_at=None)
        if self.errors:
            Touchpoint.objects.bulk_update(
                self.errors, ["state", "attempts", "last_error", "next_attempt_at", "claimed_at"]
            )
        self.sent, self.ended, self.errors = [], defaultdict(list), []


def _waits_for_digest() -> Q:
    """Optional mail for people who collect non-urgent messages in their digest (if they get one)."""
    return Q(
        step__essential=False,
        step__channel=Channel.MAIL,
        recipient__user__mail_preference__non_urgent=NonUrgentMail.DIGEST,
    ) & ~Q(recipient__user__digest_frequency=DigestFrequency.NEVER)


def _due(now: datetime.datetime):
    return (
        Touchpoint.objects.filter(state=TouchpointState.SCHEDULED, due_at__lte=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(_waits_for_digest())
        .order_by("due_at", "pk")
    )


class _LostRace(Exception):
    pass


def _claim(now: datetime.datetime, limit: int) -> list[int]:
    """Take up to ``limit`` due rows for this worker: ``scheduled`` → ``sending``. On PostgreSQL
    rows another worker is claiming are skipped (``SKIP LOCKED``); SQLite takes the write lock at
    BEGIN, so the select and the update cannot interleave with another worker's."""
    features = connection.features
    try:
        with transaction.atomic():
            due = _due(now)
            if features.has_select_for_update_skip_locked and features.has_select_for_update_of:
                due = due.select_for_update(skip_locked=True, of=("self",))
            ids = list(due.values_list("pk", flat=True)[:limit])
            if not ids:
                return []
            claimed = Touchpoint.objects.filter(pk__in=ids, state=TouchpointState.SCHEDULED).update(
                state=TouchpointState.SENDING, claimed_at=now
            )
            if claimed != len(ids):
                raise _LostRace  # undo, then claim one by one below
            return ids
    except _LostRace:
        pass
    return [
        pk
        for pk in _due(now).values_list("pk", flat=True)[:limit]
        if Touchpoint.objects.filter(pk=pk, state=TouchpointState.SCHEDULED).update(
            state=TouchpointState.SENDING, claimed_at=now
        )
    ]


def _deliver(touchpoints: list[Touchpoint], now: datetime.datetime) -> None:
    facts = load_facts(touchpoints, now)
    outcome = _Outcome(now)
    mails, hooks = [], []
    for tp in touchpoints:
        skip = skip_reason(tp, facts)
        if skip:
            outcome.end(tp, *skip)
            continue
        try:
            rendered = render_one(tp, facts, link_person=tp.recipient)
        except Exception as error:  # a broken text must not stop the batch; it is shown as the reason
            log.exception("touchpoint %s could not be rendered", tp.uuid)
            outcome.error(tp, DeliveryError(_("Could not be written: %(error)s") % {"error": error}, transient=False))
            continue
        if tp.step.channel == Channel.WEBHOOK:
            hooks.append((tp, rendered))
        else:
            mails.append((tp, rendered))
    outcome.flush()  # skips and cancellations are final before anything goes out
    outgoing = [(rendered, tp.recipient.user.email) for tp, rendered in mails]
    for count, ((tp, _rendered), error) in enumerate(zip(mails, channels.send_mails(outgoing), strict=True), 1):
        if error is None:
            outcome.delivered(tp)
        else:
            outcome.error(tp, error)
        if count % FLUSH_EVERY == 0:
            outcome.flush()
    for tp, rendered in hooks:
        try:
            channels.post_webhook(delivery_settings_of(facts, tp.workspace_id), touchpoint=tp, rendered=rendered)
        except DeliveryError as error:
            outcome.error(tp, error)
        else:
            outcome.delivered(tp)
    outcome.flush()


def send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Claim up to ``limit`` due touchpoints and deliver them: mail over one SMTP connection,
    webhooks one POST each. Returns how many were handled (sent, skipped, cancelled, retried or
    failed); 0 means nothing was due.

    Side effects: touchpoint states, mail and webhook requests. Called by the worker's task."""
    now = now or timezone.now()
    with across_workspaces():  # the worker serves every workspace
        ids = _claim(now, limit)
        if not ids:
            return 0
        rows = Touchpoint.objects.filter(pk__in=ids, state=TouchpointState.SENDING).select_related(*TOUCHPOINT_RELATED)
        _deliver(attach_steps(rows.order_by("due_at", "pk")), now)
    return len(ids)


def send_all_due(*, now: datetime.datetime | None = None, budget: timedelta = timedelta(seconds=50)) -> int:
    """``send_due`` batch after batch until nothing is due or the time budget is spent."""
    started, handled = timezone.now(), 0
    while timezone.now() - started < budget:
        count = send_due(now=now)
        handled += count
        if count == 0:
            break
    return handled


def release_stuck(*, now: datetime.datetime | None = None) -> int:
    """Touchpoints claimed more than 15 minutes ago by a worker that died go back to the queue.
    Returns how many."""
    now = now or timezone.now()
    with across_workspaces():  # the periodic job serves every workspace
        return Touchpoint.objects.filter(state=TouchpointState.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
            state=TouchpointState.SCHEDULED, claimed_at=None
        )


def send_test(*, step: Step, enrolment: Enrolment, to: User) -> None:
    """Send ``step`` as it would reach this enrolment's recipient, but to ``to`` at once, marked as
    a test. Nothing is saved; the one-click links act for ``to`` (never for the participant).
    Raises ``DeliveryError`` when the mail could not be sent."""
    recipient = audience_person(step, enrolment) or enrolment.person
    touchpoint = Touchpoint(
        workspace_id=step.workspace_id, step=step, enrolment=enrolment, recipient=recipient, due_at=timezone.now()
    )
    link_person = Person.objects.filter(workspace_id=step.workspace_id, user=to).first()
    rendered = render_one(touchpoint, load_facts([touchpoint], timezone.now()), link_person=link_person, test=True)
    error = next(iter(channels.send_mails([(rendered, to.email)])))
    if error is not None:
        raise error


def take_for_digest(*, person: Person, now: datetime.datetime | None = None) -> list[Rendered]:
    """The person's due optional mail that waits for their digest, rendered; marked sent (or
    skipped when a condition says so). Runs inside the digest's transaction."""
    now = now or timezone.now()
    waiting = Touchpoint.objects.filter(
        _waits_for_digest(), recipient=person, state=TouchpointState.SCHEDULED, due_at__lte=now
    )
    ids = list(waiting.values_list("pk", flat=True))
    if not ids or not Touchpoint.objects.filter(pk__in=ids, state=TouchpointState.SCHEDULED).update(
        state=TouchpointState.SENDING, claimed_at=now
    ):
        return []
    rows = Touchpoint.objects.filter(pk__in=ids, state=TouchpointState.SENDING, claimed_at=now)
    touchpoints = attach_steps(rows.select_related(*TOUCHPOINT_RELATED).order_by("due_at", "pk"))
    facts = load_facts(touchpoints, now)
    outcome, found = _Outcome(now), []
    for tp in touchpoints:
        skip = skip_reason(tp, facts)
        if skip:
            outcome.end(tp, *skip)
        else:
            found.append(render_one(tp, facts, link_person=tp.recipient))
            outcome.delivered(tp)
    outcome.flush()
    return found


# Changes by people -------------------------------------------------------------------------------


def _audit_state(touchpoint: Touchpoint, actor, before: str, after: str, reason: str = "") -> None:
    user = actor.user if isinstance(actor, Person) else actor
    changes = {"state": (before, after)}
    if reason:
        changes["reason"] = ("", reason)
    record_audit(
        workspace=touchpoint.workspace, actor=user, action=AuditAction.CHANGED, obj=touchpoint, changes=changes
    )


@transaction.atomic
def resend(*, touchpoint: Touchpoint, actor: User | Person | None) -> Touchpoint:
    """Send a touchpoint again: a sent, opened, failed, skipped or cancelled one goes back to
    ``scheduled``, due now, with fresh attempts (its conditions are checked again when it goes).
    Side effects: an audit entry. Called by the timeline pages and the API."""
    before = touchpoint.state
    if before not in RESENDABLE:
        raise ValidationError(_("Only a sent, failed, skipped or cancelled touchpoint can be sent again."))
    now = timezone.now()
    fields = {
        "state": TouchpointState.SCHEDULED,
        "due_at": now,
        "attempts": 0,
        "next_attempt_at": None,
        "claimed_at": None,
        "last_error": "",
        "reason": "",
    }
    with across_workspaces():  # one row the caller already resolved through its visibility query
        if not Touchpoint.objects.filter(pk=touchpoint.pk, state=before).update(**fields):
            raise ValidationError(_("The touchpoint changed meanwhile. Reload and try again."))
    for name, value in fields.items():
        setattr(touchpoint, name, value)
    _audit_state(touchpoint, actor, before, TouchpointState.SCHEDULED)
    return touchpoint


@transaction.atomic
def cancel(*, touchpoint: Touchpoint, actor: User | Person | None, reason: str = "") -> Touchpoint:
    """Cancel a scheduled touchpoint. Side effects: an audit entry with the reason."""
    reason = (reason or "")[:300]
    with across_workspaces():  # one row the caller already resolved through its visibility query
        changed = Touchpoint.objects.filter(pk=touchpoint.pk, state=TouchpointState.SCHEDULED).update(
            state=TouchpointState.CANCELLED, reason=reason
        )
    if not changed:
        raise ValidationError(_("Only a scheduled touchpoint can be cancelled."))
    touchpoint.state, touchpoint.reason = TouchpointState.CANCELLED, reason
    _audit_state(touchpoint, actor, TouchpointState.SCHEDULED, TouchpointState.CANCELLED, reason)
    return touchpoint


def mark_opened(touchpoint: Touchpoint) -> None:
    """A link of the touchpoint was used: note when first, and ``sent`` becomes ``opened``."""
    now = timezone.now()
    with across_workspaces():  # called from one-click links, which carry no workspace
        rows = Touchpoint.objects.filter(pk=touchpoint.pk)
        rows.filter(opened_at__isnull=True).update(opened_at=now)
        rows.filter(state=TouchpointState.SENT).update(state=TouchpointState.OPENED)
        touchpoint.refresh_from_db(fields=["state", "opened_at"])


def mark_done(touchpoint: Touchpoint) -> None:
    """The action the touchpoint asked for was taken (a check-in, an answer): ``done``."""
    now = timezone.now()
    with across_workspaces():  # called from one-click links, which carry no workspace
        rows = Touchpoint.objects.filter(pk=touchpoint.pk)
        rows.filter(opened_at__isnull=True).update(opened_at=now)
        rows.filter(done_at__isnull=True).update(done_at=now)
        rows.filter(state__in=(TouchpointState.SENT, TouchpointState.OPENED)).update(state=TouchpointState.DONE)
        touchpoint.refresh_from_db(fields=["state", "opened_at", "done_at"])
