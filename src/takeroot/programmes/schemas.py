"""The API's input and output shapes for programmes, modules, cohorts, sessions and enrolments."""

import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, model_validator

from takeroot.core.rules import principal_has_perm
from takeroot.core.schemas import InputSchema

from .enums import EnrolmentStatus, ProgrammeFormat


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL characters and every database refuses lone surrogates; refusing
    # them here answers 422 instead of failing inside the database.
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


def _utc_representable(value: datetime.datetime) -> datetime.datetime:
    # A time at the edge of the calendar can overflow on its way to UTC in the database.
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("The time is out of range.") from None
    return value


def _url(value: str) -> str:
    if value:
        try:
            URLValidator()(value)
        except ValidationError:
            raise ValueError("Not a valid URL.") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
Moment = Annotated[AwareDatetime, AfterValidator(_utc_representable)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Hours = Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)]
Objective = Annotated[Text, Field(max_length=500)]
Link = Annotated[Text, Field(max_length=200), AfterValidator(_url)]
CURRENCY = r"^[A-Z]{3}$"


# Programmes and modules ------------------------------------------------------------------------


class ModuleOut(Schema):
    id: UUID = Field(alias="uuid")
    title: str
    description: str
    objectives: list[str]
    position: int

    @staticmethod
    def resolve_objectives(module) -> list[str]:
        return [objective.text for objective in module.objectives.all()]


class ModuleIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    description: Text = ""
    objectives: list[Objective] = Field(default_factory=list, max_length=100)


class ModulePatch(InputSchema):
    # Absent means unchanged; none of these can be emptied with null.
    title: Text = Field(None, min_length=1, max_length=200)
    description: Text = Field(None)
    objectives: list[Objective] = Field(None, max_length=100)


class ProgrammeGoalOut(Schema):
    id: UUID = Field(alias="uuid")
    text: str
    organisation_goal: str
    team: UUID | None
    position: int

    @staticmethod
    def resolve_team(goal) -> UUID | None:
        return goal.team.uuid if goal.team else None


class ProgrammeOut(Schema):
    """A programme and its cost model. Amounts are decimals, written as strings."""

    id: UUID = Field(alias="uuid")
    name: str
    description: str
    format: ProgrammeFormat
    currency: str
    price_per_participant: Decimal
    trainer_hourly_rate: Decimal
    trainer_hours: Decimal
    mentor_hourly_rate: Decimal
    mentor_hours: Decimal
    fixed_costs: Decimal
    participant_hours: Decimal
    created_at: datetime.datetime


class ProgrammeDetailOut(ProgrammeOut):
    modules: list[ModuleOut]
    goals: list[ProgrammeGoalOut]

    @staticmethod
    def resolve_modules(programme) -> list:
        return list(programme.modules.all())

    @staticmethod
    def resolve_goals(programme) -> list:
        return list(programme.goals.all())


class ProgrammeIn(InputSchema):
    name: Text = Field(min_length=1, max_length=200)
    description: Text = ""
    format: ProgrammeFormat = ProgrammeFormat.CLASSROOM
    currency: str = Field("EUR", pattern=CURRENCY)
    price_per_participant: Money = Decimal("0")
    trainer_hourly_rate: Money = Decimal("0")
    trainer_hours: Hours = Decimal("0")
    mentor_hourly_rate: Money = Decimal("0")
    mentor_hours: Hours = Decimal("0")
    fixed_costs: Money = Decimal("0")
    participant_hours: Hours = Decimal("0")


class ProgrammePatch(InputSchema):
    # Absent means unchanged; none of these can be emptied with null.
    name: Text = Field(None, min_length=1, max_length=200)
    description: Text = Field(None)
    format: ProgrammeFormat = Field(None)
    currency: str = Field(None, pattern=CURRENCY)
    price_per_participant: Money = Field(None)
    trainer_hourly_rate: Money = Field(None)
    trainer_hours: Hours = Field(None)
    mentor_hourly_rate: Money = Field(None)
    mentor_hours: Hours = Field(None)
    fixed_costs: Money = Field(None)
    participant_hours: Hours = Field(None)


class ProgrammeCopyIn(InputSchema):
    name: Text = Field(min_length=1, max_length=200)


# Cohorts and sessions --------------------------------------------------------------------------


class CohortOut(Schema):
    id: UUID = Field(alias="uuid")
    programme: UUID = Field(alias="programme.uuid")
    programme_name: str = Field(alias="programme.name")
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    midpoint_on: datetime.date | None
    trainers: list[UUID]
    mentors: list[UUID]
    participant_count: int

    @staticmethod
    def resolve_trainers(cohort) -> list[UUID]:
        return [person.uuid for person in cohort.trainers.all()]

    @staticmethod
    def resolve_mentors(cohort) -> list[UUID]:
        return [person.uuid for person in cohort.mentors.all()]


class CohortIn(InputSchema):
    programme: UUID
    name: Text = Field(min_length=1, max_length=200)
    starts_on: datetime.date
    ends_on: datetime.date
    midpoint_on: datetime.date | None = None
    trainers: list[UUID] = Field(default_factory=list, max_length=100)
    mentors: list[UUID] = Field(default_factory=list, max_length=100)


class CohortPatch(InputSchema):
    # Absent means unchanged; only the midpoint can be emptied (it then falls halfway).
    name: Text = Field(None, min_length=1, max_length=200)
    starts_on: datetime.date = Field(None)
    ends_on: datetime.date = Field(None)
    midpoint_on: datetime.date | None = None
    trainers: list[UUID] = Field(None, max_length=100)
    mentors: list[UUID] = Field(None, max_length=100)


class SessionOut(Schema):
    id: UUID = Field(alias="uuid")
    cohort: UUID = Field(alias="cohort.uuid")
    module: UUID | None
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_link: str
    cancelled: bool
    sequence: int

    @staticmethod
    def resolve_module(session) -> UUID | None:
        return session.module.uuid if session.module else None


class SessionIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    starts_at: Moment
    ends_at: Moment
    place: Text = Field("", max_length=300)
    online_link: Link = ""
    module: UUID | None = None


class SessionPatch(InputSchema):
    # Absent means unchanged; only the module can be emptied with null.
    title: Text = Field(None, min_length=1, max_length=200)
    starts_at: Moment = Field(None)
    ends_at: Moment = Field(None)
    place: Text = Field(None, max_length=300)
    online_link: Link = Field(None)
    module: UUID | None = None


# Enrolments ------------------------------------------------------------------------------------


def may_see_accommodations(request, enrolment) -> bool:
    """Trainers and mentors of the cohort see accommodations; so does whoever may change them
    (the participant their own). Decided once per cohort per request, so a list costs the same
    number of queries however long it is."""
    seen = request.__dict__.setdefault("_takeroot_sees_accommodations", {})
    if enrolment.cohort_id not in seen:
        seen[enrolment.cohort_id] = principal_has_perm(request, "programmes.see_accommodations", enrolment.cohort)
    return seen[enrolment.cohort_id] or principal_has_perm(request, "programmes.change_accommodations", enrolment)


class AccommodationsOut(Schema):
    needs_sign_language: bool
    needs_captions: bool
    needs_screen_reader: bool
    needs_extra_time: bool
    accommodation_notes: str


class EnrolmentOut(Schema):
    """A participant in a cohort. ``accommodations`` is null for whoever may not see them."""

    id: UUID = Field(alias="uuid")
    cohort: UUID = Field(alias="cohort.uuid")
    person: UUID = Field(alias="person.uuid")
    name: str = Field(alias="person.user.name")
    status: EnrolmentStatus
    manager: UUID | None
    mentor: UUID | None
    invited_at: datetime.datetime | None
    activated_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    accommodations: AccommodationsOut | None

    @staticmethod
    def resolve_manager(enrolment) -> UUID | None:
        return enrolment.manager.uuid if enrolment.manager else None

    @staticmethod
    def resolve_mentor(enrolment) -> UUID | None:
        return enrolment.mentor.uuid if enrolment.mentor else None

    @staticmethod
    def resolve_accommodations(enrolment, context):
        return enrolment if may_see_accommodations(context["request"], enrolment) else None


class EnrolIn(InputSchema):
    """Either a list of people or a team (with the teams inside it), and optionally their mentor."""

    people: list[UUID] = Field(default_factory=list, max_length=1000)
    team: UUID | None = None
    mentor: UUID | None = None

    @model_validator(mode="after")
    def check_people_or_team(self):
        if bool(self.people) == (self.team is not None):
            raise ValueError("Send either a list of people or a team.")
        return self


class EnrolmentPatch(InputSchema):
    # Absent means unchanged; only the mentor can be emptied with null.
    status: EnrolmentStatus = Field(None)
    mentor: UUID | None = None
    needs_sign_language: bool = Field(None)
    needs_captions: bool = Field(None)
    needs_screen_reader: bool = Field(None)
    needs_extra_time: bool = Field(None)
    accommodation_notes: Text = Field(None)
