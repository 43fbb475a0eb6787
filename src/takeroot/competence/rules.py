"""Who may read and keep the competence-development plans.

Workspace-level permissions take the workspace; plan-level ones the plan (goals, planned
initiatives and blocks are checked through their plan); ``plans.plan_for_team`` takes a team.
"""

import rules

from takeroot.core.models import Team
from takeroot.core.queries import membership
from takeroot.core.rules import is_admin

from .models import CompetencePlan
from .queries import teams_led_by


def _me(user, obj):
    workspace_id = obj.workspace_id if hasattr(obj, "workspace_id") else obj.pk
    return membership(user, workspace_id)


def _team_id(obj) -> int | None:
    if isinstance(obj, CompetencePlan):
        return obj.team_id
    if isinstance(obj, Team):
        return obj.pk
    return None


@rules.predicate
def leads_a_team(user, obj) -> bool:
    return bool(teams_led_by(_me(user, obj)))


@rules.predicate
def is_in_a_team(user, obj) -> bool:
    me = _me(user, obj)
    return bool(me and me.team_id)


@rules.predicate
def leads_the_team(user, obj) -> bool:
    team_id = _team_id(obj)
    return team_id is not None and team_id in teams_led_by(_me(user, obj))


@rules.predicate
def is_team_member(user, obj) -> bool:
    me, team_id = _me(user, obj), _team_id(obj)
    return bool(me and team_id is not None and me.team_id == team_id)


rules.add_perm("competence.view_plans", is_admin | leads_a_team | is_in_a_team)
rules.add_perm("competence.create_plan", is_admin | leads_a_team)
rules.add_perm("competence.plan_for_team", is_admin | leads_the_team)
rules.add_perm("competence.view_plan", is_admin | leads_the_team | is_team_member)
rules.add_perm("competence.change_plan", is_admin | leads_the_team)
rules.add_perm("competence.view_rollup", is_admin)
