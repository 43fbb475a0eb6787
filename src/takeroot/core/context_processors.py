from django.conf import settings

from .queries import workspaces_for_user


def layout(request):
    """What the base layout needs: the workspaces to switch between and the languages."""
    user = getattr(request, "user", None)
    return {
        "workspaces": workspaces_for_user(user) if user and user.is_authenticated else [],
        "current_workspace": getattr(request, "workspace", None),
        "current_person": getattr(request, "person", None),
        "languages": settings.LANGUAGES,
    }
