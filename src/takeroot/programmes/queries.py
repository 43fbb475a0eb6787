"""Reads that the programme pages, the API and the calendar share, scoped to the viewer."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership, report_ids, sees_everyone

from .enums import EnrolmentStatus
from .models import Cohort, Enrolment, Module, Programme, Session


def programmes_for_workspace(workspace: Workspace) -> QuerySet[Programme]:
    return Programme.objects.filter(workspace=workspace)


def programme_detail(workspace: Workspace) -> QuerySet[Programme]:
    """Programmes with modules, objectives and goals loaded in a fixed number of queries."""
    return programmes_for_workspace(workspace).prefetch_related(
        Prefetch("modules", queryset=Module.objects.prefetch_related("objectives")), "goals__team"
    )


def cohorts_for_workspace(workspace: Workspace) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(workspace=workspace)
        .select_related("programme")
        .annotate(
            participant_count=Count(
                "enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN), distinct=True
            )
        )
        .order_by("-starts_on", "name")  # the annotation drops Meta.ordering
    )


def cohorts_for_user(user: User, *, workspace: Workspace) -> QuerySet[Cohort]:
    """Cohorts this person may open: admins and trainers all; mentors and trainers named on a
    cohort theirs; participants their own; line managers those their reports are enrolled in."""
    me = membership(user, workspace)
    cohorts = cohorts_for_workspace(workspace)
    if me is None:
        return cohorts.none()
    if sees_everyone(me):
        return cohorts
    people = {me.pk} | report_ids(me)
    return cohorts.filter(Q(trainers=me) | Q(mentors=me) | Q(enrolments__person_id__in=people)).distinct()


def enrolments_of_cohort(cohort: Cohort) -> QuerySet[Enrolment]:
    return cohort.enrolments.select_related("person__user", "person__team", "manager__user", "mentor__user")


def enrolments_visible_to(user: User, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments this person may see (the rule ``view_enrolment``): designers and the
    cohort's mentors all; a participant their own; a line manager their reporting line's."""
    enrolments = enrolments_of_cohort(cohort)
    me = membership(user, cohort.workspace_id)
    if me is None:
        return enrolments.none()
    if sees_everyone(me) or cohort.mentors.filter(pk=me.pk).exists():
        return enrolments
    return enrolments.filter(Q(person=me) | Q(person_id__in=report_ids(me)))


def enrolments_for_person(person: Person) -> QuerySet[Enrolment]:
    """A person's own trainings, newest first."""
    return (
        Enrolment.objects.filter(person=person)
        .select_related("cohort__programme", "mentor__user")
        .order_by("-cohort__starts_on")
    )


def team_enrolments(manager: Person) -> QuerySet[Enrolment]:
    """Enrolments of everyone in a manager's reporting line."""
    return (
        Enrolment.objects.filter(person_id__in=report_ids(manager))
        .select_related("person__user", "person__team", "cohort__programme")
        .order_by("person__user__name", "-cohort__starts_on")
    )


def sessions_for_user(user: User) -> QuerySet[Session]:
    """Every session of every cohort the person takes part in, across their workspaces: what
    their personal calendar feed shows. Withdrawn enrolments drop out."""
    takes_part = Enrolment.objects.filter(cohort=OuterRef("cohort"), person__user=user).exclude(
        status=EnrolmentStatus.WITHDRAWN
    )
    leads = Cohort.objects.filter(pk=OuterRef("cohort")).filter(Q(trainers__user=user) | Q(mentors__user=user))
    return (
        Session.objects.filter(Exists(takes_part) | Exists(leads))
        .select_related("cohort__programme", "cohort__workspace", "module")
        .order_by("starts_at")
    )


def programme_facts(programmes) -> dict[int, dict]:
    """Per programme id: first and last day of its cohorts, participants (not withdrawn), cohorts,
    and the cost its cost model gives for them. Two queries for any number of programmes."""
    from django.db.models import Max, Min

    ids = [p.pk for p in programmes]
    dates = {
        row["programme_id"]: row
        for row in Cohort.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(starts_on=Min("starts_on"), ends_on=Max("ends_on"), cohorts=Count("id"))
    }
    participants = dict(
        Enrolment.objects.filter(cohort__programme_id__in=ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values("cohort__programme_id")
        .annotate(n=Count("id"))
        .values_list("cohort__programme_id", "n")
    )
    facts = {}
    for programme in programmes:
        row = dates.get(programme.pk, {})
        people, cohorts = participants.get(programme.pk, 0), row.get("cohorts", 0)
        cost = (
            people * programme.price_per_participant
            + cohorts * programme.trainer_hourly_rate * programme.trainer_hours
            + people * programme.mentor_hourly_rate * programme.mentor_hours
            + (programme.fixed_costs if cohorts else 0)
        )
        facts[programme.pk] = {
            "starts_on": row.get("starts_on"),
            "ends_on": row.get("ends_on"),
            "participants": people,
            "cohorts": cohorts,
            "cost": cost,
            "currency": programme.currency,
        }
    return facts
