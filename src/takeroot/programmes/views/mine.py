"""The participant's own trainings and the line manager's view of their team's."""

from django.shortcuts import render
from django.utils import timezone

from takeroot.core.views.helpers import workspace_view

from ..enums import EnrolmentStatus
from ..models import Session
from ..queries import enrolments_for_person, team_enrolments


@workspace_view()
def my_programmes(request):
    enrolments = enrolments_for_person(request.person)
    return render(request, "programmes/my_programmes.html", {"enrolments": enrolments})


@workspace_view("core.list_people")
def team_training(request):
    """Who in the reporting line is enrolled where, and how far they are."""
    return render(request, "programmes/team_training.html", {"enrolments": team_enrolments(request.person)})


def home_panel(request):
    """The participant's next sessions and current programmes, for the home page."""
    enrolments = list(
        enrolments_for_person(request.person)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .filter(cohort__ends_on__gte=timezone.localdate())
    )
    if not enrolments:
        return None
    sessions = list(
        Session.objects.filter(
            cohort__in=[e.cohort_id for e in enrolments], cancelled=False, ends_at__gte=timezone.now()
        ).select_related("cohort__programme")[:3]
    )
    return "programmes/_home_panel.html", {"enrolments": enrolments, "sessions": sessions}
