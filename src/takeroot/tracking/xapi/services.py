"""Storing statements: validate a whole batch, then insert it in one statement, all or nothing.

Nothing here gets-or-creates a shared row (verbs, activities, agents): that is where the ADL
reference LRS deadlocks under concurrent batches. A batch costs one look-up of the ids it names,
one insert, and, only when it voids something, one update.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from takeroot.tracking import mapping
from takeroot.tracking.models import LmsConnection, Statement

from .documents import actor_key, format_stored, same_statement
from .validation import VOIDED, StatementError, parse_timestamp, uuid_text, validate_statement

LAST_USED_EVERY = timedelta(minutes=1)


class StatementConflict(Exception):
    """A statement id is already stored with different content (409)."""


def authority_of(connection: LmsConnection) -> dict:
    """The Agent Takeroot names as the authority of what a connection sends."""
    return {
        "objectType": "Agent",
        "name": connection.name,
        "account": {"homePage": settings.BASE_URL, "name": connection.username},
    }


def store_statements(connection: LmsConnection, statements: list, *, statement_id: str | None = None) -> list[str]:
    """Validate and store statements sent through ``connection``; return their ids in order.

    All or nothing: an invalid statement (``StatementError``), a repeated id, a voiding statement
    whose target is not stored or is itself a voiding statement (all ``StatementError``), or an
    id already stored with other content (``StatementConflict``) stores none of the batch. A
    statement already stored with the same content is accepted again without a new row.
    ``statement_id`` is the id a PUT names; the statement must carry it or none.

    Side effects: voided targets are marked and their facts forgotten
    (``mapping.forget_statements``); new statements are mapped (``mapping.process_statements``).
    """
    if not statements:
        raise StatementError("no statements were sent")
    batch = len(statements) > 1
    documents = []
    for number, statement in enumerate(statements):
        validate_statement(statement, f"statement[{number}]" if batch else "statement")
        documents.append(_with_id(statement, statement_id))
    ids = [document["id"] for document in documents]
    if len(set(ids)) != len(ids):
        raise StatementError("the batch sends the same statement id twice")
    try:
        return _insert(connection, documents)
    except IntegrityError:
        # Another request stored one of these ids since we looked: look again, which now finds
        # it and answers like an ordinary re-post (the same content) or a conflict.
        return _insert(connection, documents)


def _with_id(statement: dict, statement_id: str | None) -> dict:
    """A copy of the statement with its id in canonical form (assigned when missing)."""
    sent = statement.get("id")
    if statement_id is not None and sent is not None and uuid_text(sent) != statement_id:
        raise StatementError("statement.id differs from the statementId parameter")
    document = dict(statement)
    document["id"] = uuid_text(sent) if sent else (statement_id or str(uuid.uuid4()))
    return document


def _insert(connection: LmsConnection, documents: list[dict]) -> list[str]:
    """Store what is new in the batch. Everything that can be worked out before the write lock
    (SQLite takes it at BEGIN) is: the look-up of known ids and the rows; inside the transaction
    only the insert, the voiding and the mapping run."""
    rows = [_row(connection, document) for document in _not_yet_stored(connection, documents)]
    with transaction.atomic():
        # Stamped under the lock, so ``stored`` follows the order in which batches commit.
        _stamp(rows, timezone.now())
        Statement.objects.bulk_create(rows)
        _void_targets(connection, [row.voids for row in rows if row.voids])
        mapping.process_statements(connection.workspace, [row.pk for row in rows])
    return [document["id"] for document in documents]


def _not_yet_stored(connection: LmsConnection, documents: list[dict]) -> list[dict]:
    """The documents whose ids are new to the workspace; a known id must come with the content
    it was stored with (else ``StatementConflict``)."""
    ids = [document["id"] for document in documents]
    known = dict(
        Statement.objects.filter(workspace=connection.workspace_id, statement_id__in=ids).values_list(
            "statement_id", "document"
        )
    )
    fresh = []
    for document in documents:
        stored = known.get(uuid.UUID(document["id"]))
        if stored is None:
            fresh.append(document)
        elif not same_statement(stored, document):
            raise StatementConflict(f"statement {document['id']} is already stored with different content")
    return fresh


def _row(connection: LmsConnection, document: dict) -> Statement:
    """The row for a new statement: the document as sent plus what Takeroot sets, and the
    columns queries filter on (``stored`` comes with ``_stamp``)."""
    document["authority"] = authority_of(connection)
    document.setdefault("version", "1.0.0")
    target = document["object"]
    is_activity = target.get("objectType", "Activity") == "Activity"
    verb = document["verb"]["id"]
    return Statement(
        workspace_id=connection.workspace_id,
        connection_id=connection.pk,
        statement_id=document["id"],
        document=document,
        verb=verb,
        activity=target["id"] if is_activity else "",
        actor_key=actor_key(document["actor"]),
        registration=document.get("context", {}).get("registration"),
        timestamp=parse_timestamp(document.get("timestamp")),
        voids=target["id"] if verb == VOIDED else None,
    )


def _stamp(rows: list[Statement], stored: datetime) -> None:
    """Set when the rows were stored; a statement sent without a timestamp happened then."""
    text = format_stored(stored)
    for row in rows:
        row.stored = stored
        row.document["stored"] = text
        row.timestamp = row.timestamp or stored


def _void_targets(connection: LmsConnection, targets: list) -> None:
    """Mark what the batch's voiding statements void, and take their facts out of the indicators."""
    if not targets:
        return
    workspace = connection.workspace
    found = {
        statement_id: (pk, verb)
        for pk, statement_id, verb in Statement.objects.filter(
            workspace=workspace, statement_id__in=targets
        ).values_list("pk", "statement_id", "verb")
    }
    for target in targets:
        target = uuid.UUID(str(target))
        if target not in found:
            raise StatementError(f"statement {target} cannot be voided: it is not stored")
        if found[target][1] == VOIDED:
            raise StatementError(f"statement {target} is a voiding statement, which cannot be voided")
    pks = [pk for pk, _verb in found.values()]
    Statement.objects.filter(pk__in=pks).update(voided=True)
    mapping.forget_statements(workspace, pks)


def note_use(connection: LmsConnection) -> None:
    """Remember when a connection was last used, writing at most once a minute per connection."""
    now = timezone.now()
    if connection.last_used_at is not None and now - connection.last_used_at < LAST_USED_EVERY:
        return
    LmsConnection.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY), pk=connection.pk
    ).update(last_used_at=now)
    connection.last_used_at = now
