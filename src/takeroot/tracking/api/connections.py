"""LMS connections, unmatched statements, actor and activity mappings and verb readings over JSON:
the same services and reads as the learning-data pages.

Everything here belongs to the workspace's admins. An API key reads with ``tracking:read`` and
writes with ``tracking:write``; it never sees another workspace (objects named in the path or the
body are looked up in the caller's workspace, else 404). A connection's secret is returned once,
in the answer to its creation.
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.models import Person
from takeroot.core.pagination import Pages
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Module

from .. import connections as services
from ..mapping import VERB_INPUTS, activity_name_of, actor_name_of
from ..models import ActivityMapping, ActorMapping, LmsConnection

router = Router(tags=["tracking"])

API_KEY_SCOPES.update(
    {
        "tracking.view_connections": "tracking:read",
        "tracking.view_mappings": "tracking:read",
        "tracking.manage_connections": "tracking:write",
        "tracking.manage_mappings": "tracking:write",
    }
)

EXAMPLE_ACTOR = "account:https://lms.example.com|4711"
EXAMPLE_ACTIVITY = "https://lms.example.com/mod/quiz/view.php?id=42"


class _Rows:
    """A list as the paginator sees it: counted and sliced in the database, only the page's rows
    turned into output (``convert`` takes the page's rows and returns them as dicts)."""

    def __init__(self, rows, convert):
        self.rows, self.convert = rows, convert

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.convert(self.rows[index])


def _each(out):
    return lambda page: [out(row) for row in page]


# Connections ------------------------------------------------------------------------------------


class ConnectionOut(Schema):
    id: UUID
    name: str
    username: str = Field(description="The HTTP Basic username the LMS sends to /xapi/")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    statements: int = Field(description="Statements received through this connection")
    unmatched: int = Field(description="Of those, how many wait for an actor, activity or enrolment")


class ConnectionCreatedOut(ConnectionOut):
    secret: str = Field(description="The HTTP Basic password: returned this once, never again")
    endpoint: str = Field(description="The xAPI endpoint the LMS sends statements to", examples=["/xapi/"])


class ConnectionIn(InputSchema):
    name: str = Field(min_length=1, max_length=200, examples=["Moodle (sales academy)"])


def _connection(request, connection_id: UUID) -> LmsConnection:
    found = services.connections_of(api_workspace(request)).filter(uuid=connection_id).first()
    if found is None:
        raise Http404
    return found


def _connection_out(connection: LmsConnection) -> dict:
    fields = ("name", "username", "created_at", "last_used_at", "revoked_at", "unmatched")
    return {"id": connection.uuid, "statements": connection.received, **{f: getattr(connection, f) for f in fields}}


def _fresh(connection: LmsConnection) -> dict:
    return _connection_out(services.connections_of(connection.workspace).get(pk=connection.pk))


@router.get(
    "tracking/connections",
    response={200: list[ConnectionOut], **READ_ERRORS},
    summary="The workspace's LMS connections, with how many statements each sent",
)
@paginate(Pages, page_size=50)
def list_connections(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_connections", workspace)
    return _Rows(services.connections_of(workspace), _each(_connection_out))


@router.post(
    "tracking/connections",
    response={201: ConnectionCreatedOut, **WRITE_ERRORS},
    summary="Connect an LMS: its xAPI credentials, the secret returned once",
)
def create_connection(request, payload: ConnectionIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_connections", workspace)
    connection, secret = services.create_connection(workspace=workspace, actor=api_actor(request), name=payload.name)
    return Status(201, {**_fresh(connection), "secret": secret, "endpoint": request.build_absolute_uri("/xapi/")})


@router.get(
    "tracking/connections/{connection_id}",
    response={200: ConnectionOut, **READ_ERRORS},
    summary="An LMS connection",
)
def read_connection(request, connection_id: UUID):
    connection = _connection(request, connection_id)
    require_api_perm(request, "tracking.view_connections", connection.workspace)
    return _connection_out(connection)


@router.patch(
    "tracking/connections/{connection_id}",
    response={200: ConnectionOut, **WRITE_ERRORS},
    summary="Rename an LMS connection (its credentials stay)",
)
def rename_connection(request, connection_id: UUID, payload: ConnectionIn):
    connection = _connection(request, connection_id)
    require_api_perm(request, "tracking.manage_connections", connection.workspace)
    services.rename_connection(connection=connection, actor=api_actor(request), name=payload.name)
    return _fresh(connection)


@router.post(
    "tracking/connections/{connection_id}/revoke",
    response={200: ConnectionOut, **WRITE_ERRORS},
    summary="Revoke an LMS connection: its credentials are refused from now on; its statements stay",
)
def revoke_connection(request, connection_id: UUID):
    connection = _connection(request, connection_id)
    require_api_perm(request, "tracking.manage_connections", connection.workspace)
    services.revoke_connection(connection=connection, actor=api_actor(request))
    return _fresh(connection)


# Unmatched statements ---------------------------------------------------------------------------


class UnmatchedActorOut(Schema):
    actor_key: str = Field(examples=[EXAMPLE_ACTOR], description="The actor as statements identify it")
    name: str = Field(description="The actor's name in the newest statement", examples=["Pia Participant"])
    statements: int
    last_seen: datetime.datetime


class UnmatchedActivityOut(Schema):
    activity: str = Field(examples=[EXAMPLE_ACTIVITY])
    name: str = Field(description="The activity's name in the newest statement's definition", examples=["Quiz 1"])
    statements: int
    last_seen: datetime.datetime


@router.get(
    "tracking/unmatched/actors",
    response={200: list[UnmatchedActorOut], **READ_ERRORS},
    summary="Actors of waiting statements that no person is mapped to, most recently seen first",
)
@paginate(Pages, page_size=50)
def list_unmatched_actors(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_mappings", workspace)
    return _Rows(services.unmatched_actors(workspace), lambda page: services.with_names(page, actor_name_of))


@router.get(
    "tracking/unmatched/activities",
    response={200: list[UnmatchedActivityOut], **READ_ERRORS},
    summary="Activities of waiting statements that are in no module, most statements first",
)
@paginate(Pages, page_size=50)
def list_unmatched_activities(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_mappings", workspace)
    return _Rows(services.unmatched_activities(workspace), lambda page: services.with_names(page, activity_name_of))


# Actor and activity mappings --------------------------------------------------------------------


class ActorMappingOut(Schema):
    id: UUID
    actor_key: str = Field(examples=[EXAMPLE_ACTOR])
    person: UUID
    person_name: str
    created_at: datetime.datetime


class ActorMappingIn(InputSchema):
    actor_key: str = Field(min_length=1, max_length=512, examples=[EXAMPLE_ACTOR])
    person: UUID | None = Field(None, description="The person's id; or give their email")
    email: str | None = Field(None, max_length=254, examples=["pia@example.com"])

    @model_validator(mode="after")
    def one_way_to_name(self):
        if (self.person is None) == (self.email is None):
            raise ValueError("Give either person or email.")
        return self


class ActivityMappingOut(Schema):
    id: UUID
    activity: str = Field(examples=[EXAMPLE_ACTIVITY])
    module: UUID
    module_title: str
    programme: UUID
    created_at: datetime.datetime


class ActivityMappingIn(InputSchema):
    activity: str = Field(min_length=1, max_length=2048, examples=[EXAMPLE_ACTIVITY])
    module: UUID


class Reprocessing(Schema):
    reprocessing: int = Field(description="How many statements are being re-processed with the change", examples=[12])


class ActorMappedOut(ActorMappingOut, Reprocessing):
    pass


class ActivityMappedOut(ActivityMappingOut, Reprocessing):
    pass


def _actor_mappings(workspace):
    return ActorMapping.objects.filter(workspace=workspace).select_related("person__user").order_by("actor_key")


def _activity_mappings(workspace):
    return ActivityMapping.objects.filter(workspace=workspace).select_related("module__programme").order_by("activity")


def _actor_mapping_out(mapping: ActorMapping) -> dict:
    return {
        "id": mapping.uuid,
        "actor_key": mapping.actor_key,
        "person": mapping.person.uuid,
        "person_name": mapping.person.user.name,
        "created_at": mapping.created_at,
    }


def _activity_mapping_out(mapping: ActivityMapping) -> dict:
    return {
        "id": mapping.uuid,
        "activity": mapping.activity,
        "module": mapping.module.uuid,
        "module_title": mapping.module.title,
        "programme": mapping.module.programme.uuid,
        "created_at": mapping.created_at,
    }


def _person(workspace, payload: ActorMappingIn) -> Person | None:
    people = Person.objects.filter(workspace=workspace).select_related("user")
    if payload.person is not None:
        found = people.filter(uuid=payload.person).first()
        if found is None:
            raise Http404
        return found
    return people.filter(user__email__iexact=payload.email.strip()).first()


@router.get(
    "tracking/actor-mappings",
    response={200: list[ActorMappingOut], **READ_ERRORS},
    summary="Which person each xAPI actor is",
)
@paginate(Pages, page_size=50)
def list_actor_mappings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_mappings", workspace)
    return _Rows(_actor_mappings(workspace), _each(_actor_mapping_out))


@router.post(
    "tracking/actor-mappings",
    response={201: ActorMappedOut, **WRITE_ERRORS},
    summary="Map an xAPI actor to a person (or change whom it names); its statements are re-processed",
)
def map_actor(request, payload: ActorMappingIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_mappings", workspace)
    person = _person(workspace, payload)
    if person is None:
        raise ValidationError({"email": [_("Nobody in this workspace has this email.")]})
    mapped, count = services.map_actor(
        workspace=workspace, actor=api_actor(request), actor_key=payload.actor_key, person=person
    )
    out = _actor_mapping_out(_actor_mappings(workspace).get(pk=mapped.pk))
    return Status(201, {**out, "reprocessing": count})


@router.delete(
    "tracking/actor-mappings/{mapping_id}",
    response={200: Reprocessing, **WRITE_ERRORS},
    summary="Remove an actor mapping; its statements wait again (an email match comes back by itself)",
)
def unmap_actor(request, mapping_id: UUID):
    workspace = api_workspace(request)
    found = _actor_mappings(workspace).filter(uuid=mapping_id).first()
    if found is None:
        raise Http404
    require_api_perm(request, "tracking.manage_mappings", workspace)
    return {"reprocessing": services.unmap_actor(mapping=found, actor=api_actor(request))}


@router.get(
    "tracking/activity-mappings",
    response={200: list[ActivityMappingOut], **READ_ERRORS},
    summary="Which module each xAPI activity belongs to",
)
@paginate(Pages, page_size=50)
def list_activity_mappings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_mappings", workspace)
    return _Rows(_activity_mappings(workspace), _each(_activity_mapping_out))


@router.post(
    "tracking/activity-mappings",
    response={201: ActivityMappedOut, **WRITE_ERRORS},
    summary="Map an xAPI activity (or a course or section that contains activities) to a module",
)
def map_activity(request, payload: ActivityMappingIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_mappings", workspace)
    module = Module.objects.filter(workspace=workspace, uuid=payload.module).first()
    if module is None:
        raise Http404
    mapped, count = services.map_activity(
        workspace=workspace, actor=api_actor(request), activity=payload.activity, module=module
    )
    out = _activity_mapping_out(_activity_mappings(workspace).get(pk=mapped.pk))
    return Status(201, {**out, "reprocessing": count})


@router.delete(
    "tracking/activity-mappings/{mapping_id}",
    response={200: Reprocessing, **WRITE_ERRORS},
    summary="Remove an activity mapping; its statements wait again",
)
def unmap_activity(request, mapping_id: UUID):
    workspace = api_workspace(request)
    found = _activity_mappings(workspace).filter(uuid=mapping_id).first()
    if found is None:
        raise Http404
    require_api_perm(request, "tracking.manage_mappings", workspace)
    return {"reprocessing": services.unmap_activity(mapping=found, actor=api_actor(request))}


# Verbs ------------------------------------------------------------------------------------------


class VerbOut(Schema):
    verb: str = Field(examples=["http://adlnet.gov/expapi/verbs/attended"])
    display: str = Field(description="The verb's name in the newest statement", examples=["attended"])
    statements: int
    default: str | None = Field(description="What the verb counts as without an override (null: nothing)")
    override: str | None = Field(description="The workspace's override: an input, '' for ignored, null for none")
    counts_as: str | None


class VerbIn(InputSchema):
    verb: str = Field(min_length=3, max_length=2048, examples=["http://id.tincanapi.com/verb/viewed"])
    counts_as: str | None = Field(
        description=f"One of {', '.join(VERB_INPUTS)}; '' to ignore the verb's statements; null for the default",
        examples=["interaction", "", None],
    )


@router.get(
    "tracking/verbs",
    response={200: list[VerbOut], **READ_ERRORS},
    summary="The verbs in use and the ones overridden, with what each counts as",
)
@paginate(Pages, page_size=100)
def list_verbs(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_mappings", workspace)
    return [{**row.__dict__, "counts_as": row.counts_as} for row in services.verbs_seen(workspace)]


@router.put(
    "tracking/verbs",
    response={200: Reprocessing, **WRITE_ERRORS},
    summary="Say what a verb counts as; its statements are re-processed",
)
def set_verb(request, payload: VerbIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_mappings", workspace)
    count = services.set_verb(workspace=workspace, actor=api_actor(request), verb=payload.verb, input=payload.counts_as)
    return {"reprocessing": count}
