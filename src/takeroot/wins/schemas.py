"""The API's input and output shapes for wins and the wins digest."""

import datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from .enums import DigestState, ReactionKind, Sharing, WinSource

Title = Annotated[Text, Field(min_length=1, max_length=300)]


class ReactionOut(Schema):
    kind: ReactionKind
    label: str
    count: int
    mine: bool = Field(description="Whether the signed-in person gave this reaction (always false for API keys)")


class WinOut(Schema):
    id: UUID
    participant: UUID = Field(description="The participant's person id")
    participant_name: str
    title: str
    story: str
    source: WinSource
    marked_by: str | None
    plan: UUID | None
    goal: UUID | None
    cohort: UUID | None
    sharing: Sharing
    created_at: datetime.datetime
    shared_at: datetime.datetime | None
    reactions: list[ReactionOut]


class WinFilters(Schema):
    sharing: Sharing | None = None
    participant: UUID | None = None
    team: UUID | None = Field(None, description="Only wins of people in this team (and the teams below it)")


class WinIn(InputSchema):
    participant: UUID = Field(description="The person the win belongs to")
    title: Title
    story: Text = Field("", max_length=10_000)
    goal: UUID | None = Field(None, description="A goal of the participant's action plan")


class SharingIn(InputSchema):
    sharing: Literal["shared", "private"]


class ReactionIn(InputSchema):
    kind: ReactionKind


class ReactionToggleOut(Schema):
    kind: ReactionKind
    given: bool = Field(description="Whether the reaction is there now (false: it was taken back)")
    reactions: list[ReactionOut]


class DigestEntryOut(Schema):
    win: UUID
    position: int
    title: str
    story: str
    participant_name: str
    included: bool


class DigestSummaryOut(Schema):
    id: UUID
    month: datetime.date
    state: DigestState
    sent_at: datetime.datetime | None


class DigestOut(DigestSummaryOut):
    intro: str
    entries: list[DigestEntryOut] = Field(description="Admins see every entry; others the published ones")
