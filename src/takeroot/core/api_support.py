"""What every app's API router shares: declared error responses, the workspace of the call, the
permission check and the acting person."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .rules import principal_has_perm
from .schemas import ErrorOut

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def api_workspace(request):
    """The workspace of the call: the API key's, or the signed-in person's current one."""
    if request.workspace is None:
        raise Http404
    return request.workspace


def require_api_perm(request, perm: str, obj=None) -> None:
    """Visible but not allowed answers 403, through the same rules as the pages."""
    if not principal_has_perm(request, perm, obj):
        raise PermissionDenied


def is_api_key(request) -> bool:
    """Whether an API key (not a signed-in person) makes the call."""
    return getattr(request, "api_key", None) is not None


def api_actor(request):
    """Who the audit log names: the signed-in person, or nobody for an API key."""
    return request.user if request.user.is_authenticated else None
