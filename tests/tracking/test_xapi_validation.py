"""What the statements resource accepts and refuses, as the xAPI 1.0.3 specification says; and
the reading of a statement (actor keys, the comparison of two sendings)."""

import copy
import uuid

import pytest

from takeroot.tracking.models import Statement
from takeroot.tracking.xapi.documents import actor_key, same_statement
from takeroot.tracking.xapi.validation import StatementError, is_language_tag, validate_statement

from .test_xapi import ANSWERED, Lms, edx_problem, error_of, moodle_completion, moodle_quiz_answer

ACTIVITY = {"objectType": "Activity", "id": "http://example.com/activities/feedback-talk"}
PIA = {"mbox": "mailto:pia@acme.test"}


def _statement(**changes) -> dict:
    statement = {
        "actor": dict(PIA),
        "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
        "object": dict(ACTIVITY),
    }
    statement.update(changes)
    return statement


def _interaction(kind: str, **definition) -> dict:
    return {**ACTIVITY, "definition": {"interactionType": kind, **definition}}


def _sub(**changes) -> dict:
    return {
        "objectType": "SubStatement",
        "actor": dict(PIA),
        "verb": {"id": ANSWERED},
        "object": dict(ACTIVITY),
        **changes,
    }


@pytest.fixture
def lms(workspace):
    return Lms(workspace)


INVALID = {
    # The statement
    "not an object in a batch": ([_statement(), "answered"], "statement[1]: must be a JSON object"),
    "no actor": ({"verb": {"id": ANSWERED}, "object": ACTIVITY}, "statement: 'actor' is required"),
    "no verb": ({"actor": PIA, "object": ACTIVITY}, "statement: 'verb' is required"),
    "no object": ({"actor": PIA, "verb": {"id": ANSWERED}}, "statement: 'object' is required"),
    "unknown property": (_statement(mood="happy"), "statement: unknown property 'mood'"),
    "id not a uuid": (_statement(id="statement-1"), "statement.id: must be a UUID"),
    "id a number": (_statement(id=12), "statement.id: must be a UUID"),
    "version 2": (_statement(version="2.0.0"), "statement.version: must be 1.0.x"),
    "version a number": (_statement(version=1.0), "statement.version: must be 1.0.x"),
    "stored not a time": (_statement(stored="today"), "statement.stored: must be an ISO 8601 timestamp"),
    "authority without identifier": (_statement(authority={"name": "LMS"}), "statement.authority: an Agent needs"),
    # Timestamps
    "timestamp without zone": (_statement(timestamp="2026-10-05T09:00:00"), "statement.timestamp: must be an ISO 8601"),
    "timestamp unknown offset": (_statement(timestamp="2026-10-05T09:00:00-00:00"), "statement.timestamp: must be"),
    "timestamp date only": (_statement(timestamp="2026-10-05"), "statement.timestamp: must be"),
    "timestamp impossible day": (_statement(timestamp="2026-02-30T09:00:00Z"), "statement.timestamp: must be"),
    "timestamp in words": (_statement(timestamp="5 October 2026"), "statement.timestamp: must be"),
    "timestamp a number": (_statement(timestamp=1_790_000_000), "statement.timestamp: must be"),
    # Actors
    "agent without identifier": (_statement(actor={"name": "Pia"}), "statement.actor: an Agent needs exactly one"),
    "agent with two identifiers": (
        _statement(actor={"mbox": "mailto:pia@acme.test", "openid": "http://openid.acme.test/pia"}),
        "statement.actor: an Agent needs exactly one",
    ),
    "mbox without mailto": (_statement(actor={"mbox": "pia@acme.test"}), "statement.actor.mbox: must be a mailto: IRI"),
    "mbox without address": (_statement(actor={"mbox": "mailto:pia"}), "statement.actor.mbox: must be a mailto: IRI"),
    "sha1 too short": (_statement(actor={"mbox_sha1sum": "abc123"}), "statement.actor.mbox_sha1sum: must be 40"),
    "openid relative": (_statement(actor={"openid": "pia"}), "statement.actor.openid: must be an absolute IRI"),
    "account without homePage": (_statement(actor={"account": {"name": "42"}}), "statement.actor.account: 'homePage'"),
    "account homePage not a url": (
        _statement(actor={"account": {"homePage": "moodle", "name": "42"}}),
        "statement.actor.account.homePage: must be an http(s) IRL",
    ),
    "account name a number": (
        _statement(actor={"account": {"homePage": "https://moodle.acme.test", "name": 42}}),
        "statement.actor.account.name: must be a string",
    ),
    "account extra property": (
        _statement(actor={"account": {"homePage": "https://moodle.acme.test", "name": "42", "id": 1}}),
        "statement.actor.account: unknown property 'id'",
    ),
    "agent name a number": (_statement(actor={**PIA, "name": 7}), "statement.actor.name: must be a string"),
    "agent with members": (_statement(actor={**PIA, "member": [PIA]}), "statement.actor: unknown property 'member'"),
    "actor of unknown type": (_statement(actor={**PIA, "objectType": "Person"}), "statement.actor.objectType"),
    "anonymous group without members": (
        _statement(actor={"objectType": "Group", "name": "Sales"}),
        "must list its members",
    ),
    "group with a group member": (
        _statement(actor={"objectType": "Group", "member": [{"objectType": "Group", "member": [PIA]}]}),
        "statement.actor.member[0].objectType: must be 'Agent'",
    ),
    "group members not a list": (
        _statement(actor={"objectType": "Group", "member": PIA}),
        "statement.actor.member: must be an array",
    ),
    "group with two identifiers": (
        _statement(actor={"objectType": "Group", "mbox": "mailto:sales@acme.test", "openid": "http://x.test/s"}),
        "statement.actor: a Group has at most one",
    ),
    # Verb
    "verb without id": (_statement(verb={"display": {"en": "did"}}), "statement.verb: 'id' is required"),
    "verb id not an iri": (_statement(verb={"id": "answered"}), "statement.verb.id: must be an absolute IRI"),
    "verb id with a space": (
        _statement(verb={"id": "http://x.test/an swered"}),
        "statement.verb.id: must be an absolute",
    ),
    "verb id too long": (
        _statement(verb={"id": "http://x.test/" + "a" * 2040}),
        "statement.verb.id: must be an absolute",
    ),
    "verb display a string": (
        _statement(verb={"id": ANSWERED, "display": "answered"}),
        "statement.verb.display: must be",
    ),
    "verb display bad tag": (
        _statement(verb={"id": ANSWERED, "display": {"en_US": "answered"}}),
        "statement.verb.display: 'en_US' is not an RFC 5646 language tag",
    ),
    "verb display empty tag": (
        _statement(verb={"id": ANSWERED, "display": {"": "x"}}),
        "is not an RFC 5646 language tag",
    ),
    "verb display not text": (
        _statement(verb={"id": ANSWERED, "display": {"en": ["answered"]}}),
        "statement.verb.display.en: must be a string",
    ),
    "verb extra property": (_statement(verb={"id": ANSWERED, "name": "x"}), "statement.verb: unknown property 'name'"),
    # Objects
    "activity without id": (_statement(object={"objectType": "Activity"}), "statement.object: 'id' is required"),
    "activity id not an iri": (
        _statement(object={"id": "feedback-talk"}),
        "statement.object.id: must be an absolute IRI",
    ),
    "object of unknown type": (
        _statement(object={**ACTIVITY, "objectType": "Course"}),
        "statement.object.objectType: must be",
    ),
    "object a string": (_statement(object="http://x.test/a"), "statement.object: must be a JSON object"),
    "activity extra property": (
        _statement(object={**ACTIVITY, "name": "x"}),
        "statement.object: unknown property 'name'",
    ),
    "agent object without objectType": (_statement(object=PIA), "statement.object: unknown property 'mbox'"),
    "statement ref bad id": (
        _statement(object={"objectType": "StatementRef", "id": "nope"}),
        "statement.object.id: must be a UUID",
    ),
    "statement ref extra property": (
        _statement(object={"objectType": "StatementRef", "id": str(uuid.uuid4()), "verb": {}}),
        "statement.object: unknown property 'verb'",
    ),
    "substatement in substatement": (
        _statement(object=_sub(object=_sub())),
        "statement.object.object: a SubStatement cannot contain another SubStatement",
    ),
    "substatement with id": (_statement(object=_sub(id=str(uuid.uuid4()))), "a SubStatement cannot have 'id'"),
    "substatement with stored": (_statement(object=_sub(stored="2026-10-05T09:00:00Z")), "cannot have 'stored'"),
    "substatement with version": (_statement(object=_sub(version="1.0.0")), "cannot have 'version'"),
    "substatement with authority": (_statement(object=_sub(authority=PIA)), "cannot have 'authority'"),
    "substatement without verb": (
        _statement(object={"objectType": "SubStatement", "actor": PIA, "object": ACTIVITY}),
        "'verb' is required",
    ),
    # Activity definitions
    "definition name a string": (
        _statement(object={**ACTIVITY, "definition": {"name": "Talk"}}),
        "definition.name: must be a language map",
    ),
    "definition type not an iri": (
        _statement(object={**ACTIVITY, "definition": {"type": "course"}}),
        "definition.type: must be",
    ),
    "definition moreInfo not a url": (
        _statement(object={**ACTIVITY, "definition": {"moreInfo": "urn:isbn:123"}}),
        "definition.moreInfo: must be an http(s) IRL",
    ),
    "definition extension key not an iri": (
        _statement(object={**ACTIVITY, "definition": {"extensions": {"colour": "blue"}}}),
        "definition.extensions: key 'colour' must be an absolute IRI",
    ),
    "unknown interaction type": (
        _statement(object=_interaction("essay")),
        "definition.interactionType: must be one of",
    ),
    "choices without interaction type": (
        _statement(object={**ACTIVITY, "definition": {"choices": [{"id": "a"}]}}),
        "interaction properties need an interactionType",
    ),
    "scale on a choice": (
        _statement(object=_interaction("choice", scale=[{"id": "1"}])),
        "definition.scale: is not allowed",
    ),
    "choices on true-false": (
        _statement(object=_interaction("true-false", choices=[{"id": "a"}])),
        "is not allowed for a 'true-false'",
    ),
    "steps on matching": (
        _statement(object=_interaction("matching", steps=[{"id": "a"}])),
        "is not allowed for a 'matching'",
    ),
    "component without id": (
        _statement(object=_interaction("choice", choices=[{"description": {"en": "A"}}])),
        "choices[0]: 'id' is required",
    ),
    "component ids repeated": (
        _statement(object=_interaction("likert", scale=[{"id": "1"}, {"id": "1"}])),
        "definition.scale[1].id: repeats another component's id",
    ),
    "component extra property": (
        _statement(object=_interaction("sequencing", choices=[{"id": "a", "label": "A"}])),
        "choices[0]: unknown property 'label'",
    ),
    "correct responses not a list": (
        _statement(object=_interaction("true-false", correctResponsesPattern="true")),
        "definition.correctResponsesPattern: must be an array",
    ),
    "correct response a boolean": (
        _statement(object=_interaction("true-false", correctResponsesPattern=[True])),
        "definition.correctResponsesPattern[0]: must be a string",
    ),
    # Result
    "score scaled above 1": (
        _statement(result={"score": {"scaled": 1.01}}),
        "result.score.scaled: must be between -1 and 1",
    ),
    "score scaled below -1": (
        _statement(result={"score": {"scaled": -2}}),
        "result.score.scaled: must be between -1 and 1",
    ),
    "score raw above max": (
        _statement(result={"score": {"raw": 11, "min": 0, "max": 10}}),
        "result.score.raw: must be between",
    ),
    "score raw below min": (_statement(result={"score": {"raw": -1, "min": 0}}), "result.score.raw: must be between"),
    "score min above max": (
        _statement(result={"score": {"min": 5, "max": 1}}),
        "result.score: min must not be above max",
    ),
    "score a string": (_statement(result={"score": {"raw": "5"}}), "result.score.raw: must be a number"),
    "score a boolean": (_statement(result={"score": {"scaled": True}}), "result.score.scaled: must be a number"),
    "score extra property": (_statement(result={"score": {"percent": 50}}), "result.score: unknown property 'percent'"),
    "success a string": (_statement(result={"success": "yes"}), "result.success: must be true or false"),
    "completion a number": (_statement(result={"completion": 1}), "result.completion: must be true or false"),
    "response a number": (_statement(result={"response": 3}), "result.response: must be a string"),
    "duration in minutes": (
        _statement(result={"duration": "45 minutes"}),
        "result.duration: must be an ISO 8601 duration",
    ),
    "duration without unit": (_statement(result={"duration": "PT45"}), "result.duration: must be"),
    "duration empty": (_statement(result={"duration": "P"}), "result.duration: must be"),
    "duration T without time": (_statement(result={"duration": "P1DT"}), "result.duration: must be"),
    "result extra property": (_statement(result={"grade": "A"}), "result: unknown property 'grade'"),
    # Context
    "registration not a uuid": (_statement(context={"registration": "run-1"}), "context.registration: must be a UUID"),
    "instructor without identifier": (
        _statement(context={"instructor": {"name": "Tomasz"}}),
        "context.instructor: an Agent",
    ),
    "team an agent": (_statement(context={"team": PIA}), "context.team: must be a Group"),
    "context activity without id": (
        _statement(context={"contextActivities": {"parent": [{"objectType": "Activity"}]}}),
        "context.contextActivities.parent[0]: 'id' is required",
    ),
    "unknown context activity kind": (
        _statement(context={"contextActivities": {"sibling": [ACTIVITY]}}),
        "context.contextActivities: unknown property 'sibling'",
    ),
    "revision when the object is an agent": (
        _statement(object={"objectType": "Agent", **PIA}, context={"revision": "2"}),
        "context.revision: is only allowed when the object is an Activity",
    ),
    "platform when the object is a statement": (
        _statement(object={"objectType": "StatementRef", "id": str(uuid.uuid4())}, context={"platform": "Moodle"}),
        "context.platform: is only allowed when the object is an Activity",
    ),
    "context language bad tag": (_statement(context={"language": "en US"}), "context.language: must be an RFC 5646"),
    "context statement not a ref": (
        _statement(context={"statement": {"id": str(uuid.uuid4())}}),
        "context.statement: 'objectType'",
    ),
    "context extension key not an iri": (_statement(context={"extensions": {"x": 1}}), "context.extensions: key 'x'"),
    "context extra property": (_statement(context={"course": "x"}), "context: unknown property 'course'"),
    # Attachments
    "attachment to send as a file": (
        _statement(
            attachments=[
                {
                    "usageType": "http://id.tincanapi.com/attachment/certificate",
                    "display": {"en": "Certificate"},
                    "contentType": "application/pdf",
                    "length": 12,
                    "sha2": "a" * 64,
                }
            ]
        ),
        "statement.attachments[0]: attachments are not supported: give a fileUrl instead of sending the file",
    ),
    "attachment without sha2": (
        _statement(
            attachments=[
                {
                    "usageType": "http://x.test/u",
                    "display": {"en": "C"},
                    "contentType": "application/pdf",
                    "length": 1,
                    "fileUrl": "https://x.test/c.pdf",
                }
            ]
        ),
        "statement.attachments[0]: 'sha2' is required",
    ),
    "attachment negative length": (
        _statement(
            attachments=[
                {
                    "usageType": "http://x.test/u",
                    "display": {"en": "C"},
                    "contentType": "application/pdf",
                    "length": -1,
                    "sha2": "a" * 64,
                    "fileUrl": "https://x.test/c.pdf",
                }
            ]
        ),
        "statement.attachments[0].length: must be a whole number of octets",
    ),
    "attachment bad content type": (
        _statement(
            attachments=[
                {
                    "usageType": "http://x.test/u",
                    "display": {"en": "C"},
                    "contentType": "pdf",
                    "length": 1,
                    "sha2": "a" * 64,
                    "fileUrl": "https://x.test/c.pdf",
                }
            ]
        ),
        "statement.attachments[0].contentType: must be an Internet media type",
    ),
    "attachments not a list": (_statement(attachments={}), "statement.attachments: must be an array"),
}


@pytest.mark.parametrize(("statement", "reason"), INVALID.values(), ids=INVALID.keys())
def test_an_invalid_statement_is_refused_with_the_reason(lms, statement, reason):
    response = lms.post(statement)

    assert response.status_code == 400
    assert error_of(response).startswith(reason) or reason in error_of(response), error_of(response)
    assert Statement.objects.count() == 0


VALID = {
    "minimal": _statement(),
    "chinese verb display": _statement(
        verb={"id": ANSWERED, "display": {"zh-Hans-CN": "回答了", "sv": "svarade", "en-GB-oed": "answered"}}
    ),
    "language tags of every shape": _statement(
        object={
            **ACTIVITY,
            "definition": {
                "name": {
                    "de-CH-1901": "a",
                    "sl-rozaj-biske": "b",
                    "es-419": "c",
                    "x-whatever": "d",
                    "en-a-bbb-x-a-ccc": "e",
                }
            },
        }
    ),
    "identified group": _statement(
        actor={"objectType": "Group", "account": {"homePage": "https://hr.acme.test", "name": "sales"}}
    ),
    "anonymous group": _statement(
        actor={"objectType": "Group", "member": [PIA, {"openid": "http://openid.acme.test/olek"}]}
    ),
    "sha1 actor": _statement(actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
    "agent object": _statement(object={"objectType": "Agent", "mbox": "mailto:tomasz@acme.test"}),
    "sub-statement": _statement(
        object=_sub(context={"registration": str(uuid.uuid4())}, timestamp="2026-10-05T09:00:00Z")
    ),
    "statement ref": _statement(object={"objectType": "StatementRef", "id": str(uuid.uuid4())}),
    "every interaction": _statement(
        object=_interaction(
            "matching",
            source=[{"id": "1", "description": {"en": "Praise"}}],
            target=[{"id": "a", "description": {"en": "Specific"}}],
            correctResponsesPattern=["1[.]a"],
        )
    ),
    "performance": _statement(
        object=_interaction("performance", steps=[{"id": "s1"}], correctResponsesPattern=["s1[.]1:5"])
    ),
    "negative score": _statement(
        result={"score": {"scaled": -0.5, "raw": -5, "min": -10, "max": 10}, "duration": "P1DT2H3M4.5S"}
    ),
    "weeks duration": _statement(result={"duration": "P2W"}),
    "timestamp offsets": _statement(timestamp="2026-10-05T09:00:00.123456789+0530"),
    "single context activity": _statement(
        context={
            "contextActivities": {"parent": ACTIVITY},
            "team": {"objectType": "Group", "mbox": "mailto:sales@acme.test"},
        }
    ),
    "attachment by url": _statement(
        attachments=[
            {
                "usageType": "http://id.tincanapi.com/attachment/certificate",
                "display": {"en": "Certificate"},
                "contentType": "application/pdf",
                "length": 1024,
                "sha2": "a" * 64,
                "fileUrl": "https://moodle.acme.test/cert.pdf",
            }
        ]
    ),
    "authority and stored sent": _statement(
        authority={"account": {"homePage": "https://lms.test", "name": "x"}}, stored="2020-01-01T00:00:00Z"
    ),
    "uppercase id": _statement(id=str(uuid.uuid4()).upper()),
}


@pytest.mark.parametrize("statement", VALID.values(), ids=VALID.keys())
def test_a_valid_statement_is_accepted(lms, statement):
    response = lms.post(statement)

    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 1


def test_takeroot_replaces_the_authority_and_stored_it_was_sent(lms):
    lms.post(VALID["authority and stored sent"])

    document = Statement.objects.get().document
    assert document["authority"]["account"]["name"] == lms.username
    assert document["stored"] != "2020-01-01T00:00:00Z"


# Reading statements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "key"),
    [
        ({"mbox": "mailto:Pia@ACME.test"}, "mbox:mailto:pia@acme.test"),
        (
            {"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"},
            "mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
        ),
        ({"openid": "http://openid.acme.test/Pia"}, "openid:http://openid.acme.test/Pia"),
        (
            {"account": {"homePage": "https://moodle.acme.test", "name": "42"}, "name": "Pia"},
            "account:https://moodle.acme.test|42",
        ),
        ({"objectType": "Group", "mbox": "mailto:sales@acme.test", "member": [PIA]}, "mbox:mailto:sales@acme.test"),
    ],
)
def test_actors_are_known_by_their_identifier(actor, key):
    assert actor_key(actor) == key


def test_an_anonymous_group_is_known_by_its_members_in_any_order():
    first = {"objectType": "Group", "member": [PIA, {"openid": "http://x.test/o"}]}
    second = {"objectType": "Group", "name": "Us", "member": [{"openid": "http://x.test/o"}, PIA]}

    assert actor_key(first) == actor_key(second)
    assert actor_key(first).startswith("group:")
    assert actor_key(first) != actor_key({"objectType": "Group", "member": [PIA]})


def test_a_very_long_identifier_is_hashed_to_fit():
    key = actor_key({"openid": "http://x.test/" + "a" * 600})

    assert key.startswith("sha256:")
    assert len(key) == 71


def test_two_sendings_of_one_statement_are_the_same():
    statement = moodle_quiz_answer()
    again = copy.deepcopy(statement)
    again["context"]["registration"] = statement["context"]["registration"].upper()
    again["context"]["contextActivities"]["parent"] = statement["context"]["contextActivities"]["parent"][0]
    again["timestamp"] = "2026-10-05T11:30:00+02:00"
    again["id"], again["version"] = str(uuid.uuid4()), "1.0.3"

    assert same_statement(statement, again)
    assert not same_statement(statement, {**statement, "timestamp": "2026-10-05T09:31:00Z"})
    assert not same_statement(statement, {**statement, "result": {"success": False}})
    assert not same_statement(moodle_completion("42"), moodle_completion("43"))


@pytest.mark.parametrize(
    "tag", ["en", "en-US", "zh-Hans-CN", "sr-Latn-RS", "es-419", "i-klingon", "x-private", "de-DE-u-co-phonebk"]
)
def test_language_tags_of_rfc_5646_are_accepted(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "en_US", "toolonglanguage", "en-", "-en", "zh-Hans-CN-", "en--US", "12"])
def test_strings_that_are_not_language_tags_are_refused(tag):
    assert not is_language_tag(tag)


def test_a_statement_is_never_changed_by_validation():
    statement = edx_problem()
    before = copy.deepcopy(statement)
    validate_statement(statement)

    assert statement == before
    with pytest.raises(StatementError, match=r"^statement.actor: must be a JSON object$"):
        validate_statement({**statement, "actor": None})
