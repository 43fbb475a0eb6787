"""Strict validation of xAPI 1.0.3 statements, hand-written with the standard library.

Why by hand: the PyPI options are either pydantic models (ralph's, which pass a fifth of the ADL
conformance suite and answer 422) or unmaintained (``tincan``). The rules fit in one module, run
in microseconds per statement (ingestion speed matters), and each failure names the property at
fault. The messages are protocol messages for LMS developers, so they are not translated.

``validate_statement`` raises ``StatementError`` on the first problem; it never changes the
statement, which is kept as sent.
"""

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
MAX_IRI = 2048  # the longest verb and activity id the statement table keeps


class StatementError(ValueError):
    """A statement breaks the specification; the message says where and why."""


# Formats ------------------------------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# ISO 8601 date and time, with a mandatory offset (``Z`` or ±hh:mm, ±hhmm, ±hh).
_TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)",
    re.ASCII,
)
# ISO 8601 durations: PnYnMnDTnHnMnS (any part may be omitted, seconds may be fractional) or PnW.
_DURATION = re.compile(
    r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?|P\d+W",
    re.ASCII,
)
# RFC 5646 language tags (BCP 47), case-insensitive, including private use and the irregular
# grandfathered tags.
_LANGUAGE_TAG = re.compile(
    r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})   # language, with extended subtags
      (?:-[a-z]{4})?                                         # script
      (?:-(?:[a-z]{2}|\d{3}))?                               # region
      (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*                    # variants
      (?:-[\da-wyz](?:-[a-z\d]{2,8})+)*                      # extensions
      (?:-x(?:-[a-z\d]{1,8})+)?                              # private use
    | x(?:-[a-z\d]{1,8})+                                    # private use only
    | en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)
    )
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:", re.ASCII)
_MAILTO = re.compile(r"mailto:[^@\s]+@[^@\s]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_SHA2 = re.compile(r"[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}")
_MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(?:\s*;.*)?", re.ASCII)


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def parse_timestamp(value: Any) -> datetime | None:
    """The moment an ISO 8601 timestamp with an offset names, or None if it is not one.

    ``-00:00`` is refused: RFC 3339 uses it for "offset unknown", which the specification forbids.
    """
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.fullmatch(value)
    if match is None or match["offset"] in ("-00", "-0000", "-00:00"):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(",", "."))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def is_iri(value: Any) -> bool:
    """An absolute IRI: a scheme, something after it, no spaces, and not too long to keep."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_IRI
        and _SCHEME.match(value) is not None
        and len(value) > value.index(":") + 1
        and _NOT_IN_IRI.search(value) is None
    )


def is_irl(value: Any) -> bool:
    """An IRI that can be resolved: http(s) with a host."""
    if not is_iri(value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_language_tag(value: Any) -> bool:
    return isinstance(value, str) and _LANGUAGE_TAG.fullmatch(value) is not None


# Building blocks ----------------------------------------------------------------------------------


def _fail(path: str, problem: str) -> None:
    raise StatementError(f"{path}: {problem}")


def _object(value: Any, path: str, allowed: frozenset[str], required: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    unknown = value.keys() - allowed
    if unknown:
        _fail(path, f"unknown property {sorted(unknown)[0]!r}")
    for name in required:
        if name not in value:
            _fail(path, f"{name!r} is required")
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a string")
    return value


def _boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        _fail(path, "must be true or false")


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(path, "must be a number")
    return value


def _iri(value: Any, path: str) -> None:
    if not is_iri(value):
        _fail(path, f"must be an absolute IRI of at most {MAX_IRI} characters")


def _irl(value: Any, path: str) -> None:
    if not is_irl(value):
        _fail(path, "must be an http(s) IRL")


def _uuid(value: Any, path: str) -> None:
    if not is_uuid(value):
        _fail(path, "must be a UUID")


def _timestamp(value: Any, path: str) -> None:
    if parse_timestamp(value) is None:
        _fail(path, "must be an ISO 8601 timestamp with a time zone offset (not -00:00)")


def _language_map(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a language map (a JSON object)")
    for tag, text in value.items():
        if not is_language_tag(tag):
            _fail(path, f"{tag!r} is not an RFC 5646 language tag")
        _string(text, f"{path}.{tag}")


def _extensions(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    for key in value:
        if not is_iri(key):
            _fail(path, f"key {key!r} must be an absolute IRI")


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        _fail(path, "must be an array")
    return value


# Actors -------------------------------------------------------------------------------------------

IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT = frozenset({"objectType", "name", *IDENTIFIERS})
_GROUP = frozenset({*_AGENT, "member"})
_ACCOUNT = frozenset({"homePage", "name"})


def _identifiers(actor: dict, path: str) -> int:
    """Check the inverse functional identifiers an actor has; return how many."""
    if "mbox" in actor and (not isinstance(actor["mbox"], str) or not _MAILTO.fullmatch(actor["mbox"])):
        _fail(f"{path}.mbox", "must be a mailto: IRI with an email address")
    if "mbox_sha1sum" in actor and (
        not isinstance(actor["mbox_sha1sum"], str) or not _SHA1.fullmatch(actor["mbox_sha1sum"])
    ):
        _fail(f"{path}.mbox_sha1sum", "must be 40 hexadecimal characters")
    if "openid" in actor:
        _iri(actor["openid"], f"{path}.openid")
    if "account" in actor:
        account = _object(actor["account"], f"{path}.account", _ACCOUNT, ("homePage", "name"))
        _irl(account["homePage"], f"{path}.account.homePage")
        _string(account["name"], f"{path}.account.name")
    if "name" in actor:
        _string(actor["name"], f"{path}.name")
    return sum(1 for name in IDENTIFIERS if name in actor)


def validate_agent(agent: Any, path: str) -> None:
    if isinstance(agent, dict) and agent.get("objectType", "Agent") != "Agent":
        _fail(f"{path}.objectType", "must be 'Agent'")
    agent = _object(agent, path, _AGENT)
    if _identifiers(agent, path) != 1:
        _fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid or account")


def validate_group(group: Any, path: str) -> None:
    group = _object(group, path, _GROUP, ("objectType",))
    identified = _identifiers(group, path)
    if identified > 1:
        _fail(path, "a Group has at most one of mbox, mbox_sha1sum, openid or account")
    if "member" in group:
        for number, member in enumerate(_list(group["member"], f"{path}.member")):
            validate_agent(member, f"{path}.member[{number}]")
    if not identified and not group.get("member"):
        _fail(path, "an anonymous Group (without an identifier) must list its members")


def validate_actor(actor: Any, path: str) -> None:
    """An Agent (``objectType`` may be left out) or a Group."""
    if isinstance(actor, dict) and actor.get("objectType") == "Group":
        validate_group(actor, path)
    else:
        validate_agent(actor, path)


# Verb ----------------------------------------------------------------------------------------------

_VERB = frozenset({"id", "display"})


def validate_verb(verb: Any, path: str) -> None:
    verb = _object(verb, path, _VERB, ("id",))
    _iri(verb["id"], f"{path}.id")
    if "display" in verb:
        _language_map(verb["display"], f"{path}.display")


# Objects ------------------------------------------------------------------------------------------

_ACTIVITY = frozenset({"objectType", "id", "definition"})
_DEFINITION = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
)
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
# Which component lists each interaction type may carry.
INTERACTION_TYPES: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset({"choices"}),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "numeric": frozenset(),
    "other": frozenset(),
}
_COMPONENT = frozenset({"id", "description"})
_STATEMENT_REF = frozenset({"objectType", "id"})


def _components(value: Any, path: str) -> None:
    seen = set()
    for number, component in enumerate(_list(value, path)):
        here = f"{path}[{number}]"
        component = _object(component, here, _COMPONENT, ("id",))
        if not _string(component["id"], f"{here}.id").strip():
            _fail(f"{here}.id", "must not be empty")
        if component["id"] in seen:
            _fail(f"{here}.id", "repeats another component's id")
        seen.add(component["id"])
        if "description" in component:
            _language_map(component["description"], f"{here}.description")


def _definition(definition: Any, path: str) -> None:
    definition = _object(definition, path, _DEFINITION)
    for name in ("name", "description"):
        if name in definition:
            _language_map(definition[name], f"{path}.{name}")
    if "type" in definition:
        _iri(definition["type"], f"{path}.type")
    if "moreInfo" in definition:
        _irl(definition["moreInfo"], f"{path}.moreInfo")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{path}.extensions")
    interaction = definition.get("interactionType")
    if interaction is None:
        if any(name in definition for name in ("correctResponsesPattern", *COMPONENT_LISTS)):
            _fail(path, "interaction properties need an interactionType")
        return
    if interaction not in INTERACTION_TYPES:
        _fail(f"{path}.interactionType", f"must be one of {', '.join(INTERACTION_TYPES)}")
    if "correctResponsesPattern" in definition:
        for number, pattern in enumerate(
            _list(definition["correctResponsesPattern"], f"{path}.correctResponsesPattern")
        ):
            _string(pattern, f"{path}.correctResponsesPattern[{number}]")
    for name in COMPONENT_LISTS:
        if name in definition:
            if name not in INTERACTION_TYPES[interaction]:
                _fail(f"{path}.{name}", f"is not allowed for a {interaction!r} interaction")
            _components(definition[name], f"{path}.{name}")


def validate_activity(activity: Any, path: str) -> None:
    activity = _object(activity, path, _ACTIVITY, ("id",))
    if activity.get("objectType", "Activity") != "Activity":
        _fail(f"{path}.objectType", "must be 'Activity'")
    _iri(activity["id"], f"{path}.id")
    if "definition" in activity:
        _definition(activity["definition"], f"{path}.definition")


def _statement_ref(value: Any, path: str) -> None:
    ref = _object(value, path, _STATEMENT_REF, ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        _fail(f"{path}.objectType", "must be 'StatementRef'")
    _uuid(ref["id"], f"{path}.id")


def _statement_object(value: Any, path: str, *, in_sub_statement: bool) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        validate_activity(value, path)
    elif kind == "Agent":
        validate_agent(value, path)
    elif kind == "Group":
        validate_group(value, path)
    elif kind == "StatementRef":
        _statement_ref(value, path)
    elif kind == "SubStatement":
        if in_sub_statement:
            _fail(path, "a SubStatement cannot contain another SubStatement")
        _statement(value, path, sub=True)
    else:
        _fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")


# Result, context, attachments ---------------------------------------------------------------------

_RESULT = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
_SCORE = frozenset({"scaled", "raw", "min", "max"})
_CONTEXT = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
_CONTEXT_ACTIVITIES = frozenset({"parent", "grouping", "category", "other"})
_ATTACHMENT = frozenset({"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"})


def _score(value: Any, path: str) -> None:
    score = _object(value, path, _SCORE)
    figures = {name: _number(score[name], f"{path}.{name}") for name in _SCORE if name in score}
    if "scaled" in figures and not -1 <= figures["scaled"] <= 1:
        _fail(f"{path}.scaled", "must be between -1 and 1")
    low, high = figures.get("min"), figures.get("max")
    if low is not None and high is not None and low > high:
        _fail(path, "min must not be above max")
    raw = figures.get("raw")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        _fail(f"{path}.raw", "must be between min and max")


def _result(value: Any, path: str) -> None:
    result = _object(value, path, _RESULT)
    if "score" in result:
        _score(result["score"], f"{path}.score")
    for name in ("success", "completion"):
        if name in result:
            _boolean(result[name], f"{path}.{name}")
    if "response" in result:
        _string(result["response"], f"{path}.response")
    if "duration" in result and (
        not isinstance(result["duration"], str) or not _DURATION.fullmatch(result["duration"])
    ):
        _fail(f"{path}.duration", "must be an ISO 8601 duration such as PT1H30M")
    if "extensions" in result:
        _extensions(result["extensions"], f"{path}.extensions")


def _context(value: Any, path: str, *, object_is_activity: bool) -> None:
    context = _object(value, path, _CONTEXT)
    if "registration" in context:
        _uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        validate_actor(context["instructor"], f"{path}.instructor")
    if "team" in context:
        if not isinstance(context["team"], dict) or context["team"].get("objectType") != "Group":
            _fail(f"{path}.team", "must be a Group")
        validate_group(context["team"], f"{path}.team")
    if "contextActivities" in context:
        here = f"{path}.contextActivities"
        for kind, activities in _object(context["contextActivities"], here, _CONTEXT_ACTIVITIES).items():
            # A single Activity is allowed and means a list of one.
            for number, activity in enumerate(activities if isinstance(activities, list) else [activities]):
                validate_activity(activity, f"{here}.{kind}[{number}]")
    for name in ("revision", "platform"):
        if name in context:
            _string(context[name], f"{path}.{name}")
            if not object_is_activity:
                _fail(f"{path}.{name}", "is only allowed when the object is an Activity")
    if "language" in context and not is_language_tag(context["language"]):
        _fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in context:
        _statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        _extensions(context["extensions"], f"{path}.extensions")


def _attachments(value: Any, path: str) -> None:
    for number, attachment in enumerate(_list(value, path)):
        here = f"{path}[{number}]"
        attachment = _object(attachment, here, _ATTACHMENT, ("usageType", "display", "contentType", "length", "sha2"))
        _iri(attachment["usageType"], f"{here}.usageType")
        _language_map(attachment["display"], f"{here}.display")
        if "description" in attachment:
            _language_map(attachment["description"], f"{here}.description")
        if not isinstance(attachment["contentType"], str) or not _MEDIA_TYPE.fullmatch(attachment["contentType"]):
            _fail(f"{here}.contentType", "must be an Internet media type")
        length = attachment["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            _fail(f"{here}.length", "must be a whole number of octets")
        if not isinstance(attachment["sha2"], str) or not _SHA2.fullmatch(attachment["sha2"]):
            _fail(f"{here}.sha2", "must be a hexadecimal SHA-2 digest")
        if "fileUrl" not in attachment:
            _fail(here, "attachments are not supported: give a fileUrl instead of sending the file")
        _irl(attachment["fileUrl"], f"{here}.fileUrl")


# Statements ---------------------------------------------------------------------------------------

_STATEMENT = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
)
_SUB_STATEMENT = frozenset({"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"})
_VERSION = re.compile(r"1\.0(?:\.\d+)?", re.ASCII)

_PROPERTIES: dict[str, Callable[[Any, str], None]] = {
    "actor": validate_actor,
    "verb": validate_verb,
    "result": _result,
    "timestamp": _timestamp,
    "attachments": _attachments,
}


def _statement(statement: Any, path: str, *, sub: bool) -> None:
    if sub and isinstance(statement, dict):
        forbidden = statement.keys() & {"id", "stored", "version", "authority"}
        if forbidden:
            _fail(path, f"a SubStatement cannot have {sorted(forbidden)[0]!r}")
    statement = _object(statement, path, _SUB_STATEMENT if sub else _STATEMENT, ("actor", "verb", "object"))
    for name, check in _PROPERTIES.items():
        if name in statement:
            check(statement[name], f"{path}.{name}")
    _statement_object(statement["object"], f"{path}.object", in_sub_statement=sub)
    if "context" in statement:
        activity = statement["object"].get("objectType", "Activity") == "Activity"
        _context(statement["context"], f"{path}.context", object_is_activity=activity)
    if not sub and statement["verb"]["id"] == VOIDED and statement["object"].get("objectType") != "StatementRef":
        _fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def validate_statement(statement: Any, path: str = "statement") -> None:
    """Raise ``StatementError`` unless ``statement`` is a valid xAPI 1.0.3 statement.

    ``stored`` and ``authority`` are checked for form only: Takeroot replaces them."""
    _statement(statement, path, sub=False)
    if "id" in statement:
        _uuid(statement["id"], f"{path}.id")
    if "stored" in statement:
        _timestamp(statement["stored"], f"{path}.stored")
    if "authority" in statement:
        validate_actor(statement["authority"], f"{path}.authority")
    if "version" in statement and (
        not isinstance(statement["version"], str) or not _VERSION.fullmatch(statement["version"])
    ):
        _fail(f"{path}.version", "must be 1.0.x")


def uuid_text(value: str) -> str:
    """The canonical (lower-case, hyphenated) form of a valid UUID string."""
    return str(uuid.UUID(value))
