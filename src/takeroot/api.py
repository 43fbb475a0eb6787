"""The JSON API: one NinjaAPI assembled from each app's router, with one error format."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, django_auth

from .catalogue.api import router as catalogue_router
from .competence.api import router as competence_router
from .core.api import router as core_router
from .followup.api import router as followup_router
from .peers.api import router as peers_router
from .plans.api import router as plans_router
from .plans.buddies_api import router as plans_buddies_router
from .practice.api import router as practice_router
from .programmes.api import router as programmes_router
from .quizzes.api import router as quizzes_router
from .retrospectives.api import router as retrospectives_router
from .surveys.api import router as surveys_router
from .tickets.api import router as tickets_router
from .tracking.api import router as tracking_router
from .wins.api import router as wins_router


class ApiKeyAuth(APIKeyHeader):
    """``Authorization: Bearer <key>``. The middleware already resolved the key and its workspace."""

    param_name = "Authorization"
    openapi_scheme = "bearer"

    def authenticate(self, request, key):
        return request.api_key


api = NinjaAPI(
    title="Takeroot API",
    version="1",
    description="People and teams, programmes, cohorts and enrolments, the initiative catalogue, retrospectives, "
    "competence-development plans, action plans, practice tasks, peer learning, wins, follow-up, quizzes, surveys "
    "learner tickets, and tracking (LMS connections and mappings, learning-data imports, indicators, at-risk flags, "
    "findings, design changes and dashboards) "
    "of a workspace. "
    "Authenticate with a workspace API key (`Authorization: Bearer …`) or a signed-in session.",
    urls_namespace="api",
    auth=[ApiKeyAuth(), django_auth],
    # The documentation page is Takeroot's own (core.views.api_docs): translated, accessible and
    # without the inline scripts the bundled viewers need.
    docs_url=None,
)
api.add_router("/", core_router)
api.add_router("/", programmes_router)
api.add_router("/", catalogue_router)
api.add_router("/", retrospectives_router)
api.add_router("/", plans_router)
api.add_router("/", plans_buddies_router)
api.add_router("/", practice_router)
api.add_router("/", peers_router)
api.add_router("/", wins_router)
api.add_router("/", followup_router)
api.add_router("/", quizzes_router)
api.add_router("/", surveys_router)
api.add_router("/", tickets_router)
api.add_router("/", tracking_router)
api.add_router("/competence-plans", competence_router)


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return _error(request, 401, _("Authentication required: an API key or a signed-in session."))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, " ".join(m for ms in errors.values() for m in ms), errors)


@api.exception_handler(NinjaValidationError)
def unprocessable(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "email") → "email"; ("query", "role") → "role"
        parts = [str(part) for part in error.get("loc", [])[1:]]
        if parts and parts[0] == "payload":
            parts = parts[1:]
        field = ".".join(parts) or "__all__"
        errors.setdefault(field, []).append(error.get("msg", ""))
    return _error(request, 422, _("The request is not valid."), errors)
