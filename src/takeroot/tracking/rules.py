"""Who may see and do what with learning data, indicators, at-risk flags and findings.

LMS connections, mappings, indicators and imports belong to the admins (trainers may import files
for the cohorts they train). Dashboards follow the people: trainers and mentors see their cohorts,
the programme's trainers its programme, line managers their team, admins everything, and a
participant their own progress. A flag is seen and acted on by whoever looks after the
participant: admins, the cohort's trainers, the mentor and, where the workspace allows, the line
manager. Findings and design changes belong to those who design the programme.
"""

import rules

from takeroot.core.models import Team
from takeroot.core.queries import membership, report_ids
from takeroot.core.rules import has_reports, is_admin, is_manager_role, is_mentor, is_trainer
from takeroot.programmes.models import Enrolment, Programme
from takeroot.programmes.rules import is_cohort_mentor, is_cohort_trainer, is_own_enrolment, manages_the_enrolled


def _me(user, obj):
    return membership(user, obj.workspace_id)


def _enrolment_of(obj) -> Enrolment | None:
    if isinstance(obj, Enrolment):
        return obj
    return getattr(obj, "enrolment", None)


@rules.predicate
def trains_the_programme(user, programme) -> bool:
    me = isinstance(programme, Programme) and _me(user, programme)
    return bool(me and programme.cohorts.filter(trainers=me).exists())


@rules.predicate
def looks_after(user, obj) -> bool:
    """The cohort's trainers and mentors and the enrolment's own mentor."""
    enrolment = _enrolment_of(obj)
    if enrolment is None:
        return False
    me = _me(user, enrolment)
    return (
        bool(me and enrolment.mentor_id == me.pk)
        or is_cohort_trainer(user, enrolment.cohort)
        or is_cohort_mentor(user, enrolment.cohort)
    )


@rules.predicate
def manager_allowed(user, obj) -> bool:
    """A line manager, when the workspace lets managers see flags."""
    from .queries import tracking_settings

    enrolment = _enrolment_of(obj)
    allowed = enrolment is not None and tracking_settings(enrolment.workspace_id).notify_managers
    return bool(allowed and manages_the_enrolled(user, enrolment))


@rules.predicate
def manages_the_team(user, team) -> bool:
    me = isinstance(team, Team) and _me(user, team)
    return bool(me and Team.objects.filter(pk=team.pk, members__pk__in=report_ids(me)).exists())


@rules.predicate
def is_own(user, obj) -> bool:
    enrolment = _enrolment_of(obj)
    return bool(enrolment and is_own_enrolment(user, enrolment))


# The workspace.
rules.add_perm("tracking.view_connections", is_admin)
rules.add_perm("tracking.manage_connections", is_admin)
rules.add_perm("tracking.view_mappings", is_admin)
rules.add_perm("tracking.manage_mappings", is_admin)
rules.add_perm("tracking.manage_indicators", is_admin)
rules.add_perm("tracking.change_settings", is_admin)
rules.add_perm("tracking.import_activity", is_admin | is_trainer)
rules.add_perm("tracking.view_organisation", is_admin)
rules.add_perm("tracking.view_indicators", is_admin | is_trainer)
# The menu's "Dashboards", "At risk" and "Findings": who looks after someone (the objects decide the rest).
rules.add_perm("tracking.view_dashboards", is_admin | is_trainer | is_mentor | has_reports)
rules.add_perm("tracking.view_flags", is_admin | is_trainer | is_mentor | is_manager_role | has_reports)
rules.add_perm("tracking.view_findings_index", is_admin | is_trainer)
# The cohort.
rules.add_perm("tracking.view_cohort_dashboard", is_admin | is_cohort_trainer | is_cohort_mentor)
# The programme.
rules.add_perm("tracking.view_programme_dashboard", is_admin | trains_the_programme)
rules.add_perm("tracking.view_findings", is_admin | trains_the_programme)
rules.add_perm("tracking.record_design_change", is_admin | trains_the_programme)
# The team.
rules.add_perm("tracking.view_team_dashboard", is_admin | manages_the_team)
# The enrolment (or a flag, through its enrolment).
rules.add_perm("tracking.view_progress", is_own | is_admin | looks_after | manages_the_enrolled)
rules.add_perm("tracking.view_flag", is_admin | looks_after | manager_allowed)
rules.add_perm("tracking.act_on_flag", is_admin | looks_after | manager_allowed)
