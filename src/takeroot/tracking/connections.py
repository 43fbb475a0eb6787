"""LMS connections and the mappings that turn their statements into facts: the audited writes
and the reads that the pages and the API share.

Every mapping change returns how many statements it touches and queues their re-processing for
when the transaction commits (``connection_tasks.task_reprocess_statements``), so a page answers
at once and a rolled-back change re-processes nothing.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User, Workspace
from takeroot.core.services import record_audit
from takeroot.programmes.models import Module

from . import mapping
from .enums import Input
from .mapping import Change, affected_statements
from .models import ActivityMapping, ActorMapping, LmsConnection, Statement, VerbMapping
from .xapi.auth import digest_of, new_credentials

# Connections -------------------------------------------------------------------------------------


def connections_of(workspace: Workspace) -> QuerySet[LmsConnection]:
    """The workspace's connections with how many statements each sent and how many wait for a
    mapping, in one query."""
    waiting = Q(statements__processed=False, statements__voided=False)
    return (
        LmsConnection.objects.filter(workspace=workspace)
        .select_related("created_by")
        .annotate(received=Count("statements"), unmatched=Count("statements", filter=waiting))
        .order_by("revoked_at", "name", "pk")
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the connection a name, such as the LMS it belongs to.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("Keep the name under 200 characters.")]})
    return name


@transaction.atomic
def create_connection(*, workspace: Workspace, actor: User | None, name: str) -> tuple[LmsConnection, str]:
    """A new LMS connection and its secret, which is shown once and kept only as a digest.
    Side effects: an audit entry. Called by admins (the page and the API)."""
    username, secret = new_credentials()
    connection = LmsConnection.objects.create(
        workspace=workspace,
        name=_clean_name(name),
        username=username,
        secret_digest=digest_of(secret),
        created_by=actor,
    )
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=connection)
    return connection, secret


@transaction.atomic
def rename_connection(*, connection: LmsConnection, actor: User | None, name: str) -> LmsConnection:
    """Rename a connection (its credentials stay). Side effects: an audit entry when it changed."""
    name = _clean_name(name)
    if name != connection.name:
        before, connection.name = connection.name, name
        connection.save(update_fields=["name"])
        record_audit(
            workspace=connection.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=connection,
            changes={"name": (before, name)},
        )
    return connection


@transaction.atomic
def revoke_connection(*, connection: LmsConnection, actor: User | None) -> LmsConnection:
    """Refuse the connection's credentials from now on; the statements it sent stay. Revoking
    twice does nothing more. Side effects: an audit entry."""
    if connection.revoked_at is None:
        connection.revoked_at = timezone.now()
        connection.save(update_fields=["revoked_at"])
        record_audit(workspace=connection.workspace, actor=actor, action=AuditAction.REVOKED, obj=connection)
    return connection


# Unmatched statements ------------------------------------------------------------------------------


def _waiting(workspace: Workspace) -> QuerySet[Statement]:
    return Statement.objects.filter(workspace=workspace, processed=False, voided=False)


def _documents(ids: list[int]) -> dict[int, dict]:
    return dict(Statement.objects.filter(pk__in=ids).values_list("pk", "document"))


def unmatched_actors(workspace: Workspace) -> QuerySet:
    """Actors of waiting statements that name nobody yet: ``actor_key``, ``statements``,
    ``last_seen`` and ``latest`` (the newest statement's id), most recently seen first."""
    return (
        _waiting(workspace)
        .filter(person__isnull=True)
        .values("actor_key")
        .annotate(statements=Count("pk"), last_seen=Max("stored"), latest=Max("pk"))
        .order_by("-last_seen", "actor_key")
    )


def unmatched_activities(workspace: Workspace) -> QuerySet:
    """Activities of waiting statements that are in no module yet, most statements first."""
    return (
        _waiting(workspace)
        .filter(module__isnull=True)
        .exclude(activity="")
        .values("activity")
        .annotate(statements=Count("pk"), last_seen=Max("stored"), latest=Max("pk"))
        .order_by("-statements", "activity")
    )


def not_enrolled(workspace: Workspace) -> QuerySet:
    """Statements with a known person and module that wait because the person has no enrolment
    in a cohort of the module's programme, by person and module."""
    return (
        _waiting(workspace)
        .filter(person__isnull=False, module__isnull=False)
        .values("person_id", "person__user__name", "module_id", "module__title", "module__programme__name")
        .annotate(statements=Count("pk"), last_seen=Max("stored"))
        .order_by("-statements", "person__user__name")
    )


def with_names(rows, name_of) -> list[dict]:
    """Page rows with a name read from each one's newest statement (one query for the page)."""
    rows = list(rows)
    documents = _documents([row["latest"] for row in rows])
    return [{**row, "name": name_of(documents.get(row["latest"], {}))} for row in rows]


# Verbs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerbRow:
    verb: str
    display: str
    statements: int
    default: str | None  # what the verb counts as without an override (None: nothing)
    override: str | None  # None: no override; "": ignored

    @property
    def counts_as(self) -> str | None:
        return self.default if self.override is None else self.override

    @property
    def label(self) -> str:
        return verb_label(self.counts_as)


def verb_label(input: str | None) -> str:
    if input == "":
        return _("Ignored")
    if input is None:
        return _("Nothing but its duration")
    return str(Input(input).label)


def verbs_seen(workspace: Workspace) -> list[VerbRow]:
    """The verbs the workspace's statements use and the ones it overrides, with what each counts
    as; most used first."""
    seen = list(
        Statement.objects.filter(workspace=workspace)
        .values("verb")
        .annotate(statements=Count("pk"), latest=Max("pk"))
        .order_by("-statements", "verb")
    )
    overrides = dict(VerbMapping.objects.filter(workspace=workspace).values_list("verb", "input"))
    documents = _documents([row["latest"] for row in seen])
    rows = [
        VerbRow(
            verb=row["verb"],
            display=mapping.verb_display_of(documents.get(row["latest"], {})),
            statements=row["statements"],
            default=mapping.DEFAULT_VERBS.get(row["verb"]),
            override=overrides.get(row["verb"]),
        )
        for row in seen
    ]
    listed = {row.verb for row in rows}
    rows += [
        VerbRow(verb=verb, display="", statements=0, default=mapping.DEFAULT_VERBS.get(verb), override=input)
        for verb, input in sorted(overrides.items())
        if verb not in listed
    ]
    return rows


# Mapping changes -----------------------------------------------------------------------------------


def _queue_reprocessing(workspace: Workspace, change: Change) -> int:
    """How many statements the change touches; their re-processing runs once the change commits."""
    from .connection_tasks import task_reprocess_statements

    count = len(affected_statements(workspace, change))
    if count:
        transaction.on_commit(
            partial(task_reprocess_statements.enqueue, workspace_id=workspace.pk, change=change.as_json())
        )
    return count


def _check_person(workspace: Workspace, person: Person | None) -> Person:
    if person is None or person.workspace_id != workspace.pk:
        raise ValidationError({"person": [_("Choose a person of this workspace.")]})
    return person


def _check_actor_key(actor_key: str) -> str:
    actor_key = (actor_key or "").strip()
    if not actor_key or len(actor_key) > 512:
        raise ValidationError({"actor_key": [_("Name the actor as the statements identify it.")]})
    return actor_key


@transaction.atomic
def map_actor(
    *, workspace: Workspace, actor: User | None, actor_key: str, person: Person | None
) -> tuple[ActorMapping, int]:
    """Say which person an xAPI actor is (or correct it); return the mapping and how many
    statements will be re-processed. Side effects: an audit entry; re-processing on commit."""
    actor_key = _check_actor_key(actor_key)
    person = _check_person(workspace, person)
    found = ActorMapping.objects.select_for_update().filter(workspace=workspace, actor_key=actor_key).first()
    if found is not None and found.person_id == person.pk:
        return found, 0
    before = found.person if found else None
    mapped = found or ActorMapping(workspace=workspace, actor_key=actor_key)
    mapped.person = person
    mapped.save()
    action = AuditAction.CHANGED if found else AuditAction.CREATED
    record_audit(workspace=workspace, actor=actor, action=action, obj=mapped, changes={"person": (before, person)})
    return mapped, _queue_reprocessing(workspace, Change(actor_key=actor_key))


@transaction.atomic
def unmap_actor(*, mapping: ActorMapping, actor: User | None) -> int:
    """Forget which person an actor is; its statements wait again (unless its address is a
    person's email, which matches again). Side effects: an audit entry; re-processing on commit."""
    workspace = mapping.workspace
    record_audit(workspace=workspace, actor=actor, action=AuditAction.DELETED, obj=mapping)
    mapping.delete()
    return _queue_reprocessing(workspace, Change(actor_key=mapping.actor_key))


def _check_activity(activity: str) -> str:
    activity = (activity or "").strip()
    if not activity or len(activity) > 2048:
        raise ValidationError({"activity": [_("Name the activity by its id (an IRI).")]})
    return activity


@transaction.atomic
def map_activity(
    *, workspace: Workspace, actor: User | None, activity: str, module: Module | None
) -> tuple[ActivityMapping, int]:
    """Say which module an xAPI activity (or a course or section containing activities) is part
    of; return the mapping and how many statements will be re-processed. Side effects: an audit
    entry; re-processing on commit."""
    activity = _check_activity(activity)
    if module is None or module.workspace_id != workspace.pk:
        raise ValidationError({"module": [_("Choose a module of one of this workspace's programmes.")]})
    found = ActivityMapping.objects.select_for_update().filter(workspace=workspace, activity=activity).first()
    if found is not None and found.module_id == module.pk:
        return found, 0
    before = found.module if found else None
    mapped = found or ActivityMapping(workspace=workspace, activity=activity)
    mapped.module = module
    mapped.save()
    action = AuditAction.CHANGED if found else AuditAction.CREATED
    record_audit(workspace=workspace, actor=actor, action=action, obj=mapped, changes={"module": (before, module)})
    change = Change(activity=activity, previous_module_id=before.pk if before else None)
    return mapped, _queue_reprocessing(workspace, change)


@transaction.atomic
def unmap_activity(*, mapping: ActivityMapping, actor: User | None) -> int:
    """Forget which module an activity is part of; its statements wait again. Side effects: an
    audit entry; re-processing on commit."""
    workspace = mapping.workspace
    record_audit(workspace=workspace, actor=actor, action=AuditAction.DELETED, obj=mapping)
    mapping.delete()
    return _queue_reprocessing(workspace, Change(activity=mapping.activity, previous_module_id=mapping.module_id))


@transaction.atomic
def set_verb(*, workspace: Workspace, actor: User | None, verb: str, input: str | None) -> int:
    """Say what a verb counts as in this workspace: an input, ``""`` to ignore its statements, or
    None to go back to the default. Returns how many statements will be re-processed. Side
    effects: an audit entry; re-processing on commit."""
    verb = (verb or "").strip()
    if not verb or len(verb) > 2048 or ":" not in verb:
        raise ValidationError(
            {
                "verb": [
                    _("Name the verb by its id, an IRI such as %(example)s.") % {"example": f"{mapping.ADL}attended"}
                ]
            }
        )
    if input not in (None, "", *mapping.VERB_INPUTS):
        raise ValidationError({"input": [_("Choose what the verb counts as.")]})
    found = VerbMapping.objects.select_for_update().filter(workspace=workspace, verb=verb).first()
    before = found.input if found else None
    if before == input:
        return 0
    changes = {"input": (verb_label(before), verb_label(input))}
    if input is None:
        record_audit(workspace=workspace, actor=actor, action=AuditAction.DELETED, obj=found, changes=changes)
        found.delete()
    else:
        override = found or VerbMapping(workspace=workspace, verb=verb)
        override.input = input
        override.save()
        action = AuditAction.CHANGED if found else AuditAction.CREATED
        record_audit(workspace=workspace, actor=actor, action=action, obj=override, changes=changes)
    return _queue_reprocessing(workspace, Change(verb=verb))


def retry_waiting(*, workspace: Workspace) -> int:
    """Try every waiting statement again, e.g. after people were enrolled; return how many."""
    return _queue_reprocessing(workspace, Change(backlog=True))
