"""Peer learning: pairs and small groups in a cohort, discussion threads (the cohort community,
a group's own threads, a team ambassador's insights) and their posts, and team training
ambassadors. Every row is workspace-owned and uses core's scoped manager.

Posts are plain text: pages show links in them as links (``urlize`` with nofollow), never as
markup.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, WorkspaceOwned
from takeroot.programmes.models import Cohort

from .enums import GroupKind, ThreadScope


class PeerGroup(WorkspaceOwned):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="peer_groups")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind, default=GroupKind.GROUP)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer group")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("peers:group_page", args=[self.uuid])


class GroupMember(WorkspaceOwned):
    """A person in a group. The cohort is repeated here so the database itself keeps a person in
    at most one group per cohort."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="peer_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group member")
        ordering = ["person__user__name", "id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="peer_group_one_per_cohort")]

    def __str__(self) -> str:
        return f"{self.person} · {self.group}"


class Ambassador(WorkspaceOwned):
    """A team's training ambassador: a member of the team who shares insights with it."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="ambassador")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ambassadorships")
    named_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training ambassador")
        ordering = ["team__name", "id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.team}"


class Moderated(WorkspaceOwned):
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Thread(Moderated):
    """A discussion: in a cohort's community (cohort only), in a group (cohort and group), or a
    team ambassador's insight (team only)."""

    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="threads")
    group = models.ForeignKey(PeerGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="threads")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="insights")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("discussion thread")
        ordering = ["-pinned", "-last_activity_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cohort__isnull=False, team__isnull=True)
                    | Q(cohort__isnull=True, group__isnull=True, team__isnull=False)
                ),
                name="thread_in_a_cohort_or_a_team",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("peers:thread_detail", args=[self.uuid])

    @property
    def scope(self) -> str:
        if self.team_id:
            return ThreadScope.TEAM
        return ThreadScope.GROUP if self.group_id else ThreadScope.COMMUNITY


class Post(Moderated):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
