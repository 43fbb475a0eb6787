"""Who owns a new ticket.

The workspace's own ``RoutingRule`` for the category comes first (one for the ticket's programme
before the workspace-wide one). Then the defaults: a mentored participant's tickets go to their
mentor; questions about the content to the cohort's first trainer; everything else (resources,
schedule, technical problems, complaints, other) to an admin. A rule or default that finds nobody
(no trainer, no mentor, an inactive account) falls through to the next, ending with an admin, so
no ticket is left without an owner while the workspace has an active admin.
"""

from takeroot.core.models import Person, Workspace
from takeroot.programmes.models import Cohort, Enrolment, Programme

from .enums import Category, RouteTo
from .models import RoutingRule


def _active(person: Person | None) -> Person | None:
    return person if person is not None and person.user.is_active else None


def first_trainer(cohort: Cohort | None) -> Person | None:
    """The cohort's first trainer (in the order they were added) with an active account."""
    if cohort is None:
        return None
    through = Cohort.trainers.through
    rows = through.objects.filter(cohort=cohort, person__user__is_active=True).select_related("person__user")
    row = rows.order_by("id").first()
    return row.person if row else None


def first_admin(workspace: Workspace) -> Person | None:
    """The workspace's first admin with an active account (the earliest to join)."""
    people = Person.objects.filter(workspace=workspace, is_admin=True, user__is_active=True)
    return people.select_related("user").order_by("created_at", "id").first()


def mentor_of(enrolment: Enrolment | None) -> Person | None:
    """The participant's mentor: the enrolment's own, else the cohort's first mentor."""
    if enrolment is None:
        return None
    if enrolment.mentor_id:
        return _active(enrolment.mentor)
    return _active(enrolment.cohort.mentors.select_related("user").order_by("id").first())


def _by_rule(rule: RoutingRule, *, workspace: Workspace, enrolment: Enrolment | None) -> Person | None:
    cohort = enrolment.cohort if enrolment else None
    if rule.route_to == RouteTo.PERSON:
        return _active(rule.person)
    if rule.route_to == RouteTo.TRAINER:
        return first_trainer(cohort)
    if rule.route_to == RouteTo.MENTOR:
        return mentor_of(enrolment)
    return first_admin(workspace)


def owner_for(
    *, workspace: Workspace, category: str, enrolment: Enrolment | None, programme: Programme | None
) -> Person | None:
    """The person a new ticket of ``category`` goes to (None only when the workspace has no active
    admin and nothing else matched)."""
    if programme is None and enrolment is not None:
        programme = enrolment.cohort.programme
    rules = RoutingRule.objects.filter(workspace=workspace, category=category).select_related("person__user")
    chosen = None
    if programme is not None:
        chosen = rules.filter(programme=programme).first()
    chosen = chosen or rules.filter(programme__isnull=True).first()
    if chosen is not None:
        owner = _by_rule(chosen, workspace=workspace, enrolment=enrolment)
        if owner is not None:
            return owner
    owner = mentor_of(enrolment) if enrolment is not None and enrolment.mentor_id else None
    if owner is None and category == Category.CONTENT:
        owner = first_trainer(enrolment.cohort if enrolment else None)
    return owner or first_admin(workspace)
