"""The at-risk pages (the list of flags, one flag with its interventions and the engagement
before and after them), the programme's findings and design changes, and the tracking settings.

A flag, a finding or a programme is looked up in the current workspace (else 404), then the rule
decides (403). The flag list is only for people who look after others: a participant gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.charts import Chart, accessible_svg, house_style
from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Programme
from takeroot.tickets.enums import Category as TicketCategory

from .. import queries, services
from ..enums import FindingKind, FindingState, FlagState
from ..findings import compare, count_text, figure_text, find_problems
from ..forms_risk import DesignChangeForm, DismissForm, InterventionForm, TrackingSettingsForm
from ..models import Finding
from ..risk import describe, reason_label

BEFORE, AFTER = "#8a96a3", "#2a5a8c"


def find_flag(request, uuid, perm: str = "tracking.view_flag"):
    flag = get_or_404(queries.flags_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, flag)
    return flag


@workspace_view("tracking.view_flags")
def flag_list(request):
    state = FlagState.RESOLVED if request.GET.get("state") == FlagState.RESOLVED else FlagState.OPEN
    visible = queries.flags_for_user(request.user, workspace=request.workspace)
    in_state = visible.filter(state=state)
    counts = queries.flag_counts_by_cohort(in_state)
    cohort = request.GET.get("cohort", "")
    flags = (
        in_state.filter(enrolment__cohort__uuid=cohort)
        if cohort in {str(c["enrolment__cohort__uuid"]) for c in counts}
        else in_state
    )
    if state == FlagState.RESOLVED:
        flags = flags.order_by("-resolved_at", "-pk")
    rows = [{"flag": flag, "reasons": [reason_label(r) for r in flag.reasons]} for flag in flags[:500]]
    context = {
        "rows": rows,
        "state": state,
        "counts": counts,
        "cohort": cohort,
        "open_count": visible.filter(state=FlagState.OPEN).count(),
        "resolved_count": visible.filter(state=FlagState.RESOLVED).count(),
    }
    return render(request, "tracking/risk/flag_list.html", context)


def _engagement_chart(weeks: list[dict]) -> Chart | None:
    if not any(week["minutes"] or week["interactions"] for week in weeks):
        return None
    import altair as alt
    import vl_convert

    before, after = _("Before the intervention"), _("After the intervention")
    values = [
        {"week": w["week"].isoformat(), "minutes": w["minutes"], "when": after if w["after"] else before} for w in weeks
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=_("Minutes online per week"))
        .mark_bar()
        .encode(
            x=alt.X("week:O", title=_("Week starting"), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("minutes:Q", title=_("Minutes online")),
            color=alt.Color("when:N", title="", scale=alt.Scale(domain=[before, after], range=[BEFORE, AFTER])),
        )
        .properties(width=max(200, 30 * len(weeks)), height=180)
    )
    svg = vl_convert.vegalite_to_svg(house_style(chart).to_dict())
    label = _("Bar chart: minutes online per week, before and after the first intervention")
    description = "; ".join(
        _("week of %(week)s: %(minutes)s minutes") % {"week": w["week"].isoformat(), "minutes": w["minutes"]}
        for w in weeks
    )
    return Chart(accessible_svg(svg, label=label, description=description + "."), label, description)


def _flag_page(request, flag, *, form=None, status: int = 200):
    interventions = list(flag.interventions.select_related("by__user"))
    context = {
        "flag": flag,
        "reasons": [{"label": reason_label(r), "text": describe(r)} for r in flag.reasons],
        "interventions": interventions,
        "can_act": flag.state == FlagState.OPEN and principal_has_perm(request, "tracking.act_on_flag", flag),
        "form": form or InterventionForm(),
    }
    if interventions:
        weeks = queries.engagement_weeks(flag.enrolment, around=interventions[0].created_at)
        context["weeks"], context["chart"] = weeks, _engagement_chart(weeks)
    return render(request, "tracking/risk/flag.html", context, status=status)


@workspace_view()
def flag_page(request, uuid):
    return _flag_page(request, find_flag(request, uuid))


@require_POST
@workspace_view()
def intervene(request, uuid):
    flag = find_flag(request, uuid, "tracking.act_on_flag")
    form = InterventionForm(request.POST)
    if form.is_valid():
        try:
            services.log_intervention(flag=flag, person=request.person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["resolve"]:
                messages.success(request, _("Intervention logged and the flag resolved."))
            else:
                messages.success(request, _("Intervention logged."))
            return redirect("tracking:flag", flag.uuid)
    return _flag_page(request, flag, form=form, status=400)


@require_POST
@workspace_view()
def resolve(request, uuid):
    flag = find_flag(request, uuid, "tracking.act_on_flag")
    try:
        services.resolve_flag(flag=flag, person=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The flag is resolved."))
    return redirect("tracking:flag", flag.uuid)


# Findings and design changes ----------------------------------------------------------------------


def find_programme(request, uuid, perm: str = "tracking.view_findings") -> Programme:
    programme = get_or_404(Programme.objects.filter(workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, programme)
    return programme


def _what(finding: Finding) -> str:
    """The module, ticket category or survey question a finding is about."""
    if finding.kind == FindingKind.MANY_TICKETS_CATEGORY:
        return str(dict(TicketCategory.choices).get(finding.subject, finding.subject))
    return finding.module.title if finding.module_id and not finding.subject else finding.subject


def _finding_rows(findings, dismiss: dict) -> list[dict]:
    return [
        {
            "dismiss_form": dismiss.get(finding.uuid) or DismissForm(prefix=str(finding.uuid)),
            "finding": finding,
            "figure": figure_text(finding.kind, finding.value),
            "target": figure_text(finding.kind, finding.target),
            "count": count_text(finding.kind, finding.count),
            "what": _what(finding),
        }
        for finding in findings
    ]


def _findings_page(request, programme, *, change_form=None, dismiss=None, status: int = 200):
    findings = list(queries.findings_for_programme(programme))
    groups = [
        (state, label, _finding_rows([f for f in findings if f.state == state], dismiss or {}))
        for state, label in FindingState.choices
    ]
    changes = [
        {"change": change, "comparison": compare(change)} for change in queries.design_changes_for_programme(programme)
    ]
    open_findings = queries.findings_for_programme(programme).exclude(state=FindingState.DISMISSED)
    context = {
        "programme": programme,
        "groups": groups,
        "changes": changes,
        "can_change": principal_has_perm(request, "tracking.record_design_change", programme),
        "change_form": change_form or DesignChangeForm(programme=programme, findings=open_findings),
    }
    return render(request, "tracking/risk/findings.html", context, status=status)


@workspace_view()
def findings_page(request, uuid):
    programme = find_programme(request, uuid)
    initial = {}
    chosen = request.GET.get("finding")
    if chosen:
        finding = queries.findings_for_programme(programme).filter(uuid=chosen).first() if _is_uuid(chosen) else None
        if finding is not None:
            initial = {"finding": finding, "module": finding.module, "before_cohort": finding.cohort}
    form = None
    if initial:
        open_findings = queries.findings_for_programme(programme).exclude(state=FindingState.DISMISSED)
        form = DesignChangeForm(programme=programme, findings=open_findings, initial=initial)
    return _findings_page(request, programme, change_form=form)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_POST
@workspace_view()
def look_again(request, uuid):
    """Run the finder over the programme now instead of waiting for the nightly run."""
    programme = find_programme(request, uuid, "tracking.record_design_change")
    found = find_problems(request.workspace, now=timezone.now(), programme=programme)
    messages.success(request, _("The problem finder looked again: %(n)s findings.") % {"n": len(found)})
    return redirect("tracking:findings", programme.uuid)


@require_POST
@workspace_view()
def record_change(request, uuid):
    programme = find_programme(request, uuid, "tracking.record_design_change")
    open_findings = queries.findings_for_programme(programme).exclude(state=FindingState.DISMISSED)
    form = DesignChangeForm(request.POST, programme=programme, findings=open_findings)
    if form.is_valid():
        try:
            services.record_design_change(programme=programme, person=request.person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The design change is recorded."))
            return redirect("tracking:findings", programme.uuid)
    return _findings_page(request, programme, change_form=form, status=400)


@require_POST
@workspace_view()
def dismiss_finding(request, uuid):
    finding = get_or_404(Finding.objects.filter(workspace=request.workspace).select_related("programme"), uuid=uuid)
    require_perm(request, "tracking.record_design_change", finding.programme)
    form = DismissForm(request.POST, prefix=str(finding.uuid))
    if form.is_valid():
        try:
            services.dismiss_finding(finding=finding, person=request.person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # the finding's state, not the reason: nothing to keep
                messages.error(request, " ".join(error.messages))
                return redirect("tracking:findings", finding.programme.uuid)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The finding is dismissed."))
            return redirect("tracking:findings", finding.programme.uuid)
    return _findings_page(request, finding.programme, dismiss={finding.uuid: form}, status=400)


@workspace_view()
def findings_index(request):
    """The programmes whose findings the viewer may see (a trainer: those they train)."""
    programmes = queries.programmes_with_findings_for_user(request.user, workspace=request.workspace)
    if not programmes.exists() and not principal_has_perm(request, "tracking.view_organisation", request.workspace):
        raise PermissionDenied
    return render(request, "tracking/risk/findings_index.html", {"programmes": programmes})


# Settings -------------------------------------------------------------------------------------------


@workspace_view("tracking.change_settings")
def tracking_settings_page(request):
    current = queries.tracking_settings(request.workspace)
    form = TrackingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tracking_settings(workspace=request.workspace, actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The at-risk settings are saved."))
            return redirect("tracking:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/risk/settings.html", {"form": form}, status=status)


urlpatterns = [
    path("tracking/at-risk/", flag_list, name="flags"),
    path("tracking/at-risk/<uuid:uuid>/", flag_page, name="flag"),
    path("tracking/at-risk/<uuid:uuid>/interventions/", intervene, name="flag_intervene"),
    path("tracking/at-risk/<uuid:uuid>/resolve/", resolve, name="flag_resolve"),
    path("tracking/findings/", findings_index, name="findings_index"),
    path("tracking/programmes/<uuid:uuid>/findings/", findings_page, name="findings"),
    path("tracking/programmes/<uuid:uuid>/findings/look-again/", look_again, name="findings_look_again"),
    path("tracking/programmes/<uuid:uuid>/design-changes/", record_change, name="design_change_create"),
    path("tracking/findings/<uuid:uuid>/dismiss/", dismiss_finding, name="finding_dismiss"),
    path("tracking/settings/", tracking_settings_page, name="settings"),
]
