"""The API's input and output shapes for action plans."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from .enums import CheckInStatus, Decision, GoalKind, PlanState, Trend

Title = Annotated[Text, Field(min_length=1, max_length=300)]
Short = Annotated[Text, Field(max_length=200)]
Number = Annotated[Decimal, Field(max_digits=14, decimal_places=4)]
Cadence = Annotated[int, Field(ge=1, le=90)]


class GoalOut(Schema):
    id: UUID
    kind: GoalKind
    title: str
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    deadline: datetime.date | None
    objective: UUID | None
    done_at: datetime.datetime | None


class TaskOut(Schema):
    id: UUID
    title: str
    due_on: datetime.date
    assigned_by: str | None = Field(description="The manager who gave this learning-on-the-job step")
    done_at: datetime.datetime | None


class ValueOut(Schema):
    goal: UUID
    value: Decimal


class SupportOut(Schema):
    id: UUID
    plan: UUID
    participant: str
    text: str
    answer: str
    answered_by: str | None
    answered_at: datetime.datetime | None
    created_at: datetime.datetime


class CheckInOut(Schema):
    id: UUID
    created_at: datetime.datetime
    status: CheckInStatus
    confidence: int
    changed_work: str
    obstacles: str
    support_needed: str
    values: list[ValueOut]


class ReviewOut(Schema):
    decision: Decision
    reviewer: str | None
    comment: str
    created_at: datetime.datetime


class FeedbackOut(Schema):
    id: UUID
    check_in: UUID | None
    author: str | None
    comment: str
    rating: int | None
    created_at: datetime.datetime


class PlanSummaryOut(Schema):
    id: UUID
    enrolment: UUID
    participant: str
    cohort: UUID
    state: PlanState
    cadence_days: int
    last_check_in: datetime.datetime | None
    trend: Trend
    gone_quiet: bool


class PlanOut(PlanSummaryOut):
    private_notes: str | None = Field(description="Only for the participant; null for everyone else")
    goals: list[GoalOut]
    tasks: list[TaskOut]
    check_ins: list[CheckInOut]
    reviews: list[ReviewOut]
    feedback: list[FeedbackOut]


class PlanFilters(Schema):
    state: PlanState | None = None
    cohort: UUID | None = None


class PlanIn(InputSchema):
    enrolment: UUID
    cadence_days: Cadence = 7


class PlanPatch(InputSchema):
    cadence_days: Cadence | None = None
    private_notes: Text | None = None


class GoalIn(InputSchema):
    kind: GoalKind = GoalKind.NUMERIC
    title: Title
    metric: Short = ""
    unit: Annotated[Text, Field(max_length=50)] = ""
    baseline: Number
    target: Number
    deadline: datetime.date | None = None
    objective: UUID | None = None


class GoalPatch(InputSchema):
    kind: GoalKind | None = None
    title: Title | None = None
    metric: Short | None = None
    unit: Annotated[Text, Field(max_length=50)] | None = None
    baseline: Number | None = None
    target: Number | None = None
    deadline: datetime.date | None = None
    objective: UUID | None = None


class TaskIn(InputSchema):
    title: Title
    due_on: datetime.date


class TaskPatch(InputSchema):
    title: Title | None = None
    due_on: datetime.date | None = None
    done: bool | None = None


class CheckInIn(InputSchema):
    status: CheckInStatus
    confidence: Annotated[int, Field(ge=1, le=5)]
    values: dict[UUID, str | float] = Field(default_factory=dict, description="Goal id → value (a number)")
    changed_work: Text = ""
    obstacles: Text = ""
    support_needed: Text = ""


class ReviewIn(InputSchema):
    decision: Literal["approve", "send_back"]
    comment: Text = ""


class FeedbackIn(InputSchema):
    comment: Annotated[Text, Field(min_length=1)]
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    check_in: UUID | None = None


class AnswerIn(InputSchema):
    answer: Annotated[Text, Field(min_length=1)]


class PersonRef(Schema):
    id: UUID
    name: str


class BuddyOut(Schema):
    buddy: PersonRef | None


class BuddyIn(InputSchema):
    person: UUID | None = Field(description="A participant of the same cohort or a member of the same team; null drops")


class GoalProgressOut(GoalOut):
    values: list[ValueOut]


class CheerOut(Schema):
    id: UUID
    goal: UUID | None
    author: str | None
    comment: str
    created_at: datetime.datetime


class CheerIn(InputSchema):
    goal: UUID | None = None
    comment: Annotated[Text, Field(max_length=1000)] = ""


class CheeredPlanOut(Schema):
    id: UUID
    participant: str
    programme: str
    goals: list[GoalProgressOut]
