"""What every view does first: find the object in the viewer's scope, then check the rule."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from ..rules import principal_has_perm


def require_perm(request, perm: str, obj=None) -> None:
    """Visible but not allowed answers 403."""
    if not principal_has_perm(request, perm, obj):
        raise PermissionDenied


def get_or_404(queryset: QuerySet, **lookup) -> Model:
    """Missing from the viewer's scope answers 404, exactly like "does not exist"."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def workspace_view(perm: str | None = None):
    """A signed-in view inside the current workspace, optionally guarded by a workspace permission."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.workspace is None:
                raise Http404
            if perm:
                require_perm(request, perm, request.workspace)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it names, keeping what was typed."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
