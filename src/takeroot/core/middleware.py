from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from .queries import membership, memberships_for_user
from .scope import workspace_scope

SESSION_WORKSPACE = "takeroot_workspace"


class UserLanguageMiddleware:
    """Signed-in people see Takeroot in their own language and time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
            with timezone.override(user.timezone):
                return self.get_response(request)
        return self.get_response(request)


class WorkspaceMiddleware:
    """Pick the current workspace and run the request inside its scope.

    The choice is kept in the session; a workspace the user does not belong to is never used.
    A signed-in user with no workspace runs in an empty scope: scoped queries return nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.workspace = None
        request.person = None
        request.api_key = None
        bearer = request.headers.get("Authorization", "")
        if request.path.startswith("/api/") and bearer.startswith("Bearer "):
            # An API key decides the workspace by itself; it never borrows a session's.
            from .services import api_key_for_secret

            request.api_key = api_key_for_secret(bearer.removeprefix("Bearer ").strip())
            request.workspace = request.api_key.workspace if request.api_key else None
        elif request.user.is_authenticated:
            memberships = memberships_for_user(request.user)
            chosen = request.session.get(SESSION_WORKSPACE)
            person = next((p for p in memberships.values() if str(p.workspace.uuid) == chosen), None)
            if person is None and memberships:
                person = min(memberships.values(), key=lambda p: p.workspace.name.lower())
            if person is not None:
                request.workspace = person.workspace
                request.person = person
        with workspace_scope(request.workspace or []):
            return self.get_response(request)


class AdminMfaMiddleware:
    """Admins of a workspace that requires two-factor authentication set it up before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        workspace = getattr(request, "workspace", None)
        if (
            workspace is not None
            and workspace.require_admin_mfa
            and not request.path.startswith(self.allowed_prefixes)
            and (me := membership(request.user, workspace)) is not None
            and me.is_admin
            and not _has_mfa(request.user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
