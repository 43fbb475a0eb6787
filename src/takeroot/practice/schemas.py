"""The API's input and output shapes for practice tasks."""

import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema

from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from .enums import AssignmentState, ReviewRole, Verdict

Title = Annotated[Text, Field(min_length=1, max_length=300)]


class CompletionOut(Schema):
    assigned: int
    submitted: int = Field(description="Assignments with at least one report")
    completed: int
    percent_completed: int


class TaskOut(Schema):
    id: UUID
    cohort: UUID
    title: str
    instructions: str
    due_on: datetime.date
    module: UUID | None
    completion: CompletionOut


class TaskFilters(Schema):
    cohort: UUID | None = None


class TaskIn(InputSchema):
    cohort: UUID
    title: Title
    instructions: Annotated[Text, Field(min_length=1)]
    due_on: datetime.date
    module: UUID | None = None


class TaskPatch(InputSchema):
    title: Title | None = None
    instructions: Annotated[Text, Field(min_length=1)] | None = None
    due_on: datetime.date | None = None
    module: UUID | None = None


class AssignIn(InputSchema):
    enrolments: list[UUID] | None = Field(
        default=None, description="Enrolments of the task's cohort; leave out for everyone enrolled"
    )


class AttachmentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    download_url: str = Field(description="Signed-in download through the web (same rules)")


class ReviewOut(Schema):
    id: UUID
    role: ReviewRole
    verdict: Verdict
    reviewer: str | None
    comment: str
    created_at: datetime.datetime


class ReportOut(Schema):
    id: UUID
    version: int
    text: str
    submitted_at: datetime.datetime
    attachments: list[AttachmentOut]
    reviews: list[ReviewOut]


class AssignmentSummaryOut(Schema):
    id: UUID
    task: UUID
    enrolment: UUID
    participant: str
    supervisor: str | None
    state: AssignmentState
    submitted_at: datetime.datetime | None
    completed_at: datetime.datetime | None


class AssignmentOut(AssignmentSummaryOut):
    needs_supervisor: bool = Field(description="Whether the supervisor's acceptance is needed to complete")
    reports: list[ReportOut] = Field(description="Newest version first")


class ReportIn(InputSchema):
    text: Annotated[Text, Field(min_length=1)]


class ReviewIn(InputSchema):
    role: ReviewRole
    verdict: Verdict
    comment: Text = ""


class CohortCompletionOut(Schema):
    cohort: UUID
    completion: CompletionOut
    tasks: list[TaskOut]
