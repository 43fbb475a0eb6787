"""Reading statements back: what a connection may read, the GET parameters, and the pages.

A connection reads only the statements it sent itself (in its own workspace). Pages are ordered
by (stored, row id) — the table's index — and continue from an opaque, signed ``more`` cursor that
carries the filters and the last row seen, so no page is counted twice or skipped whatever is
stored in between.
"""

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet

from takeroot.tracking.models import LmsConnection, Statement

from .documents import actor_key
from .validation import StatementError, is_iri, is_uuid, parse_timestamp, uuid_text, validate_actor

PAGE_SIZE = 500  # the default and the largest page
CURSOR_SALT = "takeroot.tracking.xapi.more"
FORMATS = ("exact", "ids", "canonical")
SINGLE_PARAMETERS = frozenset({"statementId", "voidedStatementId", "format", "attachments"})
QUERY_PARAMETERS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)


def statements_for_connection(connection: LmsConnection) -> QuerySet[Statement]:
    """The statements a connection may read back: those it sent, in its workspace."""
    return Statement.objects.filter(workspace_id=connection.workspace_id, connection=connection)


@dataclass(frozen=True)
class StatementQuery:
    """The filters of a StatementResult request, already checked. JSON-friendly, so a cursor can
    carry it."""

    actor_key: str = ""
    verb: str = ""
    activity: str = ""
    registration: str = ""
    since: str = ""
    until: str = ""
    limit: int = PAGE_SIZE
    ascending: bool = False
    format: str = "exact"
    after: tuple = ()  # (stored ISO timestamp, row id) of the last statement of the previous page


def _boolean(parameters: dict, name: str) -> bool:
    value = parameters.get(name, "false")
    if value not in ("true", "false"):
        raise StatementError(f"{name} must be true or false")
    return value == "true"


def _checked(parameters: dict, name: str, check, problem: str) -> str:
    value = parameters.get(name, "")
    if value and not check(value):
        raise StatementError(f"{name} {problem}")
    return value


def check_form(parameters: dict) -> str:
    """The ``format`` asked for; ``attachments=true`` (a multipart answer) is not offered."""
    form = parameters.get("format", "exact")
    if form not in FORMATS:
        raise StatementError("format must be exact, ids or canonical")
    if _boolean(parameters, "attachments"):
        raise StatementError("attachments=true is not supported: Takeroot keeps attachments by fileUrl only")
    return form


def parse_query(parameters: dict) -> StatementQuery:
    """The StatementResult filters from the query string, or ``StatementError`` saying which one is wrong."""
    unknown = parameters.keys() - QUERY_PARAMETERS
    if unknown:
        raise StatementError(f"unknown parameter {sorted(unknown)[0]!r}")
    for related in ("related_activities", "related_agents"):
        if _boolean(parameters, related):
            raise StatementError(f"{related}=true is not supported")
    agent = parameters.get("agent")
    key = ""
    if agent is not None:
        try:
            actor = json.loads(agent)
        except ValueError:
            raise StatementError("agent must be a JSON Agent or Group") from None
        validate_actor(actor, "agent")
        key = actor_key(actor)
    registration = _checked(parameters, "registration", is_uuid, "must be a UUID")
    limit = parameters.get("limit", "0")
    if not limit.isdigit():
        raise StatementError("limit must be a whole number")
    return StatementQuery(
        actor_key=key,
        verb=_checked(parameters, "verb", is_iri, "must be an absolute IRI"),
        activity=_checked(parameters, "activity", is_iri, "must be an absolute IRI"),
        registration=uuid_text(registration) if registration else "",
        since=_checked(parameters, "since", parse_timestamp, "must be an ISO 8601 timestamp with a time zone"),
        until=_checked(parameters, "until", parse_timestamp, "must be an ISO 8601 timestamp with a time zone"),
        limit=min(int(limit), PAGE_SIZE) or PAGE_SIZE,
        ascending=_boolean(parameters, "ascending"),
        format=check_form(parameters),
    )


def cursor_for(query: StatementQuery, last: Statement) -> str:
    after = (last.stored.isoformat(), last.pk)
    return signing.dumps({**asdict(query), "after": after}, salt=CURSOR_SALT, compress=True)


def query_from_cursor(cursor: str) -> StatementQuery:
    try:
        fields = signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature:
        raise StatementError("more is not a continuation Takeroot gave") from None
    return StatementQuery(**{**fields, "after": tuple(fields["after"])})


def statement_page(connection: LmsConnection, query: StatementQuery) -> tuple[list[Statement], bool]:
    """One page of the statements the query finds (voided ones left out), and whether more follow."""
    statements = statements_for_connection(connection).filter(voided=False)
    exact = {"actor_key": query.actor_key, "verb": query.verb, "activity": query.activity}
    statements = statements.filter(**{name: value for name, value in exact.items() if value})
    if query.registration:
        statements = statements.filter(registration=query.registration)
    if query.since:
        statements = statements.filter(stored__gt=parse_timestamp(query.since))
    if query.until:
        statements = statements.filter(stored__lte=parse_timestamp(query.until))
    if query.after:
        stored, pk = datetime.fromisoformat(query.after[0]), query.after[1]
        if query.ascending:
            statements = statements.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=pk))
        else:
            statements = statements.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=pk))
    order = ("stored", "pk") if query.ascending else ("-stored", "-pk")
    rows = list(statements.order_by(*order).only("pk", "stored", "document")[: query.limit + 1])
    return rows[: query.limit], len(rows) > query.limit
