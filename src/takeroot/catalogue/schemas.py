"""The API's input and output shapes for the initiative catalogue."""

import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import CURRENCY, Money, Text

from .enums import InitiativeKind
from .queries import initiative_facts

HeadCount = Annotated[int, Field(ge=0, le=2_147_483_647)]  # what a PositiveIntegerField stores everywhere
Title = Annotated[Text, Field(min_length=1, max_length=300)]
Provider = Annotated[Text, Field(max_length=200)]
# The attribute the list endpoint sets on each initiative of a page, so the facts of a page
# are read together (``initiative_facts``), not one initiative at a time.
FACTS_ATTRIBUTE = "_catalogue_facts"


def _cents(value: Decimal | None) -> Decimal | None:
    # A programme's cost is rates times hours, with four decimals; money is shown with two.
    return value.quantize(Decimal("0.01")) if value is not None else None


class InitiativeFactsOut(Schema):
    """What the catalogue shows: from the linked programme's cohorts when there is one
    (``from_programme``), otherwise as entered (the head count falls back to the people named)."""

    starts_on: datetime.date | None
    ends_on: datetime.date | None
    head_count: int | None
    cost: Annotated[Decimal | None, AfterValidator(_cents)]
    currency: str
    from_programme: bool


class InitiativeOut(Schema):
    """An initiative as entered, and its ``facts``. Amounts are decimals, written as strings."""

    id: UUID = Field(alias="uuid")
    kind: InitiativeKind
    title: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    provider: str
    goals: str
    head_count: int | None
    cost: Decimal | None
    currency: str
    programme: UUID | None
    teams: list[UUID]
    people: list[UUID]
    facts: InitiativeFactsOut

    @staticmethod
    def resolve_programme(initiative) -> UUID | None:
        return initiative.programme.uuid if initiative.programme else None

    @staticmethod
    def resolve_teams(initiative) -> list[UUID]:
        return [team.uuid for team in initiative.teams.all()]

    @staticmethod
    def resolve_people(initiative) -> list[UUID]:
        return [person.uuid for person in initiative.people.all()]

    @staticmethod
    def resolve_facts(initiative):
        facts = getattr(initiative, FACTS_ATTRIBUTE, None)
        return facts if facts is not None else initiative_facts([initiative])[initiative.pk]


class InitiativeIn(InputSchema):
    kind: InitiativeKind = InitiativeKind.WORKSHOP
    title: Title
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    provider: Provider = ""
    goals: Text = ""
    head_count: HeadCount | None = None
    cost: Money | None = None
    currency: str = Field("EUR", pattern=CURRENCY)
    programme: UUID | None = None
    teams: list[UUID] = Field(default_factory=list, max_length=1000)
    people: list[UUID] = Field(default_factory=list, max_length=1000)


class InitiativePatch(InputSchema):
    # Absent means unchanged; dates, head count, cost and programme can be emptied with null.
    kind: InitiativeKind = Field(None)
    title: Title = Field(None)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    provider: Provider = Field(None)
    goals: Text = Field(None)
    head_count: HeadCount | None = None
    cost: Money | None = None
    currency: str = Field(None, pattern=CURRENCY)
    programme: UUID | None = None
    teams: list[UUID] = Field(None, max_length=1000)
    people: list[UUID] = Field(None, max_length=1000)


class InitiativeFilters(Schema):
    kind: InitiativeKind | None = None
    q: Annotated[Text, Field(max_length=200)] | None = None
    year: int | None = Field(None, ge=1, le=9999)
