"""The xAPI 1.0.3 statements resource and ``/about``: plain Django views, since xAPI has its own
wire format (400 with a reason for anything invalid, never 422; a version header on every answer;
HTTP Basic credentials per LMS connection).

Each request is authenticated, checks the version header, then runs inside the connection's
workspace scope; every read goes through ``queries.statements_for_connection``.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from takeroot.core.scope import across_workspaces, workspace_scope
from takeroot.tracking.models import LmsConnection

from . import queries, services
from .auth import digest_of, secret_matches
from .documents import format_stored, formatted
from .validation import StatementError, is_uuid, uuid_text

VERSION = "1.0.3"
VERSIONS = ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
_ACCEPTED_VERSION = re.compile(r"1\.0(?:\.\d+)?", re.ASCII)
_UNKNOWN_DIGEST = digest_of("no such connection")


# Answers ---------------------------------------------------------------------------------------------


def _answer(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = VERSION
    return response


def _json(data, status: int = 200) -> HttpResponse:
    return _answer(JsonResponse(data, status=status, safe=False, json_dumps_params={"separators": (",", ":")}))


def _error(reason: str, status: int = 400) -> HttpResponse:
    return _json({"error": reason}, status=status)


def _unauthorised() -> HttpResponse:
    response = _error("send the LMS connection's username and secret with HTTP Basic authentication", 401)
    response["WWW-Authenticate"] = 'Basic realm="Takeroot xAPI"'
    return response


def _not_allowed(allowed: str) -> HttpResponse:
    response = _error("method not allowed", 405)
    response["Allow"] = allowed
    return response


# Credentials and version -------------------------------------------------------------------------------


def connection_for(request: HttpRequest) -> LmsConnection | None:
    """The live connection whose HTTP Basic credentials the request carries, or None."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, colon, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not colon:
        return None
    # Credentials name their own workspace: finding them is the one look-up across workspaces.
    with across_workspaces():
        connection = LmsConnection.objects.select_related("workspace").filter(username=username).first()
    # Hash even for an unknown username, so the answer takes as long either way.
    matches = secret_matches(secret, connection.secret_digest if connection else _UNKNOWN_DIGEST)
    if connection is None or not matches or connection.revoked_at is not None:
        return None
    return connection


def _version_problem(request: HttpRequest) -> str | None:
    version = request.headers.get("X-Experience-API-Version")
    if version is None:
        return "the X-Experience-API-Version header is required"
    if not _ACCEPTED_VERSION.fullmatch(version.strip()):
        return f"X-Experience-API-Version {version!r} is not supported: send 1.0.x"
    return None


# Reading the body -----------------------------------------------------------------------------------------


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _body(request: HttpRequest):
    """The request's JSON body, or ``StatementError`` saying why it cannot be read."""
    content_type = request.content_type.lower()
    if content_type == "multipart/mixed":
        raise StatementError("attachments are not supported: give each attachment a fileUrl")
    if content_type != "application/json":
        raise StatementError("send statements as application/json")
    try:
        return json.loads(request.body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise StatementError(f"the body is not valid JSON: {error}") from None


# Views ---------------------------------------------------------------------------------------------------


def _xapi(view: Callable[[HttpRequest, LmsConnection], HttpResponse]):
    """Authenticate, check the version header, and run the view in the connection's workspace."""

    @csrf_exempt
    def wrapped(request: HttpRequest) -> HttpResponse:
        connection = connection_for(request)
        if connection is None:
            return _unauthorised()
        problem = _version_problem(request)
        if problem:
            return _error(problem)
        with workspace_scope(connection.workspace):
            services.note_use(connection)
            try:
                return view(request, connection)
            except StatementError as error:
                return _error(str(error))
            except services.StatementConflict as error:
                return _error(str(error), 409)
            except RequestDataTooBig:
                return _error("the request is too large: send fewer statements at a time", 413)

    return wrapped


@_xapi
def statements(request: HttpRequest, connection: LmsConnection) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        response = _get(request, connection)
        if request.method == "HEAD":
            response.content = b""
        return response
    if request.method == "POST":
        return _post(request, connection)
    if request.method == "PUT":
        return _put(request, connection)
    return _not_allowed("GET, HEAD, POST, PUT")


def _post(request: HttpRequest, connection: LmsConnection) -> HttpResponse:
    if request.GET:
        raise StatementError(f"unknown parameter {sorted(request.GET)[0]!r}")
    body = _body(request)
    return _json(services.store_statements(connection, body if isinstance(body, list) else [body]))


def _put(request: HttpRequest, connection: LmsConnection) -> HttpResponse:
    statement_id = request.GET.get("statementId")
    if not statement_id:
        raise StatementError("PUT needs the statementId parameter")
    if not is_uuid(statement_id):
        raise StatementError("statementId must be a UUID")
    unknown = request.GET.keys() - {"statementId"}
    if unknown:
        raise StatementError(f"unknown parameter {sorted(unknown)[0]!r}")
    body = _body(request)
    if not isinstance(body, dict):
        raise StatementError("PUT takes a single statement")
    services.store_statements(connection, [body], statement_id=uuid_text(statement_id))
    return _answer(HttpResponse(status=204))


def _languages(request: HttpRequest) -> list[str]:
    header = request.headers.get("Accept-Language", "")
    return [part.split(";")[0].strip() for part in header.split(",") if part.strip() and part.strip() != "*"]


def _get(request: HttpRequest, connection: LmsConnection) -> HttpResponse:
    consistent_through = format_stored(timezone.now())
    parameters = request.GET.dict()
    if "statementId" in parameters or "voidedStatementId" in parameters:
        response = _get_one(request, connection, parameters)
    else:
        response = _get_page(request, connection, parameters)
    response["X-Experience-API-Consistent-Through"] = consistent_through
    return response


def _get_one(request: HttpRequest, connection: LmsConnection, parameters: dict) -> HttpResponse:
    unknown = parameters.keys() - queries.SINGLE_PARAMETERS
    if unknown or ("statementId" in parameters and "voidedStatementId" in parameters):
        raise StatementError("statementId and voidedStatementId take no other parameters than format and attachments")
    form = queries.check_form(parameters)
    voided = "voidedStatementId" in parameters
    wanted = parameters["voidedStatementId" if voided else "statementId"]
    if not is_uuid(wanted):
        raise StatementError("the statement id must be a UUID")
    statement = (
        queries.statements_for_connection(connection)
        .filter(statement_id=uuid_text(wanted), voided=voided)
        .only("stored", "document")
        .first()
    )
    if statement is None:
        return _error("no such statement", 404)
    response = _json(formatted(statement.document, form, _languages(request)))
    response["Last-Modified"] = http_date(statement.stored.timestamp())
    return response


def _get_page(request: HttpRequest, connection: LmsConnection, parameters: dict) -> HttpResponse:
    if "more" in parameters:
        if len(parameters) > 1:
            raise StatementError("more takes no other parameters")
        query = queries.query_from_cursor(parameters["more"])
    else:
        query = queries.parse_query(parameters)
    rows, more = queries.statement_page(connection, query)
    languages = _languages(request)
    result = {
        "statements": [formatted(row.document, query.format, languages) for row in rows],
        "more": f"{reverse('xapi:statements')}?{urlencode({'more': queries.cursor_for(query, rows[-1])})}"
        if more
        else "",
    }
    return _json(result)


@csrf_exempt
def about(request: HttpRequest) -> HttpResponse:
    """The versions Takeroot speaks; open to anyone, as the specification asks."""
    if request.method not in ("GET", "HEAD"):
        return _not_allowed("GET, HEAD")
    response = _json({"version": VERSIONS, "extensions": {}})
    if request.method == "HEAD":
        response.content = b""
    return response
