"""The peer learning API's input and output shapes."""

import datetime
from uuid import UUID

from ninja import Field, Schema

from takeroot.core.schemas import InputSchema

from .enums import GroupingMode, GroupKind, ThreadScope


class PersonRef(Schema):
    id: UUID
    name: str
    team: str | None = None


class GroupOut(Schema):
    id: UUID
    cohort: UUID
    name: str
    kind: GroupKind
    members: list[PersonRef]


class GroupIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    members: list[UUID] = Field(
        default_factory=list, description="People (membership ids) of the cohort, not yet in a group"
    )


class GroupPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    add: list[UUID] = Field(default_factory=list, description="People to add (or move here from another group)")
    remove: list[UUID] = Field(default_factory=list, description="Members to take out of the group")


class AutoGroupIn(InputSchema):
    size: int = Field(2, ge=2, le=6)
    mode: GroupingMode = GroupingMode.MIXED_TEAMS
    preview: bool = Field(True, description="Only show the proposed groups; send false to save them")


class ProposedGroupOut(Schema):
    name: str
    kind: GroupKind
    members: list[PersonRef]


class AutoGroupOut(Schema):
    saved: bool
    groups: list[ProposedGroupOut]


class PostOut(Schema):
    id: UUID
    thread: UUID
    author: PersonRef | None
    text: str | None = Field(description="Empty for a hidden post unless you wrote it or moderate it")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    hidden: bool
    hidden_reason: str | None


class ThreadOut(Schema):
    id: UUID
    scope: ThreadScope
    cohort: UUID | None
    group: UUID | None
    team: UUID | None
    title: str
    author: PersonRef | None
    pinned: bool
    locked: bool
    hidden: bool
    hidden_reason: str | None
    created_at: datetime.datetime
    last_activity_at: datetime.datetime
    posts: int


class ThreadDetailOut(ThreadOut):
    items: list[PostOut]


class ThreadFilters(Schema):
    cohort: UUID | None = None
    group: UUID | None = None
    team: UUID | None = None


class ThreadIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=10_000)
    cohort: UUID | None = Field(None, description="Start it in this cohort's community")
    group: UUID | None = Field(None, description="Start it in this group")
    team: UUID | None = Field(None, description="Share it as an insight with this team (its ambassador only)")


class ThreadPatch(InputSchema):
    """Moderation: pin, lock, hide (with a reason) or show again."""

    pinned: bool | None = None
    locked: bool | None = None
    hidden: bool | None = None
    reason: str | None = Field(None, max_length=500)


class PostIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=10_000)


class PostPatch(InputSchema):
    """``text``: the author, within 30 minutes. ``hidden`` and ``reason``: moderators."""

    text: str | None = Field(None, min_length=1, max_length=10_000)
    hidden: bool | None = None
    reason: str | None = Field(None, max_length=500)


class AmbassadorOut(Schema):
    team: UUID
    team_name: str
    ambassador: PersonRef | None
    named_at: datetime.datetime | None


class AmbassadorIn(InputSchema):
    person: UUID = Field(description="A member of the team (membership id)")
