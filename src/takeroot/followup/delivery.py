"""Delivering touchpoints: render each in its recipient's language and time zone, check the step's
conditions at send time, and send what is due exactly once.

``send_due`` claims due rows with a conditional update (``scheduled`` → ``sending``) before it
renders anything, so two workers never take the same row; a worker that dies holding claims
leaves them in ``sending`` until ``release_stuck`` hands them back after 15 minutes. Mail of one
batch goes over one SMTP connection; bookkeeping is a few bulk updates per batch, never a query
per message. Transient errors (SMTP 4xx, lost connections, webhook errors) retry with back-off;
permanent ones and the fifth failure end as ``failed`` with the reason in ``last_error``.
"""

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from takeroot.core.enums import AuditAction, DigestFrequency
from takeroot.core.models import Person, User
from takeroot.core.scope import across_workspaces
from takeroot.core.services import record_audit
from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from . import channels
from .channels import DeliveryError
from .enums import Audience, Channel, LinkPurpose, NonUrgentMail, StepKind, TouchpointState
from .models import PLACEHOLDER, DeliverySettings, Preference, Step, Touchpoint

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
TOUCHPOINT_RELATED = (
    "enrolment__cohort__programme",
    "enrolment__person__user",
    "enrolment__person__manager__user",
    "enrolment__manager__user",
    "recipient__user",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict
    url: str


# What rendering and conditions need besides the touchpoint ---------------------------------------


@dataclass
class _Facts:
    """Plans, goals, last check-ins, preferences and settings for a batch, loaded in bulk."""

    now: datetime.datetime
    plans: dict[int, ActionPlan] = field(default_factory=dict)  # by enrolment id
    goals: dict[int, list[ActionGoal]] = field(default_factory=dict)  # by plan id
    last_check_in: dict[int, datetime.datetime] = field(default_factory=dict)  # by plan id
    preferences: dict[int, Preference] = field(default_factory=dict)  # by user id
    settings: dict[int, DeliverySettings | None] = field(default_factory=dict)  # by workspace id
    sessions: dict[int, list] = field(default_factory=dict)  # by enrolment id, filled when asked

    def plan(self, touchpoint: Touchpoint) -> ActionPlan | None:
        return self.plans.get(touchpoint.enrolment_id)

    def goals_of(self, plan: ActionPlan | None) -> list[ActionGoal]:
        return self.goals.get(plan.pk, []) if plan else []

    def upcoming_sessions(self, enrolment: Enrolment) -> list:
        if enrolment.pk not in self.sessions:
            from .sessions import upcoming_sessions_for

            self.sessions[enrolment.pk] = list(upcoming_sessions_for(enrolment))
        return self.sessions[enrolment.pk]


def _load_facts(touchpoints: list[Touchpoint], now: datetime.datetime) -> _Facts:
    facts = _Facts(now=now)
    enrolment_ids = {tp.enrolment_id for tp in touchpoints}
    facts.plans = {
        plan.enrolment_id: plan
        for plan in ActionPlan.objects.filter(enrolment_id__in=enrolment_ids).only(
            "id", "uuid", "enrolment_id", "state", "workspace_id"
        )
    }
    plan_ids = [plan.pk for plan in facts.plans.values()]
    if plan_ids:
        for goal in ActionGoal.objects.filter(plan_id__in=plan_ids).only("id", "plan_id", "title", "done_at"):
            facts.goals.setdefault(goal.plan_id, []).append(goal)
        if any(tp.step.if_no_check_in_days is not None for tp in touchpoints):
            facts.last_check_in = dict(
                CheckIn.objects.filter(plan_id__in=plan_ids)
                .values("plan_id")
                .annotate(last=Max("created_at"))
                .values_list("plan_id", "last")
            )
    user_ids = {tp.recipient.user_id for tp in touchpoints}
    facts.preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    return facts


def _delivery_settings(facts: _Facts, workspace_id: int) -> DeliverySettings | None:
    if workspace_id not in facts.settings:
        facts.settings[workspace_id] = DeliverySettings.objects.filter(workspace_id=workspace_id).first()
    return facts.settings[workspace_id]


# Conditions --------------------------------------------------------------------------------------

# Stored untranslated (like the scheduler's reasons) and translated where they are shown.
REASON_WITHDRAWN = gettext_noop("The enrolment was withdrawn.")
REASON_UNSUBSCRIBED = gettext_noop("Unsubscribed from optional mail.")
REASON_APPROVED = gettext_noop("The action plan is already approved.")
REASON_PLAN_DONE = gettext_noop("Every goal of the action plan is reached.")
REASON_CHECKED_IN = gettext_noop("Checked in recently enough for this step.")
REASON_NO_SESSION = gettext_noop("No follow-up session scheduled.")
REASON_TOO_LATE = gettext_noop("Due more than a week ago: too late to send.")
# Someone enrolled into a running cohort, or a step added to one, would otherwise get every
# message of the weeks behind them at once.
TOO_LATE = timedelta(days=7)


def _skip_reason(touchpoint: Touchpoint, facts: _Facts) -> tuple[str, str] | None:
    """``(state, reason)`` when the touchpoint must not go out now, else ``None``. Reasons are
    stored untranslated and shown in the reader's language."""
    step, enrolment = touchpoint.step, touchpoint.enrolment
    if enrolment.status == EnrolmentStatus.WITHDRAWN or enrolment.withdrawn_at:
        return TouchpointState.CANCELLED, REASON_WITHDRAWN
    if touchpoint.due_at < facts.now - TOO_LATE:
        return TouchpointState.SKIPPED, REASON_TOO_LATE
    preference = facts.preferences.get(touchpoint.recipient.user_id)
    if not step.essential and preference is not None and not preference.optional_mail:
        return TouchpointState.SKIPPED, REASON_UNSUBSCRIBED
    plan = facts.plan(touchpoint)
    if step.only_if_plan_not_approved and plan is not None and plan.state == PlanState.APPROVED:
        return TouchpointState.SKIPPED, REASON_APPROVED
    goals = facts.goals_of(plan)
    if step.stop_when_plan_done and goals and all(goal.done_at for goal in goals):
        return TouchpointState.SKIPPED, REASON_PLAN_DONE
    if step.if_no_check_in_days is not None and plan is not None:
        last = facts.last_check_in.get(plan.pk)
        if last is not None and last >= facts.now - timedelta(days=step.if_no_check_in_days):
            return TouchpointState.SKIPPED, REASON_CHECKED_IN
    if step.kind == StepKind.SESSION_INVITATION and not facts.upcoming_sessions(enrolment):
        return TouchpointState.SKIPPED, REASON_NO_SESSION
    return None


# Rendering ---------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


class _Values:
    """The placeholders' values for one touchpoint, each computed once and only when used (the
    links are signed tokens; most texts use none or few of them)."""

    def __init__(self, touchpoint: Touchpoint, plan: ActionPlan | None, goals: list, link_person: Person | None):
        self.touchpoint, self.plan, self.goals, self.link_person = touchpoint, plan, goals, link_person
        self.found: dict[str, str] = {}
        enrolment = touchpoint.enrolment
        manager = enrolment.manager or enrolment.person.manager
        self.getters: dict[str, Callable[[], str]] = {
            "name": lambda: touchpoint.recipient.user.name,
            "participant": lambda: enrolment.person.user.name,
            "programme": lambda: enrolment.cohort.programme.name,
            "cohort": lambda: enrolment.cohort.name,
            "plan_link": self.plan_url,
            "goal": lambda: goals[0].title if goals else "",
            "check_in_link": self.check_in_url,
            "manager": lambda: manager.user.name if manager else "",
        }

    def __getitem__(self, key: str) -> str:
        if key not in self.found:
            self.found[key] = self.getters[key]()
        return self.found[key]

    def fill(self, text: str) -> str:
        """Replace the known placeholders; anything else in braces stays as typed."""

        def replace(match: re.Match) -> str:
            key = match.group(1)
            return self[key] if key in self.getters else match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{" in text else text

    def link(self, purpose: str, target: str = "") -> str:
        if self.link_person is None:
            return ""
        from .links import link_url

        touchpoint = self.touchpoint if self.touchpoint.pk else None
        return link_url(person=self.link_person, purpose=purpose, target=target, touchpoint=touchpoint)

    def plan_url(self) -> str:
        if self.plan is not None:
            return _absolute(reverse("plans:plan_detail", args=[self.plan.uuid]))
        return _absolute(reverse("plans:plan_open", args=[self.touchpoint.enrolment.uuid]))

    def check_in_url(self) -> str:
        if self.plan is None:
            return self.plan_url()
        return self.link(LinkPurpose.CHECK_IN, str(self.plan.uuid)) or self.plan_url()


def _when(start: datetime.datetime) -> str:
    local = timezone.localtime(start)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"


def _session_parts(touchpoint: Touchpoint, facts: _Facts, values: _Values) -> list[dict]:
    from .models import Invitation

    sessions = facts.upcoming_sessions(touchpoint.enrolment)
    invitations = {
        i.session_id: i for i in Invitation.objects.filter(session__in=sessions, person_id=touchpoint.recipient_id)
    }
    parts = []
    for session in sessions:
        invitation = invitations.get(session.pk)
        part = {
            "title": session.title,
            "when": _when(session.starts_at),
            "place": session.place,
            "online_link": session.online_link,
            "url": _absolute(session.get_absolute_url()),
        }
        if invitation is not None:
            part["attend_url"] = values.link(LinkPurpose.CONFIRM_ATTENDANCE, f"{invitation.uuid}:attending")
            part["decline_url"] = values.link(LinkPurpose.CONFIRM_ATTENDANCE, f"{invitation.uuid}:declined")
        parts.append(part)
    return parts


def _agenda(values: _Values, goals: list[ActionGoal]) -> list[str]:
    agenda = [
        _("What %(participant)s learned in %(programme)s and what they try out at work.")
        % {"participant": values["participant"], "programme": values["programme"]},
        _("Their action plan: %(goals)s.") % {"goals": "; ".join(g.title for g in goals)}
        if goals
        else _("Their action plan, once they have written it."),
        _("The support they need from you, and when you will talk again."),
    ]
    return agenda


def _template(name: str):
    return get_template(f"mail/followup_touchpoint.{name}")


def _render(
    touchpoint: Touchpoint, facts: _Facts, *, link_person: Person | None = None, test: bool = False
) -> Rendered:
    step, enrolment, user = touchpoint.step, touchpoint.enrolment, touchpoint.recipient.user
    plan = facts.plan(touchpoint)
    goals = facts.goals_of(plan)
    to_participant = touchpoint.recipient_id == enrolment.person_id
    with translation.override(user.language), timezone.override(user.timezone):
        values = _Values(touchpoint, plan, goals, link_person)
        content = step.text_for(user.language)
        subject = values.fill(content.get("subject") or str(step.get_kind_display()))
        body = values.fill(content.get("body") or "")
        context = {"subject": subject, "body": body, "test": test, "essential": step.essential}
        url = ""
        if step.kind == StepKind.MATERIAL:
            context["checklist"] = [values.fill(item) for item in content.get("checklist") or [] if item]
            context["material_url"] = url = step.material_url
        elif step.kind == StepKind.CHECK_IN:
            url = values.check_in_url()
            context["action"] = {"url": url, "label": _("Check in now")}
        elif step.kind == StepKind.ACTION_PLAN:
            url = values.plan_url()
            context["action"] = {"url": url, "label": _("Open your action plan")}
        elif step.kind == StepKind.SESSION_INVITATION:
            context["sessions"] = _session_parts(touchpoint, facts, values)
            url = context["sessions"][0]["url"] if context["sessions"] else ""
        elif step.kind == StepKind.MANAGER_TALK:
            context["agenda"] = _agenda(values, goals)
            url = values.plan_url()
            context["action"] = {"url": url, "label": _("See the action plan")}
        if to_participant:
            context["question_url"] = values.link(LinkPurpose.ASK_QUESTION, str(enrolment.cohort.uuid))
        headers = {"Auto-Submitted": "auto-generated"}
        if touchpoint.pk and not test:
            headers["Message-ID"] = f"<touchpoint-{touchpoint.uuid}@takeroot>"
        if not step.essential and not test:
            from .links import unsubscribe_headers, unsubscribe_url

            context["unsubscribe_url"] = unsubscribe_url(user)
            headers.update(unsubscribe_headers(user, url=context["unsubscribe_url"]))
        # The subject template only adds the test mark: skip it for the thousands of real ones.
        subject_line = " ".join((_template("subject.txt").render(context) if test else subject).split())
        text = _template("txt").render(context)
        context["body_html"] = mark_safe(linebreaks(body, autoescape=True))  # escaped by linebreaks
        html = _template("html").render(context)
    return Rendered(subject=subject_line, text=text, html=html, headers=headers, url=url)


def _attach(touchpoints: Iterable[Touchpoint]) -> list[Touchpoint]:
    """Give the touchpoints their steps from one query (a step is shared by many rows)."""
    touchpoints = list(touchpoints)
    steps = {s.pk: s for s in Step.objects.filter(pk__in={tp.step_id for tp in touchpoints})}
    for tp in touchpoints:
        tp.step = steps[tp.step_id]
    return touchpoints


def render(touchpoint: Touchpoint) -> Rendered:
    """The touchpoint as its recipient will get it: subject, plain text, HTML, headers and the
    main link. Works for an unsaved touchpoint too (the design preview): links are then not
    bound to it. No writes apart from the one-click links' tokens."""
    facts = _load_facts([touchpoint], timezone.now())
    return _render(touchpoint, facts, link_person=touchpoint.recipient)


def audience_person(step: Step, enrolment: Enrolment) -> Person | None:
    """Who a step of this audience goes to for this enrolment (``None`` when nobody is named)."""
    if step.audience == Audience.MANAGER:
        return enrolment.manager or enrolment.person.manager
    if step.audience == Audience.MENTOR:
        return enrolment.mentor
    if step.audience == Audience.TRAINER:
        return enrolment.cohort.trainers.order_by("pk").first()
    if step.audience == Audience.BUDDY:
        plan = ActionPlan.objects.filter(enrolment=enrolment).select_related("buddy__user").first()
        return plan.buddy if plan else None
    return enrolment.person


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
    facts = _load_facts(touchpoints, now)
    outcome = _Outcome(now)
    mails, hooks = [], []
    for tp in touchpoints:
        skip = _skip_reason(tp, facts)
        if skip:
            outcome.end(tp, *skip)
            continue
        try:
            rendered = _render(tp, facts, link_person=tp.recipient)
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
            channels.post_webhook(_delivery_settings(facts, tp.workspace_id), touchpoint=tp, rendered=rendered)
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
        _deliver(_attach(rows.order_by("due_at", "pk")), now)
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
    rendered = _render(touchpoint, _load_facts([touchpoint], timezone.now()), link_person=link_person, test=True)
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
    touchpoints = _attach(rows.select_related(*TOUCHPOINT_RELATED).order_by("due_at", "pk"))
    facts = _load_facts(touchpoints, now)
    outcome, found = _Outcome(now), []
    for tp in touchpoints:
        skip = _skip_reason(tp, facts)
        if skip:
            outcome.end(tp, *skip)
        else:
            found.append(_render(tp, facts, link_person=tp.recipient))
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
