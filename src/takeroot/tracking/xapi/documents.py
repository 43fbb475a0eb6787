"""Reading statement documents: the actor key queries match on, the comparison the specification
asks for when a statement is sent twice, and the ``ids`` and ``canonical`` formats of a GET.

Every function here takes a statement that ``validation.validate_statement`` accepted.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .validation import IDENTIFIERS, parse_timestamp

KEY_LENGTH = 512  # Statement.actor_key's width
# Dict-valued properties of these names are language maps wherever they appear in a statement.
LANGUAGE_MAPS = frozenset({"display", "name", "description"})
# Takeroot sets these (or may set them), so two sendings of one statement may differ in them.
ASSIGNED = ("id", "stored", "authority", "version", "timestamp")


def actor_key(actor: dict) -> str:
    """The canonical identifier of an Agent or Group: ``mbox:mailto:x@y`` (lower-cased),
    ``mbox_sha1sum:…``, ``openid:…``, ``account:<homePage>|<name>``; an anonymous Group is known by
    its members. Keys too long for the column are hashed, which keeps them stable."""
    if "mbox" in actor:
        key = f"mbox:{actor['mbox'].lower()}"
    elif "mbox_sha1sum" in actor:
        key = f"mbox_sha1sum:{actor['mbox_sha1sum'].lower()}"
    elif "openid" in actor:
        key = f"openid:{actor['openid']}"
    elif "account" in actor:
        key = f"account:{actor['account']['homePage']}|{actor['account']['name']}"
    else:
        members = "\n".join(sorted(actor_key(member) for member in actor["member"]))
        key = f"group:{hashlib.sha256(members.encode()).hexdigest()}"
    if len(key) > KEY_LENGTH:
        return f"sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def format_stored(moment: datetime) -> str:
    """A UTC timestamp as xAPI documents write it: ``2026-10-05T09:00:00.000Z``."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _map_language_maps(value: Any, change: Callable[[dict], dict]) -> Any:
    """A copy of ``value`` with every language map passed through ``change``; extensions, whose
    contents are the sender's own, are copied untouched."""
    if isinstance(value, list):
        return [_map_language_maps(item, change) for item in value]
    if not isinstance(value, dict):
        return value
    copy = {}
    for key, item in value.items():
        if key == "extensions":
            copy[key] = item
        elif key in LANGUAGE_MAPS and isinstance(item, dict):
            copy[key] = change(item)
        else:
            copy[key] = _map_language_maps(item, change)
    return copy


# Comparison -----------------------------------------------------------------------------------------


def _comparable(statement: dict) -> dict:
    """The statement with what may legitimately differ between two sendings ironed out: the
    properties Takeroot assigns, the case of language tags and UUIDs, the order of a Group's
    members, and a lone context activity written without its array."""
    normal = _map_language_maps(
        {key: value for key, value in statement.items() if key not in ASSIGNED},
        lambda language_map: {tag.lower(): text for tag, text in language_map.items()},
    )
    return _normalise(normal)


def _normalise(value: Any) -> Any:
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if not isinstance(value, dict):
        return value
    normal = {key: (item if key == "extensions" else _normalise(item)) for key, item in value.items()}
    if normal.get("objectType") == "StatementRef" and isinstance(normal.get("id"), str):
        normal["id"] = normal["id"].lower()
    if isinstance(normal.get("registration"), str):
        normal["registration"] = normal["registration"].lower()
    if isinstance(normal.get("member"), list):
        normal["member"] = sorted(normal["member"], key=repr)
    if isinstance(normal.get("contextActivities"), dict):
        normal["contextActivities"] = {
            kind: activities if isinstance(activities, list) else [activities]
            for kind, activities in normal["contextActivities"].items()
        }
    return normal


def same_statement(one: dict, other: dict) -> bool:
    """Whether two documents are the same statement in the sense of the specification's
    "Statement Comparison Requirements" (the same timestamp written in two time zones is the
    same; a timestamp Takeroot would have filled in is not a difference)."""
    if _comparable(one) != _comparable(other):
        return False
    if "timestamp" in one and "timestamp" in other:
        return parse_timestamp(one["timestamp"]) == parse_timestamp(other["timestamp"])
    return True


# Formats --------------------------------------------------------------------------------------------


def _ids_actor(actor: dict) -> dict:
    reduced = {"objectType": actor.get("objectType", "Agent")}
    identifier = next((name for name in IDENTIFIERS if name in actor), None)
    if identifier:
        reduced[identifier] = actor[identifier]
    else:
        reduced["member"] = [_ids_actor(member) for member in actor["member"]]
    return reduced


def _ids_object(target: dict) -> dict:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": target["id"]}
    if kind in ("Agent", "Group"):
        return _ids_actor(target)
    if kind == "SubStatement":
        return {"objectType": "SubStatement", **_ids_statement(target)}
    return target


def _ids_statement(statement: dict) -> dict:
    reduced = {key: value for key, value in statement.items() if key != "objectType"}
    reduced["actor"] = _ids_actor(statement["actor"])
    reduced["verb"] = {"id": statement["verb"]["id"]}
    reduced["object"] = _ids_object(statement["object"])
    if "authority" in statement:
        reduced["authority"] = _ids_actor(statement["authority"])
    if "context" in statement:
        context = dict(statement["context"])
        for role in ("instructor", "team"):
            if role in context:
                context[role] = _ids_actor(context[role])
        if "contextActivities" in context:
            context["contextActivities"] = {
                kind: [_ids_object(a) for a in (activities if isinstance(activities, list) else [activities])]
                for kind, activities in context["contextActivities"].items()
            }
        reduced["context"] = context
    return reduced


def _best_language(languages: list[str]) -> Callable[[dict], dict]:
    """Reduce a language map to the one entry the reader prefers (else its first entry)."""
    wanted = [language.lower() for language in languages]

    def reduce(language_map: dict) -> dict:
        if not language_map:
            return language_map
        by_tag = {tag.lower(): tag for tag in language_map}
        for language in wanted:
            tag = by_tag.get(language) or next((t for low, t in by_tag.items() if low.split("-")[0] == language), None)
            if tag:
                return {tag: language_map[tag]}
        first = next(iter(language_map))
        return {first: language_map[first]}

    return reduce


def formatted(document: dict, form: str, languages: list[str]) -> dict:
    """A stored document in the format a GET asked for: ``exact`` as stored, ``ids`` with agents
    and activities reduced to their identifiers, ``canonical`` with each language map reduced to
    the reader's language."""
    if form == "ids":
        return _ids_statement(document)
    if form == "canonical":
        return _map_language_maps(document, _best_language(languages))
    return document
