"""Calendar files: a cohort's sessions to download, and each person's private subscription feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from takeroot.core.models import User, new_calendar_token
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view

from ..calendar import cohort_calendar, personal_calendar
from ..queries import cohorts_for_workspace

ICS = "text/calendar; charset=utf-8"
# Tokens are 32 characters; anything much shorter is a guess, answered without a query.
MIN_TOKEN_LENGTH = 20


@workspace_view()
def cohort_ics(request, uuid):
    cohort = get_or_404(cohorts_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, "programmes.view_cohort", cohort)
    response = HttpResponse(cohort_calendar(cohort), content_type=ICS)
    filename = f"{slugify(cohort.name) or 'cohort'}.ics"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_safe
def personal_feed(request, token):
    """Public on purpose: calendar programs cannot sign in, so the secret address is the credential."""
    if len(token) < MIN_TOKEN_LENGTH:
        return _not_found()
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        return _not_found()
    response = HttpResponse(personal_calendar(user), content_type=ICS)
    patch_cache_control(response, private=True, max_age=900)
    return response


@require_POST
@login_required
def reset_feed(request):
    """A new secret address; every copy of the old one stops working."""
    request.user.calendar_token = new_calendar_token()
    request.user.save(update_fields=["calendar_token"])
    messages.success(request, _("Your calendar address was changed. Subscribe again with the new one."))
    return redirect("core:profile")


def _not_found() -> HttpResponse:
    # Plain text rather than the site's 404 page: that page carries forms, and a calendar
    # program that still polls an old address should get no cookie.
    message = _("This calendar address does not work. Copy the current one from your profile.")
    return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")
