"""The admin's side: the list, opening a retrospective, its page with raters and indicators."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from takeroot.catalogue.queries import initiatives_for_workspace
from takeroot.core.queries import membership
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view

from .. import services
from ..forms import IndicatorForm, RaterAddForm, RetrospectiveForm
from ..models import EffectIndicator, Rater
from ..queries import (
    indicators_of,
    initiatives_in_period,
    initiatives_under_review,
    leadership_group,
    participants_of,
    rater_for_user,
    raters_of,
    rating_counts,
    retrospectives_for_user,
    retrospectives_for_workspace,
    with_facts,
    with_progress,
)

MANAGE = "retrospectives.manage_retrospectives"


def report_url(retrospective) -> str:
    return reverse("retrospectives:report", args=[retrospective.uuid])


def _retrospective(request, uuid, perm: str = MANAGE):
    """A retrospective of the current workspace (404 elsewhere), allowed by ``perm`` (403 otherwise)."""
    retrospective = get_or_404(retrospectives_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, perm, retrospective)
    return retrospective


def _to_detail(retrospective, anchor: str = ""):
    response = redirect("retrospectives:retrospective_detail", uuid=retrospective.uuid)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@workspace_view("retrospectives.list_retrospectives")
def retrospective_list(request):
    """Admins see every retrospective with its progress; raters the ones they are invited to."""
    can_manage = request.user.has_perm(MANAGE, request.workspace)
    rows = list(with_progress(retrospectives_for_user(request.user, request.workspace)))
    me = membership(request.user, request.workspace)
    mine = {
        rater.retrospective_id: rater
        for rater in Rater.objects.filter(workspace=request.workspace, person=me, retrospective__in=rows)
    }
    for row in rows:
        row.my_rater = mine.get(row.pk)
        row.report_url = report_url(row) if can_manage else ""
    return render(request, "retrospectives/list.html", {"rows": rows, "can_manage": can_manage})


def _period_from(request, data) -> tuple:
    """The period to tick initiatives for: as typed (after "Tick the initiatives of this period")
    when it is a valid one, otherwise the last two years."""
    start, end = services.default_period()
    form = RetrospectiveForm(data, workspace=request.workspace)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    if cleaned.get("period_start") and cleaned.get("period_end") and cleaned["period_start"] <= cleaned["period_end"]:
        start, end = cleaned["period_start"], cleaned["period_end"]
    return start, end


@workspace_view(MANAGE)
def retrospective_open(request):
    refresh = request.method == "POST" and "refresh" in request.POST
    start, end = _period_from(request, request.POST if refresh else request.GET)
    ticked = [initiative.pk for initiative in initiatives_in_period(request.workspace, start, end)]
    initial = {
        "title": services.default_title(start, end),
        "period_start": start,
        "period_end": end,
        "initiatives": ticked,
        "invite_leadership": True,
    }
    if refresh:
        # Everything else stays as typed; only the ticks follow the period.
        post = request.POST
        initial.update(
            title=post.get("title", ""),
            introduction=post.get("introduction", ""),
            invite_leadership=bool(post.get("invite_leadership")),
            invite_participants=bool(post.get("invite_participants")),
            more_people=[pk for pk in post.getlist("more_people") if pk.isdigit()],
        )
    bound = request.method == "POST" and not refresh
    form = RetrospectiveForm(request.POST if bound else None, initial=initial, workspace=request.workspace)
    if bound and form.is_valid():
        data = form.cleaned_data
        leadership = list(data["more_people"])
        if data["invite_leadership"]:
            leadership = [*leadership_group(request.workspace), *leadership]
        participants = []
        if data["invite_participants"]:
            chosen = {p.pk for p in leadership}
            found = participants_of(list(data["initiatives"]), data["period_start"], data["period_end"])
            participants = [person for person in found if person.pk not in chosen]
        try:
            retrospective = services.open_retrospective(
                workspace=request.workspace,
                actor=request.user,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                introduction=data["introduction"],
                initiatives=list(data["initiatives"]),
                leadership=leadership,
                participants=participants,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = retrospective.raters.count()
            messages.success(
                request,
                ngettext(
                    "Retrospective opened; %(count)s rater is invited by mail.",
                    "Retrospective opened; %(count)s raters are invited by mail.",
                    count,
                )
                % {"count": count},
            )
            return _to_detail(retrospective)
    return render(
        request,
        "retrospectives/open.html",
        {"form": form, "rows": _initiative_rows(request, form), "period": (start, end), "retrospective": None},
    )


def _initiative_rows(request, form):
    """Every catalogue initiative with its facts and whether its box is ticked."""
    field = form["initiatives"]
    ticked = {str(value) for value in (field.value() or [])}
    rows = with_facts(initiatives_for_workspace(request.workspace))
    # Newest first by the dates shown (a linked programme's), undated last.
    rows.sort(key=lambda row: (row.facts.starts_on is None, -(row.facts.starts_on or date.min).toordinal(), row.title))
    for row in rows:
        row.ticked = str(row.pk) in ticked
    return rows


@workspace_view(MANAGE)
def retrospective_edit(request, uuid):
    retrospective = _retrospective(request, uuid)
    form = RetrospectiveForm(
        request.POST if request.method == "POST" else None,
        initial=RetrospectiveForm.initial_for(retrospective),
        workspace=request.workspace,
        with_raters=False,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        initiatives = list(data.pop("initiatives"))
        # Compared against a fresh copy: the one on the page stays as it was if the service refuses.
        fresh = retrospectives_for_workspace(request.workspace).get(pk=retrospective.pk)
        try:
            services.update_retrospective(retrospective=fresh, actor=request.user, initiatives=initiatives, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Retrospective saved."))
            return _to_detail(retrospective)
    return render(
        request,
        "retrospectives/open.html",
        {"form": form, "rows": _initiative_rows(request, form), "retrospective": retrospective},
    )


def _detail_context(request, retrospective, *, rater_form=None, indicator_form=None) -> dict:
    initiatives = initiatives_under_review(retrospective)
    counts = rating_counts(retrospective)
    indicators = list(indicators_of(retrospective))
    by_initiative: dict[int, list[EffectIndicator]] = {}
    for indicator in indicators:
        by_initiative.setdefault(indicator.initiative_id, []).append(indicator)
    for initiative in initiatives:
        initiative.rating_count = counts.get(initiative.pk, 0)
        initiative.indicators = by_initiative.get(initiative.pk, [])
    raters = list(raters_of(retrospective))
    return {
        "retrospective": retrospective,
        "initiatives": initiatives,
        "raters": raters,
        "raters_done": sum(1 for rater in raters if rater.submitted_at),
        "indicator_count": len(indicators),
        "rater_form": rater_form or RaterAddForm(retrospective=retrospective, prefix="raters"),
        "indicator_form": indicator_form or IndicatorForm(retrospective=retrospective, prefix="indicator"),
        "report_url": report_url(retrospective),
        "my_rater": rater_for_user(retrospective, request.user),
    }


@workspace_view(MANAGE)
def retrospective_detail(request, uuid):
    """The admin's page: initiatives with rating counts and indicators, raters, state. Posts add
    raters (``raters-``) or an indicator (``indicator-``)."""
    retrospective = _retrospective(request, uuid)
    rater_form = indicator_form = None
    if request.method == "POST" and request.POST.get("form") == "raters":
        rater_form = RaterAddForm(request.POST, retrospective=retrospective, prefix="raters")
        if rater_form.is_valid():
            try:
                invited = services.invite_raters(
                    retrospective=retrospective,
                    actor=request.user,
                    people=list(rater_form.cleaned_data["people"]),
                    group=rater_form.cleaned_data["group"],
                )
            except ValidationError as error:
                add_service_errors(rater_form, error)
            else:
                count = len(invited)
                messages.success(
                    request, ngettext("%(count)s rater invited.", "%(count)s raters invited.", count) % {"count": count}
                )
                return _to_detail(retrospective, "raters")
    elif request.method == "POST" and request.POST.get("form") == "indicator":
        indicator_form = IndicatorForm(request.POST, retrospective=retrospective, prefix="indicator")
        if indicator_form.is_valid():
            try:
                services.add_indicator(retrospective=retrospective, actor=request.user, **indicator_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(indicator_form, error)
            else:
                messages.success(request, _("Indicator added."))
                return _to_detail(retrospective, "indicators")
    context = _detail_context(request, retrospective, rater_form=rater_form, indicator_form=indicator_form)
    return render(request, "retrospectives/detail.html", context)


def _state_change(request, uuid, change, done, anchor: str = ""):
    """Call ``change``; ``done`` turns its result into the success message."""
    retrospective = _retrospective(request, uuid)
    try:
        result = change(retrospective=retrospective, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(result))
    return _to_detail(retrospective, anchor)


@require_POST
@workspace_view(MANAGE)
def retrospective_close(request, uuid):
    return _state_change(request, uuid, services.close_retrospective, lambda _result: _("Retrospective closed."))


@require_POST
@workspace_view(MANAGE)
def retrospective_reopen(request, uuid):
    return _state_change(
        request, uuid, services.reopen_retrospective, lambda _result: _("Retrospective reopened for ratings.")
    )


@require_POST
@workspace_view(MANAGE)
def retrospective_remind(request, uuid):
    def done(count: int) -> str:
        return ngettext("Reminder sent to %(count)s rater.", "Reminders sent to %(count)s raters.", count) % {
            "count": count
        }

    return _state_change(request, uuid, services.remind_raters, done, anchor="raters")


@require_POST
@workspace_view(MANAGE)
def rater_remove(request, uuid, rater):
    retrospective = _retrospective(request, uuid)
    found = get_or_404(Rater.objects.filter(retrospective=retrospective).select_related("person__user"), uuid=rater)
    services.remove_rater(rater=found, actor=request.user)
    messages.success(request, _("%(name)s is no longer a rater.") % {"name": found.person.user.name})
    return _to_detail(retrospective, "raters")


@require_POST
@workspace_view(MANAGE)
def indicator_remove(request, uuid, indicator):
    retrospective = _retrospective(request, uuid)
    found = get_or_404(indicators_of(retrospective), uuid=indicator)
    services.remove_indicator(indicator=found, actor=request.user)
    messages.success(request, _("Indicator removed."))
    return _to_detail(retrospective, "indicators")


@workspace_view(MANAGE)
def retrospective_delete(request, uuid):
    retrospective = _retrospective(request, uuid)
    if request.method == "POST":
        services.delete_retrospective(retrospective=retrospective, actor=request.user)
        messages.success(request, _("Retrospective deleted."))
        return redirect("retrospectives:retrospective_list")
    return render(request, "retrospectives/delete.html", {"retrospective": retrospective})
