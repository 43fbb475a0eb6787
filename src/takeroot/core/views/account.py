"""The signed-in person's own things: profile, language, workspace, invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .. import services
from ..enums import Language
from ..forms import InvitationForm, ProfileForm
from ..middleware import SESSION_WORKSPACE
from ..models import User
from ..queries import workspaces_for_user


def _next_url(request, fallback: str) -> str:
    url = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return fallback
    return url


@require_POST
def set_language(request):
    """Switch the language; for a signed-in person it becomes their profile language too."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in Language.values:
        services.update_profile(user=request.user, language=language)
    return django_set_language(request)


@require_POST
@login_required
def switch_workspace(request):
    chosen = request.POST.get("workspace")
    if any(str(w.uuid) == chosen for w in workspaces_for_user(request.user)):
        request.session[SESSION_WORKSPACE] = chosen
    return HttpResponseRedirect(_next_url(request, "/"))


@login_required
def profile(request):
    # The form validates a copy: the service compares against the saved account to record changes.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields})
        messages.success(request, _("Your profile was saved."))
        return redirect("core:profile")
    return render(request, "core/profile.html", {"form": form})


def accept_invitation(request, token):
    user = services.user_for_invitation(token)
    if user is None:
        return render(request, "core/invitation_invalid.html", status=400)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The admin chose the invited person's language; the page opens in it.
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    form = InvitationForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.accept_invitation(
            user=user,
            password=data["password1"],
            name=data["name"],
            language=data["language"],
            timezone=data["timezone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Takeroot, %(name)s.") % {"name": user.get_short_name()})
        return redirect("core:home")
    return render(request, "core/invitation.html", {"form": form, "invited": user})
