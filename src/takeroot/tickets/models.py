"""Learner tickets: a question or problem raised by a participant, answered within a promise.

A ``Ticket`` is routed to an owner (``routing``) and carries a response-time promise
(``TicketSettings``, measured by ``clock``): ``due_at`` is when the first answer is due, the owner
is warned before it and the admins are told when it passes. The loop closes when the learner
confirms the answer helped, or by itself after ``auto_close_days`` without a reply. A responder may
publish a ``Patch``: a short lesson or resource added to the module for everyone, linked from the
ticket.
"""

import datetime
import uuid
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

from .enums import Category, Clock, ClosedHow, CommentKind, RouteTo, Source, TicketState

DEFAULT_PROMISE_HOURS = 24


class TicketSettings(WorkspaceOwned):
    """A workspace's response-time promise. A workspace without a row uses the defaults."""

    promise_hours = models.PositiveSmallIntegerField(
        _("answer within (hours)"),
        default=DEFAULT_PROMISE_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    clock = models.CharField(_("counted in"), max_length=15, choices=Clock, default=Clock.WALL_CLOCK)
    # Working hours (with followup's working days and holidays) in ``timezone``.
    day_starts = models.TimeField(_("working day starts"), default=datetime.time(9, 0))
    day_ends = models.TimeField(_("working day ends"), default=datetime.time(17, 0))
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Warsaw")
    warn_before_hours = models.PositiveSmallIntegerField(
        _("warn the owner this many hours before the promise is broken"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close an answered ticket after this many days without a reply"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    inbound_address = models.EmailField(_("tickets address for replies by mail"), blank=True)

    class Meta:
        verbose_name = _("ticket settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="one_ticket_settings_per_workspace"),
            models.CheckConstraint(condition=models.Q(day_ends__gt=models.F("day_starts")), name="working_day_ordered"),
        ]

    def __str__(self) -> str:
        return str(_("ticket settings"))


class RoutingRule(WorkspaceOwned):
    """A workspace's own routing for a category (optionally in one programme), before the defaults:
    content to the cohort's trainers, resources and schedule to the admins, anything from a
    mentored participant to their mentor."""

    category = models.CharField(_("category"), max_length=12, choices=Category)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    route_to = models.CharField(_("route to"), max_length=10, choices=RouteTo)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        ordering = ["category", "programme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "category", "programme"], name="one_rule_per_category_and_programme"
            ),
            models.UniqueConstraint(
                fields=["workspace", "category"],
                condition=models.Q(programme__isnull=True),
                name="one_workspace_rule_per_category",
            ),
            models.CheckConstraint(
                condition=models.Q(route_to="person", person__isnull=False) | ~models.Q(route_to="person"),
                name="person_route_names_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.get_route_to_display()}"


class Ticket(WorkspaceOwned):
    number = models.PositiveIntegerField(editable=False)  # per workspace, shown as #number
    raised_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tickets_raised")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets", verbose_name=_("module")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category, default=Category.CONTENT)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("your question or problem"))
    source = models.CharField(max_length=15, choices=Source, default=Source.WEB)
    state = models.CharField(_("state"), max_length=10, choices=TicketState, default=TicketState.OPEN)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets_owned", verbose_name=_("owner")
    )
    created_at = models.DateTimeField()
    # The promise: the first answer is due at ``due_at`` (the clock restarts on a reopen).
    due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_how = models.CharField(max_length=10, choices=ClosedHow, blank=True, default="")
    reopened = models.PositiveSmallIntegerField(default=0)
    # Whether the answer came within the promise (set with the first answer).
    within_promise = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "number"], name="ticket_number_per_workspace")]
        indexes = [models.Index(fields=["workspace", "state", "due_at"], name="ticket_queue")]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"


class Comment(WorkspaceOwned):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=CommentKind, default=CommentKind.MESSAGE)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ticket comment")
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name carries no part of the uploaded name but its (checked) extension.
    return f"tickets/{instance.workspace.uuid}/{instance.ticket.uuid}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Attachment(WorkspaceOwned):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Patch(WorkspaceOwned):
    """A short lesson or resource added to a module for everyone, in answer to a ticket."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="patches", verbose_name=_("module"))
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="patches")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("lesson"), blank=True)
    url = models.URLField(_("link to the resource"), blank=True)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("module addition")
        ordering = ["module", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body="") | ~models.Q(url=""), name="patch_has_lesson_or_link")
        ]

    def __str__(self) -> str:
        return self.title
