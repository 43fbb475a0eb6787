"""Reads of retrospectives that pages, the API, the demo and the report share."""

import datetime

from django.db.models import Count, Q, QuerySet

from takeroot.catalogue.models import Initiative
from takeroot.catalogue.queries import InitiativeFacts, initiative_facts, initiatives_for_workspace
from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from .models import EffectIndicator, Rater, Rating, Retrospective


def retrospectives_for_workspace(workspace: Workspace) -> QuerySet[Retrospective]:
    """Every retrospective of the workspace, before any role rule: tells 403 (here) from 404."""
    return Retrospective.objects.filter(workspace=workspace).select_related("workspace", "opened_by")


def with_progress(retrospectives: QuerySet[Retrospective]) -> QuerySet[Retrospective]:
    """Each retrospective with ``raters_invited`` and ``raters_done`` (submitted) counted."""
    return retrospectives.annotate(
        raters_invited=Count("raters", distinct=True),
        raters_done=Count("raters", filter=Q(raters__submitted_at__isnull=False), distinct=True),
        initiative_count=Count("initiatives", distinct=True),
    )


def retrospectives_for_user(user: User, workspace: Workspace) -> QuerySet[Retrospective]:
    """Admins see every retrospective of the workspace; everyone else the ones they are invited to."""
    me = membership(user, workspace)
    retrospectives = retrospectives_for_workspace(workspace)
    if me is None:
        return retrospectives.none()
    if me.is_admin:
        return retrospectives
    # A subquery, not a join: counts annotated later must see every rater.
    return retrospectives.filter(pk__in=Rater.objects.filter(person=me).values("retrospective_id"))


def rater_for_user(retrospective: Retrospective, user: User) -> Rater | None:
    """The signed-in person's invitation to this retrospective, if they have one."""
    me = membership(user, retrospective.workspace_id)
    if me is None:
        return None
    return Rater.objects.filter(retrospective=retrospective, person=me).select_related("person__user").first()


def open_invitations_for_person(person: Person) -> QuerySet[Rater]:
    """Open retrospectives this person is asked to rate and has not yet said they are done with."""
    return (
        Rater.objects.filter(
            workspace_id=person.workspace_id,
            person=person,
            submitted_at__isnull=True,
            retrospective__state="open",
        )
        .select_related("retrospective")
        .order_by("retrospective__period_end", "pk")
    )


def raters_of(retrospective: Retrospective) -> QuerySet[Rater]:
    return (
        Rater.objects.filter(retrospective=retrospective)
        .select_related("person__user", "person__team")
        .annotate(rating_count=Count("ratings"))
        .order_by("group", "person__user__name", "pk")
    )


def ratings_of(retrospective: Retrospective, *, rater: Rater | None = None) -> QuerySet[Rating]:
    """Every rating of the retrospective, or one rater's."""
    ratings = Rating.objects.filter(rater__retrospective=retrospective).select_related(
        "rater__person__user", "initiative"
    )
    if rater is not None:
        ratings = ratings.filter(rater=rater)
    return ratings.order_by("initiative__title", "rater__person__user__name", "pk")


def indicators_of(retrospective: Retrospective) -> QuerySet[EffectIndicator]:
    return EffectIndicator.objects.filter(retrospective=retrospective).select_related("initiative", "entered_by")


def rating_counts(retrospective: Retrospective) -> dict[int, int]:
    """How many raters rated each initiative (initiative id → count)."""
    return dict(
        Rating.objects.filter(rater__retrospective=retrospective)
        .values("initiative_id")
        .annotate(n=Count("id"))
        .values_list("initiative_id", "n")
    )


def _overlaps(facts: InitiativeFacts, start: datetime.date, end: datetime.date) -> bool:
    first = facts.starts_on or facts.ends_on
    last = facts.ends_on or facts.starts_on
    return first is not None and first <= end and last >= start


def with_facts(initiatives) -> list[Initiative]:
    """The initiatives as a list, each with ``facts`` (dates from the linked programme when there is one)."""
    rows = list(initiatives)
    facts = initiative_facts(rows)
    for row in rows:
        row.facts = facts[row.pk]
    return rows


def initiatives_in_period(
    workspace: Workspace, start: datetime.date, end: datetime.date, *, include_undated: bool = False
) -> list[Initiative]:
    """Catalogue initiatives whose dates (the programme's when linked) overlap ``start``–``end``,
    with their ``facts``. Undated initiatives only when asked for."""
    rows = with_facts(initiatives_for_workspace(workspace))
    undated = [row for row in rows if row.facts.starts_on is None and row.facts.ends_on is None]
    return [row for row in rows if _overlaps(row.facts, start, end) or (include_undated and row in undated)]


def initiatives_under_review(retrospective: Retrospective) -> list[Initiative]:
    """The retrospective's initiatives with their ``facts``, newest first, undated last."""
    return with_facts(
        initiatives_for_workspace(retrospective.workspace).filter(pk__in=retrospective.initiatives.values("pk"))
    )


def leadership_group(workspace: Workspace) -> QuerySet[Person]:
    """Everyone who is an admin or a line manager (by role, or by having someone report to them)."""
    managers = Person.objects.filter(workspace=workspace, manager__isnull=False).values("manager_id")
    return (
        Person.objects.filter(workspace=workspace)
        .filter(Q(is_admin=True) | Q(is_manager=True) | Q(pk__in=managers))
        .select_related("user")
        .order_by("user__name", "pk")
    )


def participants_of(initiatives: list[Initiative], start: datetime.date, end: datetime.date) -> list[Person]:
    """The people who took part in these initiatives: listed on them, members of their teams, and
    participants (not withdrawn) of the linked programme's cohorts that ran in the period."""
    if not initiatives:
        return []
    workspace_id = initiatives[0].workspace_id
    ids = [initiative.pk for initiative in initiatives]
    listed = Initiative.people.through.objects.filter(initiative_id__in=ids).values("person_id")
    teams = Initiative.teams.through.objects.filter(initiative_id__in=ids).values("team_id")
    programmes = [initiative.programme_id for initiative in initiatives if initiative.programme_id]
    enrolled = (
        Enrolment.objects.filter(
            workspace_id=workspace_id,
            cohort__programme_id__in=programmes,
            cohort__starts_on__lte=end,
            cohort__ends_on__gte=start,
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values("person_id")
    )
    return list(
        Person.objects.filter(workspace_id=workspace_id)
        .filter(Q(pk__in=listed) | Q(team_id__in=teams) | Q(pk__in=enrolled))
        .select_related("user")
        .order_by("user__name", "pk")
    )


def workspace_people_by_name(workspace: Workspace) -> QuerySet[Person]:
    return Person.objects.filter(workspace=workspace).select_related("user").order_by("user__name", "pk")
