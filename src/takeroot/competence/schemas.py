"""The API's input and output shapes for competence-development plans."""

import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

from takeroot.catalogue.enums import InitiativeKind
from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from .enums import PlannedStatus, Recurrence, Weekday
from .models import FIRST_YEAR, LAST_YEAR


def _local_time(value: datetime.time) -> datetime.time:
    # Blocks are at a local time of the plan's time zone; an offset would say something else.
    if value.tzinfo is not None:
        raise ValueError("Give a local time without an offset, e.g. 12:00.")
    return value


Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
TimeZone = Annotated[Text, Field(min_length=1, max_length=64)]
Title = Annotated[Text, Field(min_length=1, max_length=300)]
BlockTitle = Annotated[Text, Field(min_length=1, max_length=200)]
LocalTime = Annotated[datetime.time, AfterValidator(_local_time)]
PlannedHours = Annotated[Decimal, Field(ge=0, le=9999, max_digits=6, decimal_places=2)]


class GoalProgressOut(Schema):
    planned: int = Field(description="Initiatives planned or done (cancelled ones do not count)")
    done: int


class PlannedInitiativeOut(Schema):
    id: UUID
    goal: UUID
    initiative: UUID
    initiative_title: str
    status: PlannedStatus
    planned_hours: Decimal | None


class GoalOut(Schema):
    id: UUID
    position: int
    title: str
    description: str
    progress: GoalProgressOut
    initiatives: list[PlannedInitiativeOut]


class BlockOut(Schema):
    id: UUID
    title: str
    weekday: Weekday = Field(description="0 is Monday")
    starts_at: datetime.time
    ends_at: datetime.time
    every_weeks: Recurrence
    starts_on: datetime.date
    ends_on: datetime.date
    sequence: int
    description: str = Field(description='In words, e.g. "Every Friday 12:00–13:00 (Europe/Warsaw)"')
    hours_per_member: float = Field(description="Every occurrence times its length")


class PlanProgressOut(Schema):
    planned: int
    done: int
    members: int
    hours_reserved_per_member: float
    hours_reserved: float
    hours_used: float = Field(description="Sessions of Takeroot cohorts the members took part in, this year")


class PlanSummaryOut(Schema):
    id: UUID = Field(alias="uuid")
    team: UUID
    team_name: str
    year: int
    timezone: str
    summary: str

    @staticmethod
    def resolve_team(plan) -> UUID:
        return plan.team.uuid

    @staticmethod
    def resolve_team_name(plan) -> str:
        return plan.team.name


class PlanOut(Schema):
    id: UUID
    team: UUID
    team_name: str
    year: int
    timezone: str
    summary: str
    goals: list[GoalOut]
    blocks: list[BlockOut]
    progress: PlanProgressOut


class PlanIn(InputSchema):
    team: UUID
    year: Year
    timezone: TimeZone | None = Field(None, description="Defaults to the creator's time zone")
    summary: Text = ""
    copy_previous: bool = Field(False, description="Start from the team's plan of the year before, if there is one")


class PlanPatch(InputSchema):
    timezone: TimeZone = Field(None)
    summary: Text = Field(None)


class PlanFilters(Schema):
    year: Year | None = None
    team: UUID | None = None


class RollupFilters(Schema):
    year: Year | None = Field(None, description="Defaults to the current year")


class RollupRowOut(Schema):
    team: UUID
    team_name: str
    plan: UUID | None
    members: int
    goals: int
    planned: int
    done: int
    hours_reserved: float
    hours_used: float


class RollupOut(Schema):
    year: int
    plans: int
    goals: int
    planned: int
    done: int
    hours_reserved: float
    hours_used: float
    teams: list[RollupRowOut]


class GoalIn(InputSchema):
    title: Title
    description: Text = ""


class GoalPatch(InputSchema):
    title: Title = Field(None)
    description: Text = Field(None)
    position: int = Field(None, ge=0, le=1000, description="0 is first")


class NewInitiativeIn(InputSchema):
    title: Title
    kind: InitiativeKind = InitiativeKind.WORKSHOP


class PlannedInitiativeIn(InputSchema):
    goal: UUID
    initiative: UUID | None = Field(None, description="An initiative of the catalogue…")
    new_initiative: NewInitiativeIn | None = Field(None, description="…or a new one, added to the catalogue")
    status: PlannedStatus = PlannedStatus.PLANNED
    planned_hours: PlannedHours | None = None


class PlannedInitiativePatch(InputSchema):
    goal: UUID = Field(None)
    status: PlannedStatus = Field(None)
    planned_hours: PlannedHours | None = None


class BlockIn(InputSchema):
    title: BlockTitle
    weekday: Weekday = Field(description="0 is Monday")
    starts_at: LocalTime
    ends_at: LocalTime
    every_weeks: Recurrence = Recurrence.WEEKLY
    starts_on: datetime.date | None = Field(None, description="Defaults to 1 January of the plan's year")
    ends_on: datetime.date | None = Field(None, description="Defaults to 31 December of the plan's year")


class BlockPatch(InputSchema):
    title: BlockTitle = Field(None)
    weekday: Weekday = Field(None)
    starts_at: LocalTime = Field(None)
    ends_at: LocalTime = Field(None)
    every_weeks: Recurrence = Field(None)
    starts_on: datetime.date = Field(None)
    ends_on: datetime.date = Field(None)
