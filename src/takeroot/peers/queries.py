"""Reads that the peer pages, the API, the home panel and the digest share."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from takeroot.core.models import Person, Team, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from .models import Ambassador, GroupMember, PeerGroup, Post, Thread

GROUPABLE = (EnrolmentStatus.INVITED, EnrolmentStatus.ACTIVE)


def communities_of(person: Person, *, every_place: bool = True) -> QuerySet[Cohort]:
    """The cohorts whose community this person belongs to: enrolled (not withdrawn), training or
    mentoring it; admins every cohort of the workspace."""
    cohorts = Cohort.objects.filter(workspace_id=person.workspace_id).select_related("programme")
    if person.is_admin and every_place:
        return cohorts.order_by("-starts_on", "name")
    enrolled = Enrolment.objects.filter(person=person).exclude(status=EnrolmentStatus.WITHDRAWN).values("cohort_id")
    mine = Q(pk__in=enrolled) | Q(trainers=person) | Q(mentors=person)
    return cohorts.filter(pk__in=Cohort.objects.filter(mine).values("pk")).order_by("-starts_on", "name")


def groups_for_workspace(workspace: Workspace) -> QuerySet[PeerGroup]:
    members = GroupMember.objects.select_related("person__user", "person__team")
    return (
        PeerGroup.objects.filter(workspace=workspace)
        .select_related("cohort__programme")
        .prefetch_related(Prefetch("memberships", queryset=members))
    )


def groups_for_person(person: Person | None) -> QuerySet[PeerGroup]:
    """Groups this person sees: their own, those of the cohorts they train; admins all."""
    if person is None:
        return PeerGroup.objects.none()
    groups = groups_for_workspace(person.workspace)
    if person.is_admin:
        return groups
    mine = Q(memberships__person=person) | Q(cohort__trainers=person)
    return groups.filter(pk__in=PeerGroup.objects.filter(mine).values("pk"))


def groups_for_user(user: User, *, workspace: Workspace) -> QuerySet[PeerGroup]:
    return groups_for_person(membership(user, workspace))


def own_groups(person: Person) -> QuerySet[PeerGroup]:
    return groups_for_workspace(person.workspace).filter(memberships__person=person)


def managed_team_ids(person: Person) -> set[int]:
    return set(
        Person.objects.filter(workspace_id=person.workspace_id, manager=person, team__isnull=False)
        .exclude(pk=person.pk)
        .values_list("team_id", flat=True)
    )


def threads_for_workspace(workspace: Workspace) -> QuerySet[Thread]:
    return Thread.objects.filter(workspace=workspace).select_related(
        "cohort__programme", "group", "team", "author__user", "hidden_by__user"
    )


def _readable(person: Person, *, every_place: bool = True) -> Q:
    """Threads whose place this person belongs to (before moderation); admins every place unless
    ``every_place`` is false."""
    if person.is_admin and every_place:
        return Q(workspace_id=person.workspace_id)
    communities = communities_of(person, every_place=every_place).values("pk")
    teams = managed_team_ids(person) | ({person.team_id} if person.team_id else set())
    return (
        Q(cohort__in=communities, group__isnull=True)
        | Q(group__memberships__person=person)
        | Q(group__isnull=False, cohort__trainers=person)
        | Q(team_id__in=teams)
    )


def _moderates(person: Person) -> Q:
    if person.is_admin:
        return Q(workspace_id=person.workspace_id)
    return Q(cohort__trainers=person) | Q(team_id__in=managed_team_ids(person))


def threads_for_person(person: Person | None, *, every_place: bool = True) -> QuerySet[Thread]:
    """Threads this person may open: in their places; a hidden one only for its author and its
    moderators."""
    if person is None:
        return Thread.objects.none()
    found = Thread.objects.filter(_readable(person, every_place=every_place)).filter(
        Q(hidden_at__isnull=True) | Q(author=person) | _moderates(person)
    )
    return threads_for_workspace(person.workspace).filter(pk__in=found.values("pk"))


def threads_for_user(user: User, *, workspace: Workspace) -> QuerySet[Thread]:
    return threads_for_person(membership(user, workspace))


def with_counts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.annotate(post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True)))


def posts_shown_to(thread: Thread, person: Person | None, *, moderator: bool) -> list[Post]:
    """The thread's posts, oldest first. A hidden post: moderators see it (marked), its author
    sees that it was hidden, everyone else does not see it at all."""
    posts = thread.posts.select_related("author__user", "hidden_by__user")
    if moderator:
        return list(posts)
    me = person.pk if person is not None else None
    return [post for post in posts if not post.is_hidden or post.author_id == me]


def community_threads(cohort: Cohort, person: Person | None) -> QuerySet[Thread]:
    return with_counts(threads_for_person(person).filter(cohort=cohort, group__isnull=True))


def group_threads(group: PeerGroup, person: Person | None) -> QuerySet[Thread]:
    return with_counts(threads_for_person(person).filter(group=group))


def team_insights(team: Team, person: Person | None) -> QuerySet[Thread]:
    return with_counts(threads_for_person(person).filter(team=team))


def ungrouped_participants(cohort: Cohort) -> list[Person]:
    """Enrolled (invited or active) participants without a group in the cohort, sorted by team
    name then name: the order the automatic grouping works in."""
    grouped = GroupMember.objects.filter(cohort=cohort).values("person_id")
    people = (
        Person.objects.filter(enrolments__cohort=cohort, enrolments__status__in=GROUPABLE)
        .exclude(pk__in=grouped)
        .select_related("user", "team")
        .distinct()
    )
    return sorted(people, key=lambda p: (p.team.name if p.team else "\uffff", p.user.name, p.pk))


def groupable_people(cohort: Cohort) -> QuerySet[Person]:
    """Everyone who may be put in one of the cohort's groups."""
    return (
        Person.objects.filter(enrolments__cohort=cohort, enrolments__status__in=GROUPABLE)
        .select_related("user", "team")
        .distinct()
        .order_by("user__name", "pk")
    )


def ambassadors_for_workspace(workspace: Workspace) -> list[tuple[Team, Ambassador | None]]:
    """Every team with its ambassador (or none), by name."""
    teams = Team.objects.filter(workspace=workspace).order_by("name", "pk")
    named = {
        a.team_id: a
        for a in Ambassador.objects.filter(workspace=workspace).select_related("person__user", "named_by__user")
    }
    return [(team, named.get(team.pk)) for team in teams]


def ambassador_of(team: Team) -> Ambassador | None:
    return Ambassador.objects.filter(team=team).select_related("person__user").first()


def latest_activity(person: Person, *, limit: int = 5) -> list[Thread]:
    """The threads with the latest activity in this person's places, for the home panel."""
    found = threads_for_person(person, every_place=False).filter(hidden_at__isnull=True)
    return list(found.order_by("-last_activity_at", "-id")[:limit])


def threads_with_news(person: Person, since: datetime.datetime) -> list[tuple[Thread, int]]:
    """Threads in this person's places with posts by others since ``since`` (none hidden), with
    how many; for the digest. Admins get only the places they take part in, not every cohort."""
    anything = Post.objects.filter(workspace_id=person.workspace_id, created_at__gt=since, hidden_at__isnull=True)
    if not anything.exclude(author_id=person.pk).exists():
        return []  # a quiet day costs one simple query
    visible = threads_for_person(person, every_place=False).filter(hidden_at__isnull=True)
    news = (
        Post.objects.filter(thread__in=visible.values("pk"), created_at__gt=since, hidden_at__isnull=True)
        .exclude(author_id=person.pk)
        .values("thread_id")
        .annotate(n=Count("id"))
    )
    counts = {row["thread_id"]: row["n"] for row in news}
    threads = threads_for_workspace(person.workspace).filter(pk__in=counts).order_by("-last_activity_at", "-id")
    return [(thread, counts[thread.pk]) for thread in threads]
