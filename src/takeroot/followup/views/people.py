"""A person's follow-up: their touchpoints, upcoming and past, and their holds (pauses), with a
form to pause follow-up for a period and to cancel a pause. The person themself, their line
manager and admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.models import Person
from takeroot.core.queries import people_for_user
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view

from ..enums import TouchpointState
from ..page_forms import HoldForm
from ..queries import holds_for_user, holds_of, person_touchpoints

UPCOMING = (TouchpointState.SCHEDULED, TouchpointState.SENDING)


def _page(request, person: Person, *, mine: bool):
    """The page, and on POST a new hold for the person."""
    can_hold = request.user.has_perm("followup.hold", person)
    form = HoldForm(request.POST or None, person=person) if can_hold else None
    if request.method == "POST":
        require_perm(request, "followup.hold", person)
        if form.is_valid():
            from .. import holds  # the scheduler's hold services, written beside this one

            try:
                hold = holds.place_hold(
                    person=person,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    reason=form.cleaned_data["reason"],
                    actor=request.person,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Follow-up is paused from %(start)s to %(end)s; what was due then moves after the pause.")
                    % {"start": hold.starts_on.isoformat(), "end": hold.ends_on.isoformat()},
                )
                return redirect(request.path)
    touchpoints = list(person_touchpoints(person))
    reports = list(person.reports.select_related("user").order_by("user__name")) if mine else []
    return render(
        request,
        "followup/person_followup.html",
        {
            "person": person,
            "mine": mine,
            "upcoming": [t for t in touchpoints if t.state in UPCOMING],
            "past": [t for t in touchpoints if t.state not in UPCOMING][::-1],
            "holds": list(holds_of(person)),
            "form": form,
            "can_hold": can_hold,
            "reports": reports,
        },
    )


@workspace_view()
def my_followup(request):
    if request.person is None:
        raise Http404
    return _page(request, request.person, mine=True)


@workspace_view()
def person_followup(request, uuid):
    person = get_or_404(people_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, "followup.view_person_followup", person)
    if person == request.person:
        return redirect("followup:mine")
    return _page(request, person, mine=False)


@require_POST
@workspace_view()
def hold_cancel(request, uuid):
    """End a pause: the touchpoints it moved come back to their planned times."""
    from .. import holds

    hold = get_or_404(holds_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, "followup.hold", hold)
    try:
        holds.cancel_hold(hold=hold, actor=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pause is cancelled."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("followup:person", hold.person.uuid)


def home_panel(request):
    """The next follow-up on its way to the person, and their current pause."""
    if request.person is None:
        return None
    upcoming = list(person_touchpoints(request.person).filter(state=TouchpointState.SCHEDULED)[:3])
    if not upcoming:
        return None
    today = timezone.localdate()
    paused = holds_of(request.person).filter(starts_on__lte=today, ends_on__gte=today).first()
    return "followup/person_home_panel.html", {"upcoming": upcoming, "paused": paused}
