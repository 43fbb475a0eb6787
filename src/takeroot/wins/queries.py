"""Reads that the win pages, the API, the digest and the home panel share."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from takeroot.core.enums import AccountStatus
from takeroot.core.models import Person, Team, User, Workspace
from takeroot.core.queries import filter_people, membership, report_ids, team_and_descendants
from takeroot.plans.models import ActionGoal

from .enums import REACTION_EMOJI, DigestState, ReactionKind, Sharing
from .models import DigestEntry, Reaction, Win, WinsDigest


def wins_for_workspace(workspace: Workspace) -> QuerySet[Win]:
    """Every win of the workspace, before any role rule: to tell 403 (here) from 404 (elsewhere)."""
    return Win.objects.filter(workspace=workspace).select_related(
        "person__user", "person__team", "marked_by__user", "goal", "plan__enrolment", "cohort__programme", "workspace"
    )


def _seen_by(me: Person) -> Q:
    return (
        Q(person=me)
        | Q(marked_by=me)
        | Q(person__manager=me)
        | Q(plan__enrolment__manager=me)
        | Q(cohort__trainers=me)
        | Q(sharing=Sharing.SHARED)
    )


def wins_for_user(user: User, *, workspace: Workspace) -> QuerySet[Win]:
    """Wins this person may open: their own; those they marked; those of the people they
    line-manage; those of the cohorts they train; every shared win of the workspace. Admins: all."""
    me = membership(user, workspace)
    wins = wins_for_workspace(workspace)
    if me is None:
        return wins.none()
    if me.is_admin:
        return wins
    return wins.filter(pk__in=Win.objects.filter(workspace=workspace).filter(_seen_by(me)).values("pk"))


def with_reactions(wins: QuerySet[Win]) -> QuerySet[Win]:
    return wins.prefetch_related(Prefetch("reactions", queryset=Reaction.objects.select_related("person")))


def shared_feed(workspace: Workspace, *, team: Team | None = None) -> QuerySet[Win]:
    """The shared wins of the workspace (or of one team and the teams below it), newest first."""
    wins = with_reactions(wins_for_workspace(workspace).filter(sharing=Sharing.SHARED))
    if team is not None:
        wins = wins.filter(person__team__in=team_and_descendants(team))
    return wins.order_by("-shared_at", "-created_at", "-id")


def wins_of(person: Person) -> QuerySet[Win]:
    """The person's own wins, newest first."""
    return with_reactions(wins_for_workspace(person.workspace).filter(person=person))


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    emoji: str
    count: int
    mine: bool


def reaction_counts(win: Win, me: Person | None) -> list[ReactionCount]:
    """Each reaction kind with how many gave it and whether ``me`` did (reads prefetched reactions)."""
    counts = Counter(r.kind for r in win.reactions.all())
    mine = {r.kind for r in win.reactions.all() if me is not None and r.person_id == me.pk}
    return [
        ReactionCount(kind, str(label), REACTION_EMOJI[kind], counts[kind], kind in mine)
        for kind, label in ReactionKind.choices
    ]


def people_markable_by(user: User, *, workspace: Workspace) -> QuerySet[Person]:
    """Whom this person may mark a win for: everyone for admins; otherwise the people below them in
    the reporting line and those enrolled in a cohort they train."""
    me = membership(user, workspace)
    people = Person.objects.filter(workspace=workspace).select_related("user")
    if me is None:
        return people.none()
    if me.is_admin:
        return people.order_by("user__name", "pk")
    mine = Q(pk__in=report_ids(me)) | Q(enrolments__cohort__trainers=me)
    return people.filter(pk__in=Person.objects.filter(mine).exclude(pk=me.pk).values("pk")).order_by("user__name")


def goals_of(people: QuerySet[Person]) -> QuerySet[ActionGoal]:
    """The action-plan goals of these people, for the "mark a win" form."""
    return (
        ActionGoal.objects.filter(plan__enrolment__person__in=people)
        .select_related("plan__enrolment__person__user", "plan__enrolment__cohort")
        .order_by("plan__enrolment__person__user__name", "created_at", "pk")
    )


# The monthly digest ----------------------------------------------------------------------------


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as aware datetimes in the site's time zone: [first day, first day of the next)."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(following, datetime.time()))
    return start, end


def shared_wins_of_month(workspace: Workspace, month: datetime.date) -> QuerySet[Win]:
    """Shared wins recorded in the month, oldest first."""
    start, end = month_bounds(month)
    return (
        wins_for_workspace(workspace)
        .filter(sharing=Sharing.SHARED, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
    )


def digests_for_user(user: User, *, workspace: Workspace) -> QuerySet[WinsDigest]:
    """Admins see every digest; everyone else the sent ones."""
    me = membership(user, workspace)
    digests = WinsDigest.objects.filter(workspace=workspace).select_related("sent_by__user", "workspace")
    if me is None:
        return digests.none()
    return digests if me.is_admin else digests.filter(state=DigestState.SENT)


def digests_for_workspace(workspace: Workspace) -> QuerySet[WinsDigest]:
    return WinsDigest.objects.filter(workspace=workspace).select_related("sent_by__user", "workspace")


def digest_entries(digest: WinsDigest, *, published: bool) -> QuerySet[DigestEntry]:
    """The digest's entries in order. ``published``: only those included whose win is still shared
    (a participant may take a win back until the digest goes out, and after)."""
    entries = DigestEntry.objects.filter(digest=digest).select_related("win__person__user", "win__person__team")
    if published:
        entries = entries.filter(included=True, win__sharing=Sharing.SHARED)
    return entries.order_by("position", "id")


def digest_recipients(workspace: Workspace) -> QuerySet[Person]:
    """Everyone in the workspace with an active account."""
    people = Person.objects.filter(workspace=workspace, user__is_active=True).select_related("user")
    return filter_people(people, status=AccountStatus.ACTIVE).order_by("pk")


def workspace_admins(workspace: Workspace) -> QuerySet[Person]:
    return Person.objects.filter(workspace=workspace, is_admin=True, user__is_active=True).select_related("user")
