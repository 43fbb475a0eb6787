"""The follow-up engine's tables.

A programme's ``Design`` is an ordered list of ``Step``s, each placed relative to a cohort date.
Enrolling someone materialises their ``Touchpoint``s (one per step, recipient and repetition) with
due times in UTC; the worker sends what is due. ``Hold``s pause a person's follow-up,
``Preference`` keeps what optional mail they want, and ``FollowUpSession``s are the sessions two
to four weeks after the training, with one ``Invitation`` per invited person.
"""

import datetime
import re
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.programmes.models import Cohort, Enrolment, Programme

from .enums import (
    Anchor,
    Audience,
    Channel,
    LinkPurpose,
    MaterialKind,
    NonUrgentMail,
    Rsvp,
    StepKind,
    TouchpointState,
    WebhookFormat,
)

# ``{name}`` in a step's texts; the delivery fills them per recipient.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace the placeholders named in ``values``; anything else in braces stays as typed."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def default_working_days() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday to Friday, as ``date.weekday()`` counts


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class DeliverySettings(WorkspaceOwned):
    """When and where a workspace's follow-up goes out."""

    working_days = models.JSONField(_("working days"), default=default_working_days)
    holidays = models.JSONField(_("holidays"), default=list, blank=True)  # ISO dates
    quiet_start = models.TimeField(_("quiet hours start"), default=datetime.time(20, 0))
    quiet_end = models.TimeField(_("quiet hours end"), default=datetime.time(7, 0))
    link_days = models.PositiveSmallIntegerField(
        _("one-click links expire after (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    webhook_url = models.URLField(_("webhook address"), blank=True)
    webhook_format = models.CharField(
        _("webhook format"), max_length=10, choices=WebhookFormat, default=WebhookFormat.JSON
    )
    webhook_secret = models.CharField(max_length=64, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("delivery settings")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="one_delivery_settings_per_workspace")]


class Design(WorkspaceOwned):
    programme = models.OneToOneField(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="followup_design"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up design")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Step(WorkspaceOwned):
    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind)
    audience = models.CharField(_("to whom"), max_length=12, choices=Audience, default=Audience.PARTICIPANT)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.MAIL)
    anchor = models.CharField(_("counted from"), max_length=15, choices=Anchor, default=Anchor.LAST_SESSION)
    offset_days = models.SmallIntegerField(
        _("days after"), default=0, validators=[MinValueValidator(-365), MaxValueValidator(730)]
    )
    send_at = models.TimeField(_("local time of day"), default=datetime.time(9, 0))
    # Check-in reminders repeat: every ``repeat_every_days`` (empty: the participant's own
    # cadence) until ``repeat_for_days`` after the first one.
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    repeat_for_days = models.PositiveSmallIntegerField(
        _("keep repeating for (days)"), null=True, blank=True, validators=[MaxValueValidator(730)]
    )
    # {"en": {"subject": "...", "body": "...", "checklist": ["..."]}, "pl": {...}}
    content = models.JSONField(_("content"), default=dict)
    material_kind = models.CharField(_("kind of material"), max_length=10, choices=MaterialKind, blank=True, default="")
    material_url = models.URLField(_("video or document link"), blank=True)
    if_no_check_in_days = models.PositiveSmallIntegerField(
        _("only if no check-in in the last (days)"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    if_quiz_score_below = models.PositiveSmallIntegerField(
        _("only if the last quiz score was below (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The questionnaire a survey step sends (the surveys app registers the kind).
    instrument = models.ForeignKey(
        "surveys.Instrument",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="steps",
        verbose_name=_("questionnaire"),
    )
    only_if_plan_not_approved = models.BooleanField(_("only if the action plan is not approved"), default=False)
    stop_when_plan_done = models.BooleanField(_("stop when every goal of the plan is reached"), default=True)
    essential = models.BooleanField(
        _("essential to the programme"),
        default=False,
        help_text=_("Essential messages are sent even to people who unsubscribed from optional mail."),
    )

    class Meta:
        verbose_name = _("follow-up step")
        ordering = ["design", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The subject in the active language, with the programme's name filled in."""
        subject = self.text_for(get_language() or settings.LANGUAGE_CODE).get("subject")
        if not subject:
            return str(self.get_kind_display())
        programme = self.design.programme if self.design.programme_id else None
        return fill_placeholders(subject, {"programme": programme.name}) if programme else subject

    def text_for(self, language: str) -> dict:
        """The content in ``language``, else English, else any language the step has."""
        for code in (language, "en", *self.content):
            if self.content.get(code):
                return self.content[code]
        return {}


class Touchpoint(WorkspaceOwned):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="touchpoints")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="touchpoints")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="touchpoints")
    occurrence = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=TouchpointState, default=TouchpointState.SCHEDULED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("touchpoint")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "enrolment", "recipient", "occurrence"], name="one_touchpoint_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="touchpoint_due")]

    def __str__(self) -> str:
        return f"{self.step} → {self.recipient}"

    @property
    def title(self) -> str:
        """The step's subject in the active language, filled in for this touchpoint's people."""
        enrolment = self.enrolment
        values = {
            "programme": enrolment.cohort.programme.name,
            "cohort": enrolment.cohort.name,
            "name": self.recipient.user.name,
            "participant": enrolment.person.user.name,
        }
        return fill_placeholders(self.step.title, values)


class Hold(WorkspaceOwned):
    """A pause in a person's follow-up (vacation, leave): touchpoints due in it move after it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="followup_holds")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="hold_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.starts_on} – {self.ends_on}"


class Preference(models.Model):
    """What optional mail an account wants. Essential programme messages ignore it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference")
    non_urgent = models.CharField(
        _("non-urgent messages"), max_length=10, choices=NonUrgentMail, default=NonUrgentMail.IMMEDIATE
    )
    optional_mail = models.BooleanField(_("receive optional mail"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mail preference")

    def __str__(self) -> str:
        return f"{self.user}: {self.non_urgent}"


class UsedLink(models.Model):
    """A one-click link that was used: its signature, so the same link cannot act twice."""

    signature = models.CharField(max_length=100, unique=True)
    purpose = models.CharField(max_length=12, choices=LinkPurpose)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.used_at:%Y-%m-%d}"


class FollowUpSession(WorkspaceOwned):
    """A session some weeks after the training, for a cohort or some of its participants."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="followup_sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("room or place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    # Raised on every change the calendar should see, so the invitation replaces the old one.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    successes = models.TextField(_("successes"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    # Steps agreed in the session for a participant, added to their action plan.
    agreed_steps = models.ManyToManyField("plans.ActionTask", blank=True, related_name="followup_sessions")
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up session")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="followup_session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:session_detail", args=[self.uuid])


class Invitation(WorkspaceOwned):
    session = models.ForeignKey(FollowUpSession, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="followup_invitations")
    answer = models.CharField(_("answer"), max_length=10, choices=Rsvp, default=Rsvp.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The session's SEQUENCE the person's calendar last received.
    sent_sequence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        ordering = ["session", "person__user__name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_invitation_per_person")]
