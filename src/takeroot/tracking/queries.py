"""Reads that the tracking pages, the API and the exports share."""

from takeroot.core.models import Workspace

from .models import TrackingSettings


def tracking_settings(workspace: Workspace | int) -> TrackingSettings:
    """The workspace's at-risk settings; the defaults (unsaved) when it has none."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return TrackingSettings.objects.filter(workspace_id=workspace_id).first() or TrackingSettings(
        workspace_id=workspace_id
    )


# At risk (appended by the at-risk part) ----------------------------------------------------------

FLAG_RELATED = (
    "enrolment__person__user",
    "enrolment__cohort__programme",
    "enrolment__mentor__user",
    "resolved_by__user",
)


def flags_for_workspace(workspace: Workspace):
    """Every flag of the workspace, before any role rule: to tell 403 (here) from 404 (elsewhere)."""
    from .models import AtRiskFlag

    return AtRiskFlag.objects.filter(workspace=workspace).select_related(*FLAG_RELATED, "workspace")


def flags_for_user(user, *, workspace: Workspace):
    """Flags this person looks after: admins all; trainers and mentors their cohorts' (and a mentor
    their mentees'); line managers their reporting line's when the workspace lets managers know.
    The same people as the ``tracking.view_flag`` rule."""
    from django.db.models import Q

    from takeroot.core.queries import membership, report_ids

    me = membership(user, workspace)
    flags = flags_for_workspace(workspace)
    if me is None:
        return flags.none()
    if me.is_admin:
        return flags
    visible = Q(enrolment__cohort__trainers=me) | Q(enrolment__cohort__mentors=me) | Q(enrolment__mentor=me)
    if tracking_settings(workspace).notify_managers:
        visible |= Q(enrolment__person_id__in=report_ids(me))
    return flags.filter(pk__in=flags_for_workspace(workspace).filter(visible).values("pk"))


def flag_counts_by_cohort(flags) -> list[dict]:
    """How many flags per cohort (for the list's filter), by programme and cohort name."""
    from django.db.models import Count

    return list(
        flags.order_by()
        .values("enrolment__cohort__uuid", "enrolment__cohort__name", "enrolment__cohort__programme__name")
        .annotate(n=Count("pk"))
        .order_by("enrolment__cohort__programme__name", "enrolment__cohort__name")
    )


def findings_for_programme(programme):
    """The programme's findings (its cohorts' and its own), most recent first."""
    from .models import Finding

    return Finding.objects.filter(workspace_id=programme.workspace_id, programme=programme).select_related(
        "cohort", "module", "programme"
    )


def design_changes_for_programme(programme):
    from .models import DesignChange

    return DesignChange.objects.filter(workspace_id=programme.workspace_id, programme=programme).select_related(
        "module", "finding", "before_cohort", "after_cohort", "recorded_by__user", "programme"
    )


def programmes_with_findings_for_user(user, *, workspace: Workspace):
    """Programmes whose findings this person may see: admins all, trainers those they train."""
    from takeroot.core.queries import membership
    from takeroot.programmes.models import Programme

    me = membership(user, workspace)
    programmes = Programme.objects.filter(workspace=workspace)
    if me is None:
        return programmes.none()
    if me.is_admin:
        return programmes
    return programmes.filter(pk__in=Programme.objects.filter(workspace=workspace, cohorts__trainers=me).values("pk"))


def engagement_weeks(enrolment, *, around, weeks: int = 4) -> list[dict]:
    """The participant's engagement per week, ``weeks`` before and after the week of ``around``
    (the first intervention): attendance rate, minutes online and interactions, every week listed."""
    import datetime

    from django.db.models import Sum

    from .enums import Input
    from .models import Rollup
    from .recording import week_of

    middle = week_of(around)
    first, last = middle - datetime.timedelta(weeks=weeks), middle + datetime.timedelta(weeks=weeks)
    inputs = (Input.ATTENDANCE, Input.TIME_ONLINE, Input.INTERACTION)
    rows = (
        Rollup.objects.filter(enrolment=enrolment, input__in=inputs, week__gte=first, week__lte=last)
        .values("week", "input")
        .annotate(total=Sum("total"), count=Sum("count"))
    )
    sums = {(row["week"], row["input"]): row for row in rows}
    found, week = [], first
    while week <= last:
        attendance = sums.get((week, Input.ATTENDANCE))
        found.append(
            {
                "week": week,
                "after": week >= middle,
                "attendance": attendance["total"] / attendance["count"] if attendance and attendance["count"] else None,
                "minutes": round(sums[(week, Input.TIME_ONLINE)]["total"]) if (week, Input.TIME_ONLINE) in sums else 0,
                "interactions": round(sums[(week, Input.INTERACTION)]["total"])
                if (week, Input.INTERACTION) in sums
                else 0,
            }
        )
        week += datetime.timedelta(weeks=1)
    return found
