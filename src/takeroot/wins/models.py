"""Wins: a goal reached or an achievement marked by a manager, trainer or admin. The participant
decides whether it may be shared; shared wins appear in the feeds, get reactions and go into the
monthly wins digest, which admins edit (a ``DigestEntry`` per win) before it is sent.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, WorkspaceOwned
from takeroot.plans.models import ActionGoal, ActionPlan
from takeroot.programmes.models import Cohort

from .enums import DigestState, ReactionKind, Sharing, WinSource


class Win(WorkspaceOwned):
    person = models.ForeignKey(Person, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="wins")
    plan = models.ForeignKey(ActionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="wins")
    goal = models.ForeignKey(ActionGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="wins")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="wins")
    title = models.CharField(_("title"), max_length=300)
    story = models.TextField(_("story"), blank=True)
    source = models.CharField(_("source"), max_length=15, choices=WinSource, default=WinSource.MARKED)
    marked_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing, default=Sharing.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("win")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A reached goal is celebrated once, however often the signal arrives.
            models.UniqueConstraint(
                fields=["goal"], condition=Q(source=WinSource.GOAL_REACHED), name="win_once_per_reached_goal"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wins:win_detail", args=[self.uuid])

    @property
    def is_shared(self) -> bool:
        return self.sharing == Sharing.SHARED


class Reaction(WorkspaceOwned):
    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reaction"), max_length=12, choices=ReactionKind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["win", "person", "kind"], name="reaction_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.win}"


class WinsDigest(WorkspaceOwned):
    """The month's shared wins, edited by admins, then mailed to everyone and printable."""

    month = models.DateField(_("month"))  # the first day
    state = models.CharField(_("state"), max_length=6, choices=DigestState, default=DigestState.DRAFT)
    intro = models.TextField(_("introduction"), blank=True)
    wins = models.ManyToManyField(Win, through="DigestEntry", related_name="digests")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("wins digest")
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "month"], name="wins_digest_once_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("wins:digest_newsletter", args=[self.uuid])

    @property
    def is_draft(self) -> bool:
        return self.state == DigestState.DRAFT


class DigestEntry(WorkspaceOwned):
    """One win in a digest, with the title and story as the admins edited them."""

    digest = models.ForeignKey(WinsDigest, on_delete=models.CASCADE, related_name="entries")
    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="digest_entries")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    story = models.TextField(_("story"), blank=True)
    included = models.BooleanField(_("include"), default=True)

    class Meta:
        verbose_name = _("digest entry")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["digest", "win"], name="digest_entry_once_per_win")]

    def __str__(self) -> str:
        return self.title
