"""The API's input and output shapes for retrospectives, raters, ratings and effect indicators."""

import datetime
import re
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool

from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from .enums import RaterGroup, RetrospectiveState, StuckLevel, WhyTag
from .services import COMMENT_MAX, OTHER_REASON_MAX


def _iso_date(value):
    # Pydantic would also read a number as a Unix timestamp; a day is written YYYY-MM-DD.
    if isinstance(value, datetime.date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return value
    raise ValueError("Write the day as YYYY-MM-DD.")


def _whole_number(value):
    # Not "2", 2.0 or true: the level is one of the numbers 0 to 3.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("Give the level as a whole number from 0 to 3.")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Day = Annotated[datetime.date, BeforeValidator(_iso_date)]
Title = Annotated[Text, Field(min_length=1, max_length=200)]
Ids = Annotated[list[UUID], Field(max_length=1000)]
Value = Annotated[Decimal, Field(max_digits=14, decimal_places=2, allow_inf_nan=False)]


class RetrospectiveOut(Schema):
    """A retrospective with the ids of its initiatives under review and how many raters are done."""

    id: UUID = Field(alias="uuid")
    title: str
    period_start: datetime.date
    period_end: datetime.date
    state: RetrospectiveState
    introduction: str
    initiatives: list[UUID]
    raters_invited: int
    raters_done: int
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_initiatives(retrospective) -> list[UUID]:
        return [initiative.uuid for initiative in retrospective.initiatives.all()]

    @staticmethod
    def resolve_raters_invited(retrospective) -> int:
        found = getattr(retrospective, "raters_invited", None)
        return found if found is not None else retrospective.raters.count()

    @staticmethod
    def resolve_raters_done(retrospective) -> int:
        found = getattr(retrospective, "raters_done", None)
        return found if found is not None else retrospective.raters.filter(submitted_at__isnull=False).count()


class RetrospectiveIn(InputSchema):
    """Open a retrospective. Without a period: the last two years up to today. Without
    ``initiatives``: the catalogue's initiatives dated in the period. ``leadership`` and
    ``participants`` are people to invite, each in that group."""

    title: Annotated[Text, Field(max_length=200)] = ""
    period_start: Day | None = None
    period_end: Day | None = None
    introduction: Annotated[Text, Field(max_length=5000)] = ""
    initiatives: Ids | None = None
    leadership: Ids = Field(default_factory=list)
    participants: Ids = Field(default_factory=list)


class RetrospectivePatch(InputSchema):
    # Absent means unchanged. Initiatives taken off the list lose their ratings and indicators.
    title: Title = Field(None)
    period_start: Day = Field(None)
    period_end: Day = Field(None)
    introduction: Annotated[Text, Field(max_length=5000)] = Field(None)
    initiatives: Ids = Field(None)


class RaterOut(Schema):
    id: UUID = Field(alias="uuid")
    person: UUID = Field(alias="person.uuid")
    name: str = Field(alias="person.user.name")
    group: RaterGroup
    invited_at: datetime.datetime | None
    submitted_at: datetime.datetime | None


class RatersIn(InputSchema):
    people: Annotated[list[UUID], Field(min_length=1, max_length=1000)]
    group: RaterGroup = RaterGroup.LEADERSHIP


class RatingOut(Schema):
    """One rater's answer about one initiative; an initiative they do not know has none."""

    initiative: UUID = Field(alias="initiative.uuid")
    rater: UUID = Field(alias="rater.uuid")
    group: RaterGroup = Field(alias="rater.group")
    level: StuckLevel
    reasons: list[WhyTag]
    other_reason: str
    repeat: bool
    comment: str
    updated_at: datetime.datetime


class RatingIn(InputSchema):
    """The signed-in rater's answer. ``other`` among the reasons needs ``other_reason``."""

    level: Annotated[StuckLevel, BeforeValidator(_whole_number)]
    reasons: Annotated[list[WhyTag], Field(max_length=len(WhyTag.values))] = Field(default_factory=list)
    other_reason: Annotated[Text, Field(max_length=OTHER_REASON_MAX)] = ""
    repeat: StrictBool = False
    comment: Annotated[Text, Field(max_length=COMMENT_MAX)] = ""


class IndicatorOut(Schema):
    id: UUID = Field(alias="uuid")
    initiative: UUID = Field(alias="initiative.uuid")
    initiative_title: str = Field(alias="initiative.title")
    name: str
    value: Decimal
    unit: str
    source: str
    created_at: datetime.datetime


class IndicatorIn(InputSchema):
    initiative: UUID
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    value: Value
    unit: Annotated[Text, Field(max_length=40)] = ""
    source: Annotated[Text, Field(min_length=1, max_length=300)]
