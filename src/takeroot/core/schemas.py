"""The API's input and output shapes for workspaces, people and teams."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import field_validator, model_validator

from .enums import AccountStatus, Language, Role


class InputSchema(Schema):
    """The base of every request body: ninja reads fields as attributes, so without this check a
    bare JSON string such as "AAA" would pass, its ``str.title()`` read as a title."""

    @model_validator(mode="before")
    @classmethod
    def check_object(cls, data):
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise ValueError("Send a JSON object.")
        return data


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class PersonOut(Schema):
    """A person's membership in the workspace, read from a ``Person`` row."""

    id: UUID = Field(alias="uuid")
    email: str = Field(alias="user.email")
    name: str = Field(alias="user.name")
    job_title: str
    language: Language = Field(alias="user.language")
    timezone: str = Field(alias="user.timezone")
    team: UUID | None
    team_name: str | None
    manager: UUID | None
    manager_name: str | None
    roles: list[Role]
    account_status: AccountStatus = Field(alias="user.account_status")

    @staticmethod
    def resolve_team(person) -> UUID | None:
        return person.team.uuid if person.team else None

    @staticmethod
    def resolve_team_name(person) -> str | None:
        return person.team.name if person.team else None

    @staticmethod
    def resolve_manager(person) -> UUID | None:
        return person.manager.uuid if person.manager else None

    @staticmethod
    def resolve_manager_name(person) -> str | None:
        return person.manager.user.name if person.manager else None


class PersonIn(InputSchema):
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    name: str = Field(min_length=1, max_length=200)
    job_title: str = Field("", max_length=200)
    team: UUID | None = None
    manager: UUID | None = None
    roles: list[Role] = Field(default_factory=lambda: [Role.PARTICIPANT])
    language: Language = Language.EN
    timezone: str = "Europe/Warsaw"

    @field_validator("email")
    @classmethod
    def check_email(cls, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError("Not a valid email address.") from None
        return value.strip().lower()


class PersonPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    job_title: str | None = Field(None, max_length=200)
    team: UUID | None = None
    manager: UUID | None = None
    roles: list[Role] | None = None
    language: Language | None = None
    timezone: str | None = None


class TeamOut(Schema):
    id: UUID = Field(alias="uuid")
    name: str
    parent: UUID | None
    member_count: int

    @staticmethod
    def resolve_parent(team) -> UUID | None:
        return team.parent.uuid if team.parent else None


class TeamIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    parent: UUID | None = None


class TeamPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    parent: UUID | None = None


class MembershipOut(Schema):
    workspace: UUID
    workspace_name: str
    person: UUID
    roles: list[Role]


class MeOut(Schema):
    email: str
    name: str
    language: Language
    timezone: str
    current_workspace: UUID | None
    memberships: list[MembershipOut]
