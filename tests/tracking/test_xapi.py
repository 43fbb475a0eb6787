"""The xAPI statements resource as an LMS meets it: posting, putting, reading back, voiding,
versions, credentials, and who sees what."""

import base64
import copy
import datetime
import json
import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from takeroot.tracking.models import LmsConnection, Statement
from takeroot.tracking.xapi.auth import digest_of, new_credentials

STATEMENTS = "/xapi/statements"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
MOODLE = "https://moodle.acme.test"
EDX = "https://openedx.acme.test"


# Real payloads ------------------------------------------------------------------------------------


def moodle_completion(learner: str = "42") -> dict:
    """A module completion as Moodle's logstore_xapi sends it."""
    return {
        "actor": {"name": "Pia Participant", "account": {"homePage": MOODLE, "name": learner}},
        "verb": {"id": COMPLETED, "display": {"en": "completed"}},
        "object": {
            "id": f"{MOODLE}/mod/page/view.php?id=17",
            "definition": {
                "type": "http://id.tincanapi.com/activitytype/lms/module",
                "name": {"en": "Giving feedback"},
                "extensions": {"https://w3id.org/learning-analytics/learning-management-system/external-id": "17"},
            },
            "objectType": "Activity",
        },
        "timestamp": "2026-10-05T11:12:13+02:00",
        "context": {
            "platform": "Moodle",
            "language": "en",
            "extensions": {
                "http://lrs.learninglocker.net/define/extensions/info": {
                    "http://moodle.org": "4.3.2",
                    "event_name": "\\core\\event\\course_module_completion_updated",
                    "event_function": "\\src\\transformer\\events\\core\\course_module_completion_updated",
                }
            },
            "contextActivities": {
                "grouping": [
                    {
                        "id": MOODLE,
                        "definition": {
                            "type": "http://id.tincanapi.com/activitytype/lms",
                            "name": {"en": "Acme Moodle"},
                        },
                        "objectType": "Activity",
                    },
                    {
                        "id": f"{MOODLE}/course/view.php?id=5",
                        "definition": {
                            "type": "http://id.tincanapi.com/activitytype/lms/course",
                            "name": {"en": "Feedback that sticks"},
                        },
                        "objectType": "Activity",
                    },
                ],
                "category": [
                    {
                        "id": "http://moodle.org",
                        "definition": {"type": "http://id.tincanapi.com/activitytype/source", "name": {"en": "Moodle"}},
                        "objectType": "Activity",
                    }
                ],
            },
        },
    }


def moodle_quiz_answer(learner: str = "42") -> dict:
    """A quiz question answered, with its score, as logstore_xapi sends it."""
    return {
        "actor": {"name": "Pia Participant", "account": {"homePage": MOODLE, "name": learner}},
        "verb": {"id": ANSWERED, "display": {"en": "answered"}},
        "object": {
            "id": f"{MOODLE}/question/question.php?id=301",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "name": {"en": "Which question opens a feedback talk?"},
                "interactionType": "choice",
                "correctResponsesPattern": ["b"],
                "choices": [
                    {"id": "a", "description": {"en": "Why did you do that?"}},
                    {"id": "b", "description": {"en": "What did you notice?"}},
                ],
            },
            "objectType": "Activity",
        },
        "timestamp": "2026-10-05T09:30:00Z",
        "result": {
            "response": "b",
            "success": True,
            "completion": True,
            "score": {"raw": 1, "min": 0, "max": 1, "scaled": 1},
        },
        "context": {
            "registration": "3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
            "platform": "Moodle",
            "language": "en",
            "contextActivities": {"parent": [{"id": f"{MOODLE}/mod/quiz/view.php?id=18", "objectType": "Activity"}]},
        },
    }


def edx_video(learner: str = "32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb") -> dict:
    """A video watched for four and a half minutes, as Open edX's event-routing-backends send it."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": EDX, "name": learner}},
        "verb": {"id": EXPERIENCED, "display": {"en-US": "experienced"}},
        "object": {
            "id": f"{EDX}/xblock/block-v1:Acme+FB101+2026+type@video+block@7e5f6a",
            "objectType": "Activity",
            "definition": {
                "type": "https://w3id.org/xapi/video/activity-type/video",
                "name": {"en-US": "Feedback demo"},
            },
        },
        "result": {
            "duration": "PT4M30S",
            "extensions": {"https://w3id.org/xapi/video/extensions/time": 270.0},
        },
        "context": {
            "contextActivities": {
                "parent": [
                    {
                        "id": f"{EDX}/course/course-v1:Acme+FB101+2026",
                        "objectType": "Activity",
                        "definition": {
                            "name": {"en-US": "Feedback that sticks"},
                            "type": "http://adlnet.gov/expapi/activities/course",
                        },
                    }
                ]
            },
            "extensions": {
                "https://w3id.org/xapi/openedx/extension/transformer-version": "event-routing-backends@7.0.1",
                "https://w3id.org/xapi/openedx/extensions/session-id": "056aca2b4a3e3b8f6a2f2e3a6c6b5d4e",
            },
        },
        "timestamp": "2026-10-05T09:00:00.123456+00:00",
        "version": "1.0.3",
    }


def edx_problem(learner: str = "32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb") -> dict:
    """A problem answered, half right, as Open edX sends it."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": EDX, "name": learner}},
        "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
        "object": {
            "id": f"{EDX}/xblock/block-v1:Acme+FB101+2026+type@problem+block@3fc546",
            "objectType": "Activity",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "other",
                "description": {"en-US": "Spot the judgement"},
            },
        },
        "result": {
            "score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
            "success": False,
            "response": '["choice_1"]',
        },
        "timestamp": "2026-10-05T09:05:00+00:00",
        "version": "1.0.3",
    }


def voiding(target: str) -> dict:
    return {
        "actor": {"mbox": "mailto:admin@moodle.acme.test"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }


# An LMS and its credentials -----------------------------------------------------------------------


class Lms:
    """An LMS connection and a client that speaks xAPI with its credentials."""

    def __init__(self, workspace, name: str = "Moodle"):
        self.username, self.secret = new_credentials()
        self.connection = LmsConnection.objects.create(
            workspace=workspace, name=name, username=self.username, secret_digest=digest_of(self.secret)
        )
        self.client = Client()

    def headers(self, version: str | None = "1.0.3", secret: str | None = None, **extra) -> dict:
        token = base64.b64encode(f"{self.username}:{secret or self.secret}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", **extra}
        if version is not None:
            headers["X-Experience-API-Version"] = version
        return headers

    def post(self, body, *, path: str = STATEMENTS, content_type: str = "application/json", **headers):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.generic("POST", path, data, content_type=content_type, headers=self.headers(**headers))

    def put(self, body, statement_id: str | None, **headers):
        path = f"{STATEMENTS}?{urlencode({'statementId': statement_id})}" if statement_id else STATEMENTS
        return self.client.generic(
            "PUT", path, json.dumps(body), content_type="application/json", headers=self.headers(**headers)
        )

    def get(self, path: str = STATEMENTS, method: str = "GET", headers: dict | None = None, **parameters):
        query = f"?{urlencode(parameters)}" if parameters else ""
        return self.client.generic(method, f"{path}{query}", headers=self.headers(**(headers or {})))

    def follow(self, more: str):
        return self.client.get(more, headers=self.headers())


@pytest.fixture
def lms(workspace):
    return Lms(workspace)


@pytest.fixture
def other_lms(workspace):
    """A second LMS in the same workspace."""
    return Lms(workspace, name="Open edX")


@pytest.fixture
def outsider_lms(other_workspace):
    return Lms(other_workspace, name="Globex Moodle")


def error_of(response) -> str:
    return response.json()["error"]


# About --------------------------------------------------------------------------------------------


def test_about_lists_the_versions_without_credentials(client):
    response = client.get("/xapi/about")

    assert response.status_code == 200
    assert response.json() == {"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"], "extensions": {}}
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert client.get("/xapi/about/").status_code == 200


def test_about_answers_head_and_refuses_other_methods(client):
    head = client.head("/xapi/about")
    post = client.post("/xapi/about")

    assert (head.status_code, head.content, head["X-Experience-API-Version"]) == (200, b"", "1.0.3")
    assert (post.status_code, post["Allow"]) == (405, "GET, HEAD")


# Posting ------------------------------------------------------------------------------------------


def test_a_moodle_statement_is_stored_as_sent_with_what_takeroot_sets(lms):
    sent = moodle_completion()
    response = lms.post(sent)

    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"
    [statement_id] = response.json()
    row = Statement.objects.get()
    assert str(row.statement_id) == statement_id
    assert row.document == {
        **sent,
        "id": statement_id,
        "version": "1.0.0",
        "stored": row.document["stored"],
        "authority": {
            "objectType": "Agent",
            "name": "Moodle",
            "account": {"homePage": "http://127.0.0.1:8000", "name": lms.username},
        },
    }
    assert (row.verb, row.activity, row.actor_key) == (
        COMPLETED,
        f"{MOODLE}/mod/page/view.php?id=17",
        f"account:{MOODLE}|42",
    )
    assert row.timestamp == datetime.datetime(2026, 10, 5, 9, 12, 13, tzinfo=datetime.UTC)
    assert (row.workspace_id, row.connection, row.voided, row.registration) == (
        lms.connection.workspace_id,
        lms.connection,
        False,
        None,
    )


def test_a_batch_answers_the_ids_in_order_keeping_those_sent(lms):
    batch = [moodle_completion(), moodle_quiz_answer(), edx_video(), edx_problem()]
    response = lms.post(batch)

    ids = response.json()
    assert response.status_code == 200
    assert [ids[2], ids[3]] == [batch[2]["id"], batch[3]["id"]]
    assert all(uuid.UUID(statement_id) for statement_id in ids)
    rows = {str(row.statement_id): row for row in Statement.objects.all()}
    assert set(rows) == set(ids)
    assert rows[ids[1]].registration == uuid.UUID("3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b")
    assert rows[ids[2]].document["result"]["duration"] == "PT4M30S"
    assert rows[ids[2]].document["version"] == "1.0.3"


def test_email_actors_are_known_by_their_lower_cased_address(lms):
    statement = {**moodle_completion(), "actor": {"mbox": "mailto:Pia.Participant@Acme.TEST", "name": "Pia"}}
    lms.post(statement)

    assert Statement.objects.get().actor_key == "mbox:mailto:pia.participant@acme.test"


def test_one_invalid_statement_in_a_hundred_stores_none(lms):
    batch = [edx_problem() for _ in range(100)]
    batch[57]["result"]["score"]["scaled"] = 1.5
    response = lms.post(batch)

    assert response.status_code == 400
    assert error_of(response) == "statement[57].result.score.scaled: must be between -1 and 1"
    assert Statement.objects.count() == 0


def test_a_batch_naming_one_id_twice_is_refused(lms):
    first = edx_problem()
    response = lms.post([first, {**edx_video(), "id": first["id"]}])

    assert (response.status_code, error_of(response)) == (400, "the batch sends the same statement id twice")
    assert Statement.objects.count() == 0


def test_an_empty_batch_is_refused(lms):
    response = lms.post([])

    assert (response.status_code, error_of(response)) == (400, "no statements were sent")


def test_sending_a_statement_again_stores_it_once(lms):
    statement = edx_problem()
    again = copy.deepcopy(statement)
    # The same statement, written differently: the timestamp in another zone, upper-case id and
    # language tag, properties in another order, and what Takeroot sets sent back.
    again["id"] = statement["id"].upper()
    again["timestamp"] = "2026-10-05T11:05:00+02:00"
    again["verb"]["display"] = {"EN-us": "answered"}
    again["stored"] = "2020-01-01T00:00:00Z"
    again = dict(reversed(again.items()))

    first, second = lms.post(statement), lms.post([again, edx_video()])

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()[0] == statement["id"]
    assert Statement.objects.count() == 2


def test_a_known_id_with_other_content_is_a_conflict_and_stores_nothing(lms):
    statement = edx_problem()
    lms.post(statement)
    changed = {**statement, "result": {**statement["result"], "success": True}}
    response = lms.post([edx_video(), changed])

    assert response.status_code == 409
    assert error_of(response) == f"statement {statement['id']} is already stored with different content"
    assert Statement.objects.count() == 1
    assert Statement.objects.get().document["result"]["success"] is False


def test_the_same_id_in_another_workspace_is_another_statement(lms, outsider_lms):
    statement = edx_problem()
    lms.post(statement)
    response = outsider_lms.post({**statement, "result": {"success": True}})

    assert response.status_code == 200
    assert Statement.objects.filter(statement_id=statement["id"]).count() == 2


def test_posting_with_query_parameters_is_refused(lms):
    response = lms.post(edx_problem(), path=f"{STATEMENTS}?method=PUT")

    assert (response.status_code, error_of(response)) == (400, "unknown parameter 'method'")


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("{not json", "application/json", "the body is not valid JSON"),
        ('{"result": {"score": {"raw": NaN}}}', "application/json", "the body is not valid JSON: NaN is not JSON"),
        (b"\xff\xfe", "application/json", "the body is not valid JSON"),
        ("actor=me", "application/x-www-form-urlencoded", "send statements as application/json"),
        (
            "--boundary",
            "multipart/mixed; boundary=boundary",
            "attachments are not supported: give each attachment a fileUrl",
        ),
        ('"a string"', "application/json", "statement: must be a JSON object"),
    ],
)
def test_a_body_that_is_not_statements_is_refused(lms, body, content_type, reason):
    response = lms.post(body, content_type=content_type)

    assert response.status_code == 400
    assert error_of(response).startswith(reason)
    assert Statement.objects.count() == 0


def test_the_trailing_slash_is_optional(lms):
    response = lms.post(edx_problem(), path=f"{STATEMENTS}/")

    assert response.status_code == 200


# Putting ------------------------------------------------------------------------------------------


def test_put_stores_the_statement_under_the_id_named(lms):
    statement_id = str(uuid.uuid4())
    response = lms.put(moodle_completion(), statement_id)

    assert (response.status_code, response.content, response["X-Experience-API-Version"]) == (204, b"", "1.0.3")
    assert str(Statement.objects.get().statement_id) == statement_id
    assert Statement.objects.get().document["id"] == statement_id


def test_put_again_is_accepted_and_put_with_other_content_conflicts(lms):
    statement = edx_problem()
    assert lms.put(statement, statement["id"]).status_code == 204
    assert lms.put(statement, statement["id"].upper()).status_code == 204
    assert lms.put({**statement, "verb": {"id": COMPLETED}}, statement["id"]).status_code == 409
    assert Statement.objects.count() == 1


@pytest.mark.parametrize(
    ("statement_id", "body", "reason"),
    [
        (None, moodle_completion(), "PUT needs the statementId parameter"),
        ("not-a-uuid", moodle_completion(), "statementId must be a UUID"),
        (str(uuid.uuid4()), edx_problem(), "statement.id differs from the statementId parameter"),
        (str(uuid.uuid4()), [moodle_completion()], "PUT takes a single statement"),
        (str(uuid.uuid4()), {**moodle_completion(), "verb": {}}, "statement.verb: 'id' is required"),
    ],
    ids=["no statementId", "not a uuid", "ids differ", "a list", "invalid"],  # the same names on every worker
)
def test_a_put_that_does_not_fit_is_refused(lms, statement_id, body, reason):
    response = lms.put(body, statement_id)

    assert (response.status_code, error_of(response)) == (400, reason)
    assert Statement.objects.count() == 0


# Reading back -------------------------------------------------------------------------------------


def test_a_statement_is_read_back_exactly_as_stored(lms):
    [statement_id] = lms.post(moodle_completion()).json()
    response = lms.get(statementId=statement_id.upper())

    row = Statement.objects.get()
    assert response.status_code == 200
    assert response.json() == row.document
    assert response["X-Experience-API-Consistent-Through"].endswith("Z")
    assert response["Last-Modified"]


def test_an_unknown_statement_is_not_found(lms):
    response = lms.get(statementId=str(uuid.uuid4()))

    assert (response.status_code, response["X-Experience-API-Version"]) == (404, "1.0.3")


def test_head_answers_like_get_without_a_body(lms):
    [statement_id] = lms.post(moodle_completion()).json()
    one = lms.get(method="HEAD", statementId=statement_id)
    many = lms.get(method="HEAD")

    assert (one.status_code, one.content, one["X-Experience-API-Version"]) == (200, b"", "1.0.3")
    assert (many.status_code, many.content) == (200, b"")
    assert many["X-Experience-API-Consistent-Through"]


def _post_spread(lms, statements: list[dict], *, minutes_apart: int = 1) -> list[str]:
    """Post statements one by one and spread their ``stored`` times, oldest first."""
    ids = [lms.post(statement).json()[0] for statement in statements]
    start = timezone.now() - datetime.timedelta(hours=1)
    for number, statement_id in enumerate(ids):
        Statement.objects.filter(statement_id=statement_id).update(
            stored=start + datetime.timedelta(minutes=number * minutes_apart)
        )
    return ids


def test_the_statement_result_is_newest_first_and_filters(lms):
    ids = _post_spread(lms, [moodle_completion("42"), moodle_quiz_answer("42"), moodle_completion("43"), edx_problem()])

    def found(**parameters):
        response = lms.get(**parameters)
        assert response.status_code == 200, response.content
        assert response["X-Experience-API-Consistent-Through"]
        return [statement["id"] for statement in response.json()["statements"]]

    agent = json.dumps({"account": {"homePage": MOODLE, "name": "42"}})
    assert found() == ids[::-1]
    assert found(ascending="true") == ids
    assert found(agent=agent) == [ids[1], ids[0]]
    assert found(verb=ANSWERED) == [ids[3], ids[1]]
    assert found(activity=f"{MOODLE}/mod/page/view.php?id=17") == [ids[2], ids[0]]
    assert found(registration="3E1F2A4B-5C6D-4E7F-8A9B-0C1D2E3F4A5B") == [ids[1]]
    second = Statement.objects.get(statement_id=ids[1]).stored.isoformat()
    assert found(since=second) == [ids[3], ids[2]]
    assert found(until=second) == [ids[1], ids[0]]
    assert found(agent=agent, verb=COMPLETED) == [ids[0]]


def test_more_pages_through_every_statement_once(lms):
    batches = [[edx_problem() for _ in range(4)], [edx_video() for _ in range(3)], [moodle_completion()]]
    sent = [statement_id for batch in batches for statement_id in lms.post(batch).json()]

    seen, pages = [], 0
    response = lms.get(limit=3)
    while True:
        pages += 1
        result = response.json()
        seen += [statement["id"] for statement in result["statements"]]
        if not result["more"]:
            break
        lms.post(edx_problem())  # what arrives meanwhile does not disturb the pages
        response = lms.follow(result["more"])
        assert response.status_code == 200

    assert pages == 3
    assert sorted(seen) == sorted(sent)


def test_a_more_link_keeps_its_filters(lms):
    for _ in range(3):
        lms.post([edx_problem(), moodle_completion()])
    first = lms.get(verb=ANSWERED, limit=2).json()
    second = lms.follow(first["more"]).json()

    assert [s["verb"]["id"] for s in first["statements"] + second["statements"]] == [ANSWERED] * 3
    assert second["more"] == ""


def test_the_ids_format_keeps_only_identifiers(lms):
    [statement_id] = lms.post(moodle_quiz_answer()).json()
    response = lms.get(statementId=statement_id, format="ids")

    document = response.json()
    assert document["actor"] == {"objectType": "Agent", "account": {"homePage": MOODLE, "name": "42"}}
    assert document["verb"] == {"id": ANSWERED}
    assert document["object"] == {"objectType": "Activity", "id": f"{MOODLE}/question/question.php?id=301"}
    assert document["context"]["contextActivities"] == {
        "parent": [{"objectType": "Activity", "id": f"{MOODLE}/mod/quiz/view.php?id=18"}]
    }
    assert document["authority"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://127.0.0.1:8000", "name": lms.username},
    }
    assert document["result"] == moodle_quiz_answer()["result"]


def test_the_canonical_format_speaks_the_readers_language(lms):
    statement = {**edx_problem(), "verb": {"id": ANSWERED, "display": {"en-US": "answered", "pl-PL": "odpowiedział"}}}
    lms.post(statement)
    polish = lms.get(statementId=statement["id"], format="canonical", headers={"Accept-Language": "pl, en;q=0.5"})
    other = lms.get(statementId=statement["id"], format="canonical", headers={"Accept-Language": "sv"})

    assert polish.json()["verb"]["display"] == {"pl-PL": "odpowiedział"}
    assert other.json()["verb"]["display"] == {"en-US": "answered"}
    assert polish.json()["object"]["definition"]["description"] == {"en-US": "Spot the judgement"}


@pytest.mark.parametrize(
    ("parameters", "reason"),
    [
        ({"colour": "blue"}, "unknown parameter 'colour'"),
        ({"agent": "mailto:pia@acme.test"}, "agent must be a JSON Agent or Group"),
        ({"agent": '{"name": "Pia"}'}, "agent: an Agent needs exactly one of mbox, mbox_sha1sum, openid or account"),
        ({"verb": "answered"}, "verb must be an absolute IRI"),
        ({"activity": "not an iri"}, "activity must be an absolute IRI"),
        ({"registration": "42"}, "registration must be a UUID"),
        ({"since": "yesterday"}, "since must be an ISO 8601 timestamp with a time zone"),
        ({"until": "2026-10-05T09:00:00"}, "until must be an ISO 8601 timestamp with a time zone"),
        ({"limit": "-1"}, "limit must be a whole number"),
        ({"ascending": "yes"}, "ascending must be true or false"),
        ({"format": "full"}, "format must be exact, ids or canonical"),
        ({"attachments": "true"}, "attachments=true is not supported: Takeroot keeps attachments by fileUrl only"),
        ({"related_agents": "true"}, "related_agents=true is not supported"),
        (
            {"statementId": "9c1e1ec5-cc4c-4b5e-9d5e-1e2f3a4b5c6d", "verb": ANSWERED},
            "statementId and voidedStatementId take no other parameters than format and attachments",
        ),
        ({"statementId": "12"}, "the statement id must be a UUID"),
        ({"more": "forged"}, "more is not a continuation Takeroot gave"),
    ],
)
def test_a_bad_query_is_refused_with_the_reason(lms, parameters, reason):
    response = lms.get(**parameters)

    assert (response.status_code, error_of(response)) == (400, reason)


def test_limit_caps_the_page_and_zero_means_the_largest_page(lms):
    lms.post([edx_problem() for _ in range(5)])

    assert len(lms.get(limit=2).json()["statements"]) == 2
    assert len(lms.get(limit=0).json()["statements"]) == 5


# Voiding ------------------------------------------------------------------------------------------


def test_voiding_hides_the_target_from_reads_but_keeps_it(lms):
    [target, kept] = lms.post([edx_problem(), edx_video()]).json()
    response = lms.post(voiding(target))

    [voider] = response.json()
    assert response.status_code == 200
    assert Statement.objects.get(statement_id=target).voided is True
    assert Statement.objects.get(statement_id=voider).voids == uuid.UUID(target)
    assert lms.get(statementId=target).status_code == 404
    assert lms.get(voidedStatementId=target).json()["id"] == target
    assert lms.get(voidedStatementId=kept).status_code == 404
    assert {s["id"] for s in lms.get().json()["statements"]} == {kept, voider}


def test_a_statement_and_its_voiding_may_arrive_together(lms):
    target = edx_problem()
    response = lms.post([target, voiding(target["id"])])

    assert response.status_code == 200
    assert Statement.objects.get(statement_id=target["id"]).voided is True


def test_a_voiding_statement_cannot_be_voided(lms):
    [target] = lms.post(edx_problem()).json()
    [voider] = lms.post(voiding(target)).json()
    response = lms.post([edx_video(), voiding(voider)])

    assert (response.status_code, error_of(response)) == (
        400,
        f"statement {voider} is a voiding statement, which cannot be voided",
    )
    assert Statement.objects.count() == 2


def test_voiding_what_is_not_stored_here_is_refused(lms, outsider_lms):
    [elsewhere] = outsider_lms.post(edx_problem()).json()
    response = lms.post(voiding(elsewhere))

    assert (response.status_code, error_of(response)) == (
        400,
        f"statement {elsewhere} cannot be voided: it is not stored",
    )
    assert Statement.objects.get(statement_id=elsewhere).voided is False


def test_a_voiding_statement_must_point_to_a_statement(lms):
    response = lms.post({**voiding(str(uuid.uuid4())), "object": {"id": "http://example.com/activity"}})

    assert (response.status_code, error_of(response)) == (
        400,
        "statement.object: a voiding statement's object must be a StatementRef",
    )


# Versions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("1.0.3", 200),
        ("1.0.0", 200),
        ("1.0", 200),
        ("1.0.9", 200),
        (None, 400),
        ("2.0.0", 400),
        ("0.95", 400),
        ("1.1.0", 400),
    ],
)
def test_the_version_header_must_be_1_0_x(lms, version, status):
    response = lms.post(edx_problem(), version=version)

    assert (response.status_code, response["X-Experience-API-Version"]) == (status, "1.0.3")
    assert Statement.objects.count() == (1 if status == 200 else 0)


def test_a_missing_version_header_is_named(lms):
    response = lms.get(headers={"version": None})

    assert error_of(response) == "the X-Experience-API-Version header is required"


def test_other_methods_are_not_allowed(lms):
    response = lms.client.delete(STATEMENTS, headers=lms.headers())

    assert (response.status_code, response["Allow"], response["X-Experience-API-Version"]) == (
        405,
        "GET, HEAD, POST, PUT",
        "1.0.3",
    )


# Credentials and isolation ------------------------------------------------------------------------


def _basic(text: str) -> dict:
    return {"Authorization": f"Basic {base64.b64encode(text.encode()).decode()}", "X-Experience-API-Version": "1.0.3"}


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Experience-API-Version": "1.0.3"},
        {"Authorization": "Bearer abc", "X-Experience-API-Version": "1.0.3"},
        {"Authorization": "Basic not base64!", "X-Experience-API-Version": "1.0.3"},
        _basic("no-colon"),
        _basic("lms-unknown:secret"),
    ],
)
def test_requests_without_good_credentials_are_unauthorised(lms, client, headers):
    for method in ("GET", "POST", "PUT"):
        response = client.generic(
            method, STATEMENTS, json.dumps(edx_problem()), content_type="application/json", headers=headers
        )

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Takeroot xAPI"'
        assert response["X-Experience-API-Version"] == "1.0.3"
    assert Statement.objects.count() == 0


def test_a_wrong_secret_is_unauthorised(lms):
    response = lms.post(edx_problem(), secret="guessed")

    assert response.status_code == 401
    assert Statement.objects.count() == 0


def test_a_revoked_connection_is_unauthorised(lms):
    lms.post(edx_problem())
    LmsConnection.objects.filter(pk=lms.connection.pk).update(revoked_at=timezone.now())

    assert lms.post(edx_problem()).status_code == 401
    assert lms.get().status_code == 401
    assert Statement.objects.count() == 1


def test_another_workspaces_statements_are_invisible(lms, outsider_lms):
    [theirs] = outsider_lms.post(edx_problem()).json()
    [ours] = lms.post(edx_problem()).json()

    assert lms.get(statementId=theirs).status_code == 404
    assert [s["id"] for s in lms.get().json()["statements"]] == [ours]
    assert [s["id"] for s in outsider_lms.get().json()["statements"]] == [theirs]


def test_another_connections_statements_are_invisible(lms, other_lms):
    [theirs] = other_lms.post(edx_problem()).json()
    [ours] = lms.post(moodle_completion()).json()

    assert lms.get(statementId=theirs).status_code == 404
    assert [s["id"] for s in lms.get().json()["statements"]] == [ours]
    assert [s["id"] for s in other_lms.get(verb=ANSWERED).json()["statements"]] == [theirs]


def test_a_more_link_reads_only_the_connection_that_follows_it(lms, other_lms):
    lms.post([edx_problem() for _ in range(3)])
    more = lms.get(limit=1).json()["more"]

    assert other_lms.follow(more).json() == {"statements": [], "more": ""}


def test_use_is_remembered_at_most_once_a_minute(lms):
    lms.post(edx_problem())
    first = LmsConnection.objects.get().last_used_at
    lms.get()

    assert first is not None
    assert LmsConnection.objects.get().last_used_at == first
    LmsConnection.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    lms.get()
    assert LmsConnection.objects.get().last_used_at > first
