"""Turning stored xAPI statements into activity records.

A statement becomes facts once three things are known: who (the actor, through an
``ActorMapping`` or, automatically, an address that is a person's account email in the
workspace), where (the activity, or a parent or grouping activity of its context, through an
``ActivityMapping`` to a module) and which enrolment (the person's enrolment in a cohort of the
module's programme). The verb says what the statement counts as (``DEFAULT_VERBS`` unless the
workspace overrides it with a ``VerbMapping``); a ``result.duration`` also counts as time online.

Everything here works on whole batches with a few queries each, never one per statement: the
xAPI endpoint calls ``process_statements`` inside its own transaction and aims at thousands of
statements a second. Statements that cannot be resolved stay unprocessed, with the person and
module filled in where known, and are listed for an admin to map; a mapping change re-processes
them (``reprocess``).
"""

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from takeroot.core.models import Person, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from .enums import COHORT_ONLY_INPUTS, Input, Origin
from .models import ActivityMapping, ActivityRecord, ActorMapping, Statement, VerbMapping
from .recording import Fact, record, unrecord

ADL = "http://adlnet.gov/expapi/verbs/"
TINCAN = "http://id.tincanapi.com/verb/"
VOIDED = f"{ADL}voided"

# What a verb counts as when the workspace has not said otherwise. ADL's vocabulary first, then
# the verbs Moodle (logstore_xapi, Trax), Open edX (event-routing-backends) and cmi5 players send.
# Verbs not listed count for nothing but their duration.
DEFAULT_VERBS: dict[str, str] = {
    f"{ADL}attended": Input.ATTENDANCE,
    f"{ADL}completed": Input.ASSIGNMENT_SCORE,
    f"{ADL}passed": Input.ASSIGNMENT_SCORE,
    f"{ADL}failed": Input.ASSIGNMENT_SCORE,
    f"{ADL}scored": Input.ASSIGNMENT_SCORE,
    f"{ADL}mastered": Input.ASSIGNMENT_SCORE,
    "https://w3id.org/xapi/acrossx/verbs/evaluated": Input.ASSIGNMENT_SCORE,
    f"{ADL}answered": Input.QUIZ_SCORE,
    f"{ADL}experienced": Input.INTERACTION,
    f"{ADL}interacted": Input.INTERACTION,
    f"{ADL}launched": Input.INTERACTION,
    f"{ADL}initialized": Input.INTERACTION,
    f"{ADL}attempted": Input.INTERACTION,
    f"{ADL}progressed": Input.INTERACTION,
    f"{ADL}commented": Input.INTERACTION,
    f"{ADL}asked": Input.INTERACTION,
    f"{ADL}responded": Input.INTERACTION,
    f"{ADL}shared": Input.INTERACTION,
    f"{TINCAN}viewed": Input.INTERACTION,
    f"{TINCAN}downloaded": Input.INTERACTION,
    f"{TINCAN}replied": Input.INTERACTION,
    "http://activitystrea.ms/schema/1.0/access": Input.INTERACTION,
    "http://activitystrea.ms/schema/1.0/watch": Input.INTERACTION,
    "https://w3id.org/xapi/video/verbs/played": Input.INTERACTION,
    "https://w3id.org/xapi/acrossx/verbs/posted": Input.INTERACTION,
}

# Inputs a verb may count as: survey results exist only for a whole cohort, never per statement.
VERB_INPUTS = [choice for choice in Input if choice not in COHORT_ONLY_INPUTS]
# Counted once per statement; the rates among them are 0 when the result says it did not happen.
_COUNTED = {Input.ATTENDANCE, Input.INTERACTION, Input.CHECK_IN, Input.TICKET, Input.PRACTICE_COMPLETION}
_RATES = {Input.ATTENDANCE, Input.CHECK_IN, Input.PRACTICE_COMPLETION}
_IMPLIED_SUCCESS = {f"{ADL}passed": 1.0, f"{ADL}failed": 0.0}
_CHUNK = 500


def verb_inputs(workspace: Workspace) -> dict[str, str]:
    """The workspace's reading of every verb it overrides (``""``: ignored), over the defaults."""
    return {**DEFAULT_VERBS, **dict(VerbMapping.objects.filter(workspace=workspace).values_list("verb", "input"))}


# Reading one statement ----------------------------------------------------------------------------


_DURATION = re.compile(
    r"^P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?(?:(?P<weeks>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MINUTES = {"years": 525_600, "months": 43_800, "weeks": 10_080, "days": 1440, "hours": 60, "minutes": 1}


def duration_minutes(value: object) -> float | None:
    """An ISO 8601 duration (``PT1H30M``, ``PT45.5S``) in minutes; None when absent or unreadable."""
    match = _DURATION.match(value) if isinstance(value, str) and value != "P" else None
    if match is None:
        return None
    parts = {name: float(number) for name, number in match.groupdict().items() if number is not None}
    return sum(parts.get(name, 0) * factor for name, factor in _MINUTES.items()) + parts.get("seconds", 0) / 60


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def score_of(result: dict, verb: str) -> float | None:
    """The statement's score on 0–1: ``score.scaled``, else raw within min–max, else success as
    1 or 0 (implied by the verb for passed and failed); None when it carries no score."""
    score = result.get("score") if isinstance(result.get("score"), dict) else {}
    if isinstance(score.get("scaled"), int | float):
        return _clamp(score["scaled"])
    raw, low, high = score.get("raw"), score.get("min", 0), score.get("max")
    if all(isinstance(n, int | float) for n in (raw, low, high)) and high > low:
        return _clamp((raw - low) / (high - low))
    if isinstance(result.get("success"), bool):
        return 1.0 if result["success"] else 0.0
    return _IMPLIED_SUCCESS.get(verb)


def values_of(document: dict, verb: str, input: str | None) -> list[tuple[str, float]]:
    """What one statement measures: ``(input, value)`` pairs, the verb's own and its duration.

    ``input`` is what the verb counts as (None: nothing, ``""``: ignored altogether)."""
    if input == "":
        return []
    result = document.get("result") if isinstance(document.get("result"), dict) else {}
    minutes = duration_minutes(result.get("duration"))
    values: list[tuple[str, float]] = []
    if input == Input.TIME_ONLINE:
        return [(input, minutes)] if minutes is not None else []
    if input in _COUNTED:
        missed = input in _RATES and (result.get("success") is False or result.get("completion") is False)
        values.append((input, 0.0 if missed else 1.0))
    elif input:
        score = score_of(result, verb)
        if score is not None:
            values.append((input, score))
    if minutes is not None:
        values.append((Input.TIME_ONLINE, minutes))
    return values


def activity_ids_of(document: dict) -> list[str]:
    """The statement's activity, then its context's parent and grouping activities: the first
    one mapped to a module places the statement."""
    found = []
    target = document.get("object") or {}
    if isinstance(target, dict) and target.get("objectType", "Activity") == "Activity" and target.get("id"):
        found.append(target["id"])
    context = document.get("context") if isinstance(document.get("context"), dict) else {}
    activities = context.get("contextActivities") if isinstance(context.get("contextActivities"), dict) else {}
    for kind in ("parent", "grouping"):
        listed = activities.get(kind) or []
        for activity in [listed] if isinstance(listed, dict) else listed:
            if isinstance(activity, dict) and activity.get("id") and activity["id"] not in found:
                found.append(activity["id"])
    return found


def email_of(actor: dict) -> str | None:
    """The email an actor names: its ``mbox``, or an ``account.name`` that is an address."""
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        return mbox[7:].strip().lower()
    name = (actor.get("account") or {}).get("name") if isinstance(actor.get("account"), dict) else None
    if isinstance(name, str) and "@" in name:
        return name.strip().lower()
    return None


def actor_name_of(document: dict) -> str:
    """The actor's display name as the LMS sent it."""
    actor = document.get("actor") if isinstance(document.get("actor"), dict) else {}
    return str(actor.get("name") or "")


def display_of(names: object) -> str:
    """The English text of a language map (``{"en-US": "…"}``), else its first text."""
    if not isinstance(names, dict) or not names:
        return ""
    for tag in ("en", "en-US", "en-GB"):
        if tag in names:
            return str(names[tag])
    return str(next(iter(names.values())))


def activity_name_of(document: dict) -> str:
    target = document.get("object") if isinstance(document.get("object"), dict) else {}
    definition = target.get("definition") if isinstance(target.get("definition"), dict) else {}
    return display_of(definition.get("name"))


def verb_display_of(document: dict) -> str:
    verb = document.get("verb") if isinstance(document.get("verb"), dict) else {}
    return display_of(verb.get("display"))


# Resolving a batch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    pk: int
    uuid: str
    cohort_id: int
    status: str
    starts_on: datetime.date
    ends_on: datetime.date


def _people_by_actor(workspace: Workspace, statements: list[Statement]) -> dict[str, int]:
    """Actor key → person id: the stored mappings, and new ones for actors whose address is a
    person's account email (stored, so the match stays when the email later changes)."""
    keys = {statement.actor_key for statement in statements}
    people = dict(
        ActorMapping.objects.filter(workspace=workspace, actor_key__in=keys).values_list("actor_key", "person_id")
    )
    unknown = {s.actor_key: s.document.get("actor") or {} for s in statements if s.actor_key not in people}
    if not unknown:
        return people
    emails = {key: email for key, actor in unknown.items() if (email := email_of(actor))}
    hashed = {key: actor["mbox_sha1sum"].lower() for key, actor in unknown.items() if actor.get("mbox_sha1sum")}
    found = Person.objects.filter(workspace=workspace)
    if hashed:  # a hashed address can only be compared with every person's hashed email
        found = found.values_list("user__email", "pk")
    else:
        found = found.filter(user__email__in=set(emails.values())).values_list("user__email", "pk")
    by_email = {email.lower(): pk for email, pk in found}
    by_hash = (
        {
            hashlib.sha1(f"mailto:{email}".encode(), usedforsecurity=False).hexdigest(): pk
            for email, pk in by_email.items()
        }
        if hashed
        else {}
    )
    matched = {key: by_email[email] for key, email in emails.items() if email in by_email}
    matched |= {key: by_hash[digest] for key, digest in hashed.items() if digest in by_hash}
    if matched:
        ActorMapping.objects.bulk_create(
            [ActorMapping(workspace=workspace, actor_key=key, person_id=pk) for key, pk in sorted(matched.items())],
            ignore_conflicts=True,  # a concurrent batch may store the same match first
        )
    return people | matched


def _modules_by_activity(workspace: Workspace, statements: list[Statement]) -> dict[str, tuple[int, int]]:
    """Activity id → (module id, programme id) for every activity the statements name."""
    ids = {activity for statement in statements for activity in activity_ids_of(statement.document)}
    rows = ActivityMapping.objects.filter(workspace=workspace, activity__in=ids).values_list(
        "activity", "module_id", "module__programme_id"
    )
    return {activity: (module_id, programme_id) for activity, module_id, programme_id in rows}


def _enrolments(workspace: Workspace, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[_Candidate]]:
    """(person id, programme id) → that person's enrolments in the programme's cohorts."""
    found: dict[tuple[int, int], list[_Candidate]] = defaultdict(list)
    if not pairs:
        return found
    rows = Enrolment.objects.filter(
        workspace=workspace,
        person_id__in={person for person, _ in pairs},
        cohort__programme_id__in={programme for _, programme in pairs},
    ).values_list(
        "pk", "uuid", "person_id", "cohort_id", "cohort__programme_id", "status", "cohort__starts_on", "cohort__ends_on"
    )
    for pk, uuid, person_id, cohort_id, programme_id, status, starts_on, ends_on in rows:
        found[(person_id, programme_id)].append(_Candidate(pk, str(uuid), cohort_id, status, starts_on, ends_on))
    return found


def choose_enrolment(candidates: list[_Candidate], *, registration, at: datetime.datetime) -> _Candidate | None:
    """The enrolment a statement belongs to: the one its registration names, else active ones
    first, then the one whose cohort dates contain the statement's time, then the latest cohort
    that had started by then."""
    if registration is not None:
        named = [c for c in candidates if c.uuid == str(registration)]
        if named:
            return named[0]
    day = at.astimezone(datetime.UTC).date()

    def rank(candidate: _Candidate) -> tuple:
        return (
            candidate.status == EnrolmentStatus.ACTIVE,
            candidate.status != EnrolmentStatus.WITHDRAWN,
            candidate.starts_on <= day <= candidate.ends_on,
            candidate.starts_on <= day,
            candidate.starts_on,
            -candidate.pk,
        )

    return max(candidates, key=rank, default=None)


def _module_of(statement: Statement, modules: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    return next((modules[a] for a in activity_ids_of(statement.document) if a in modules), None)


def process_statements(workspace: Workspace, statement_ids: list[int]) -> int:
    """Map the statements' actors, activities and verbs and record their facts; return how many
    statements were processed. Statements whose actor, activity or enrolment cannot be resolved
    stay unprocessed (with the person and module set where known) and are listed for an admin to
    map. Voided and already processed statements are left alone. Side effects: actor mappings for
    actors matched by email; activity records and rollups (``recording.record``)."""
    statements = list(
        Statement.objects.filter(workspace=workspace, pk__in=statement_ids, processed=False, voided=False).order_by(
            "pk"
        )
    )
    if not statements:
        return 0
    with transaction.atomic():
        people = _people_by_actor(workspace, statements)
        modules = _modules_by_activity(workspace, statements)
        placed = {s.pk: _module_of(s, modules) for s in statements}
        pairs = {(people[s.actor_key], placed[s.pk][1]) for s in statements if s.actor_key in people and placed[s.pk]}
        enrolments = _enrolments(workspace, pairs)
        verbs = verb_inputs(workspace)
        facts: list[Fact] = []
        changed: list[Statement] = []
        processed = 0
        for statement in statements:
            person_id = people.get(statement.actor_key)
            module_id, programme_id = placed[statement.pk] or (None, None)
            done = statement.verb == VOIDED or statement.voids is not None or not activity_ids_of(statement.document)
            if not done and person_id and module_id:
                enrolment = choose_enrolment(
                    enrolments.get((person_id, programme_id), []),
                    registration=statement.registration,
                    at=statement.timestamp,
                )
                if enrolment is not None:
                    facts += _facts(statement, enrolment, module_id, verbs.get(statement.verb))
                    done = True
            processed += done
            if (statement.person_id, statement.module_id, statement.processed) != (person_id, module_id, done):
                statement.person_id, statement.module_id, statement.processed = person_id, module_id, done
                changed.append(statement)
        record(workspace, facts)
        _save_outcomes(changed)
    return processed


# Django's bulk_update builds a CASE per field and row, which costs more than the rest of a batch;
# one prepared UPDATE run for every row is the fast way on SQLite and PostgreSQL alike.
_OUTCOME = "UPDATE tracking_statement SET person_id = %s, module_id = %s, processed = %s WHERE id = %s"


def _save_outcomes(statements: list[Statement]) -> None:
    if statements:
        with connection.cursor() as cursor:
            cursor.executemany(_OUTCOME, [(s.person_id, s.module_id, s.processed, s.pk) for s in statements])


def _facts(statement: Statement, enrolment: _Candidate, module_id: int, input: str | None) -> list[Fact]:
    return [
        Fact(
            cohort_id=enrolment.cohort_id,
            enrolment_id=enrolment.pk,
            module_id=module_id,
            input=measured,
            value=value,
            occurred_at=statement.timestamp,
            origin=Origin.XAPI,
            statement_id=statement.pk,
        )
        for measured, value in values_of(statement.document, statement.verb, input)
    ]


def forget_statements(workspace: Workspace, statement_ids: list[int]) -> int:
    """Take voided statements' facts out of the records and rollups; return how many records went.
    The statements stay, unprocessed (a voided one is never processed again)."""
    with transaction.atomic():
        gone = unrecord(workspace, ActivityRecord.objects.filter(workspace=workspace, statement_id__in=statement_ids))
        Statement.objects.filter(workspace=workspace, pk__in=statement_ids).update(processed=False)
    return gone


# Re-processing after a mapping change --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What changed, so the statements it touches can be found again (also by a task later).

    ``previous_module_id``: the module an activity was mapped to before, whose statements may
    have been placed through it as a parent activity. ``backlog``: every unprocessed statement.
    """

    actor_key: str = ""
    activity: str = ""
    previous_module_id: int | None = None
    verb: str = ""
    backlog: bool = False

    def as_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def affected_statements(workspace: Workspace, change: Change) -> list[int]:
    """The ids of the statements a mapping change may read differently (voided ones excepted)."""
    statements = Statement.objects.filter(workspace=workspace, voided=False)
    if change.actor_key:
        return list(statements.filter(actor_key=change.actor_key).values_list("pk", flat=True))
    if change.verb:
        return list(statements.filter(verb=change.verb).values_list("pk", flat=True))
    if change.backlog:
        return list(statements.filter(processed=False).values_list("pk", flat=True))
    if not change.activity:
        return []
    direct = Q(activity=change.activity)
    if change.previous_module_id:
        direct |= Q(module_id=change.previous_module_id)
    ids = set(statements.filter(direct).values_list("pk", flat=True))
    # Statements placed only through a parent or grouping activity: the unplaced backlog is read.
    waiting = statements.filter(processed=False, module__isnull=True).exclude(activity=change.activity)
    for pk, document in waiting.values_list("pk", "document").iterator(chunk_size=_CHUNK):
        if change.activity in activity_ids_of(document):
            ids.add(pk)
    return sorted(ids)


def reprocess(workspace: Workspace, statement_ids: Iterable[int]) -> int:
    """Read these statements again under the current mappings: their records go, then they are
    processed afresh, a chunk per transaction. Returns how many are processed now."""
    ids = sorted(statement_ids)
    processed = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        with transaction.atomic():
            forget_statements(workspace, chunk)
            processed += process_statements(workspace, chunk)
    return processed
