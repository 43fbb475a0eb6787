"""What a reading measures: one enrolment, a cohort, a module, a programme, a team or the whole
workspace, as the ids the rollup query filters on."""

from dataclasses import dataclass

from django.db.models import Q

from takeroot.core.models import Team, Workspace
from takeroot.core.queries import team_and_descendants
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme
from takeroot.tracking.enums import Level


@dataclass(frozen=True)
class Scope:
    """The rows behind a reading. ``cohort_ids`` always bounds it (the rollups are indexed by
    cohort); ``enrolment_ids`` narrows it to people (an enrolment, a team), ``module_id`` to one
    module. ``team_ids`` lets a team's query join on the people's team instead of listing every
    enrolment; ``workspace_id`` lets the organisation's skip the cohort list."""

    level: Level
    label: str
    cohort_ids: tuple[int, ...]
    enrolment_ids: tuple[int, ...] | None = None
    module_id: int | None = None
    team_ids: tuple[int, ...] | None = None
    workspace_id: int | None = None

    @property
    def per_person(self) -> bool:
        """Whether the scope is people rather than whole cohorts: cohort-only inputs (survey
        results above the anonymity threshold) have no value here."""
        return self.enrolment_ids is not None or self.team_ids is not None

    @classmethod
    def for_enrolment(cls, enrolment: Enrolment) -> "Scope":
        return cls(
            level=Level.ENROLMENT,
            label=enrolment.person.user.name,
            cohort_ids=(enrolment.cohort_id,),
            enrolment_ids=(enrolment.pk,),
            workspace_id=enrolment.workspace_id,
        )

    @classmethod
    def for_cohort(cls, cohort: Cohort) -> "Scope":
        return cls(level=Level.COHORT, label=cohort.name, cohort_ids=(cohort.pk,), workspace_id=cohort.workspace_id)

    @classmethod
    def for_module(cls, module: Module, *, cohort: Cohort | None = None) -> "Scope":
        """A module in one cohort, or in every cohort of its programme."""
        if cohort is not None:
            cohort_ids = (cohort.pk,)
            label = f"{module.title} · {cohort.name}"
        else:
            cohort_ids = tuple(Cohort.objects.filter(programme_id=module.programme_id).values_list("pk", flat=True))
            label = module.title
        return cls(
            level=Level.MODULE,
            label=label,
            cohort_ids=cohort_ids,
            module_id=module.pk,
            workspace_id=module.workspace_id,
        )

    @classmethod
    def for_programme(cls, programme: Programme) -> "Scope":
        cohort_ids = tuple(Cohort.objects.filter(programme=programme).values_list("pk", flat=True))
        return cls(
            level=Level.PROGRAMME, label=programme.name, cohort_ids=cohort_ids, workspace_id=programme.workspace_id
        )

    @classmethod
    def for_team(cls, team: Team) -> "Scope":
        """The enrolments of the team's people and of its sub-teams' people."""
        team_ids = tuple(found.pk for found in team_and_descendants(team))
        rows = Enrolment.objects.filter(person__team_id__in=team_ids).values_list("pk", "cohort_id")
        return cls(
            level=Level.TEAM,
            label=team.name,
            cohort_ids=tuple(sorted({cohort_id for _pk, cohort_id in rows})),
            enrolment_ids=tuple(pk for pk, _cohort_id in rows),
            team_ids=team_ids,
            workspace_id=team.workspace_id,
        )

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> "Scope":
        cohort_ids = tuple(Cohort.objects.filter(workspace=workspace).values_list("pk", flat=True))
        return cls(level=Level.WORKSPACE, label=workspace.name, cohort_ids=cohort_ids, workspace_id=workspace.pk)

    def rollup_filter(self, prefix: str = "") -> Q:
        """The rows of this scope, on the rollups (``prefix`` "") or on enrolments ("enrolment")."""
        on_enrolment = prefix == "enrolment"
        enrolment = "pk" if on_enrolment else "enrolment_id"
        team = "person__team_id" if on_enrolment else "enrolment__person__team_id"
        if self.level == Level.WORKSPACE and self.workspace_id is not None:
            found = Q(workspace_id=self.workspace_id)
        else:
            found = Q(cohort_id__in=self.cohort_ids)
        if self.team_ids is not None:
            found &= Q(**{f"{team}__in": self.team_ids})
        elif self.enrolment_ids is not None:
            found &= Q(**{f"{enrolment}__in": self.enrolment_ids})
        if self.module_id is not None and not on_enrolment:
            found &= Q(module_id=self.module_id)
        return found
