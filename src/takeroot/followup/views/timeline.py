"""A cohort's follow-up: the timeline per step, delivery statistics, the failed touchpoints with
their reasons, and every touchpoint filtered by state and person, with resend and cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.models import Person
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view
from takeroot.programmes.queries import cohorts_for_user

from ..models import Touchpoint
from ..page_forms import TouchpointFilterForm
from ..queries import cohort_timeline, cohort_touchpoints, delivery_stats, touchpoints_for_user

PAGE_SIZE = 50


@workspace_view()
def cohort_followup(request, uuid):
    """Admins and the cohort's trainers: how the cohort's follow-up is going."""
    cohort = get_or_404(cohorts_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, "followup.view_cohort_followup", cohort)
    people = Person.objects.filter(touchpoints__enrolment__cohort=cohort).select_related("user").distinct()
    form = TouchpointFilterForm(request.GET or None, people=list(people.order_by("user__name", "pk")))
    touchpoints = form.filter(cohort_touchpoints(cohort))
    page = Paginator(touchpoints, PAGE_SIZE).get_page(request.GET.get("page"))
    timeline = cohort_timeline(cohort)
    return render(
        request,
        "followup/cohort_followup.html",
        {
            "cohort": cohort,
            "timeline": timeline,
            "widest": max((row.total for row in timeline), default=0),
            "stats": delivery_stats(cohort),
            "form": form,
            "page": page,
            "query": request.GET.copy(),
            "can_change": request.user.has_perm("followup.change_touchpoint", cohort),
        },
    )


def _touchpoint(request, uuid) -> Touchpoint:
    touchpoint = get_or_404(touchpoints_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, "followup.change_touchpoint", touchpoint)
    return touchpoint


def _back(request, touchpoint: Touchpoint):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("followup:cohort", touchpoint.enrolment.cohort.uuid)


@require_POST
@workspace_view()
def touchpoint_resend(request, uuid):
    """Send a failed (or already sent) touchpoint again."""
    from .. import delivery  # the delivery module, written beside this one

    touchpoint = _touchpoint(request, uuid)
    try:
        delivery.resend(touchpoint=touchpoint, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” to %(name)s goes out again shortly.") % _names(touchpoint))
    return _back(request, touchpoint)


@require_POST
@workspace_view()
def touchpoint_cancel(request, uuid):
    """Cancel a scheduled touchpoint: it will not be sent."""
    from .. import delivery

    touchpoint = _touchpoint(request, uuid)
    reason = request.POST.get("reason", "").strip()[:300] or _("Cancelled by %(name)s") % {"name": request.user.name}
    try:
        delivery.cancel(touchpoint=touchpoint, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” to %(name)s is cancelled.") % _names(touchpoint))
    return _back(request, touchpoint)


def _names(touchpoint: Touchpoint) -> dict:
    return {"title": touchpoint.step.title, "name": touchpoint.recipient.user.name}
