"""The participant's and reviewers' practice pages: my practice tasks, one assignment with its
report versions, files and reviews, the report and review forms, the files, the "to review" list
and the home panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import services
from ..enums import AssignmentState, ReviewRole
from ..forms import ReportForm, ReviewForm
from ..models import PracticeAttachment
from ..queries import OPEN, cohorts_trained_by, due_assignments, may_review, my_assignments, waiting_for_review
from .common import find_assignment

ROLE_PERMS = {ReviewRole.TRAINER: "practice.review_as_trainer", ReviewRole.SUPERVISOR: "practice.review_as_supervisor"}


@workspace_view("practice.view_practice")
def my_tasks(request):
    """The person's practice tasks, the cohorts they train, and whether reports wait for them."""
    me = request.person
    assignments = list(my_assignments(me)) if me is not None else []
    trained = list(cohorts_trained_by(me)) if me is not None else []
    waiting = waiting_for_review(request.user, workspace=request.workspace).count()
    reviews = waiting or (request.person is not None and may_review(request.person))
    context = {
        "assignments": assignments,
        "trained": trained,
        "waiting": waiting,
        "reviews": reviews,
        "open_states": OPEN,
    }
    return render(request, "practice/my_tasks.html", context)


def _review_forms(request, assignment, bound=None) -> list[tuple[str, str, ReviewForm]]:
    """A review form for each role this person may review in and has not yet used on the latest
    version, while the report waits for review."""
    if assignment.state != AssignmentState.SUBMITTED:
        return []
    reports = list(assignment.reports.all())
    reviews = list(reports[0].reviews.all()) if reports else []
    if request.person is not None and any(review.reviewer_id == request.person.pk for review in reviews):
        return []
    done = {review.role for review in reviews}
    forms = []
    for role, perm in ROLE_PERMS.items():
        if role not in done and principal_has_perm(request, perm, assignment):
            form = bound if bound is not None and bound.prefix == role else ReviewForm(prefix=role)
            forms.append((role, ReviewRole(role).label, form))
    return forms


def _assignment_page(request, assignment, *, report_form=None, review_form=None):
    can_submit = principal_has_perm(request, "practice.submit_report", assignment) and assignment.state in OPEN
    if principal_has_perm(request, "practice.submit_report", assignment):
        back = (reverse("practice:my_tasks"), _("My practice tasks"))
    elif principal_has_perm(request, "practice.manage_task", assignment.task):
        back = (assignment.task.get_absolute_url(), assignment.task.title)
    else:
        back = (reverse("practice:reviews"), _("Practice reports to review"))
    context = {
        "back": back,
        "assignment": assignment,
        "reports": list(assignment.reports.all()),
        "supervisor": assignment.supervisor,
        "needs_supervisor": services.needs_supervisor(assignment),
        "report_form": (report_form or ReportForm()) if can_submit else None,
        "review_forms": _review_forms(request, assignment, review_form),
    }
    return render(request, "practice/assignment.html", context)


@workspace_view("practice.view_practice")
def assignment_detail(request, uuid):
    return _assignment_page(request, find_assignment(request, uuid))


@workspace_view("practice.view_practice")
def submit_report(request, uuid):
    assignment = find_assignment(request, uuid, "practice.submit_report")
    if request.method != "POST":
        return redirect(assignment)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submit_report(
                assignment=assignment,
                actor=request.user,
                author=request.person,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Report submitted. Your reviewers will see it."))
            return redirect(assignment)
    return _assignment_page(request, assignment, report_form=form)


@workspace_view("practice.view_practice")
def review(request, uuid, role):
    if role not in ROLE_PERMS:
        raise Http404
    assignment = find_assignment(request, uuid, ROLE_PERMS[role])
    if request.method != "POST":
        return redirect(assignment)
    form = ReviewForm(request.POST, prefix=role)
    if form.is_valid():
        try:
            services.review_report(
                assignment=assignment,
                actor=request.user,
                reviewer=request.person,
                role=role,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect(assignment)
    return _assignment_page(request, assignment, review_form=form)


@workspace_view("practice.view_practice")
def attachment(request, uuid):
    """A report's file, only to those who may see the assignment, always as a download."""
    found = get_or_404(PracticeAttachment.objects.filter(workspace=request.workspace), uuid=uuid)
    find_assignment(request, found.report.assignment.uuid)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Content-Type"] = found.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view("practice.view_practice")
def reviews(request):
    """Reports waiting for this person's review, as a trainer of the cohort or as the supervisor."""
    waiting = list(waiting_for_review(request.user, workspace=request.workspace))
    return render(request, "practice/reviews.html", {"waiting": waiting})


def home_panel(request):
    """For a participant: practice tasks due within a week or overdue. For trainers and
    supervisors: how many reports wait for their review."""
    me = request.person
    if me is None:
        return None
    due = list(due_assignments(me))
    waiting = waiting_for_review(request.user, workspace=request.workspace).count()
    if not (due or waiting):
        return None
    return "practice/_home_panel.html", {"due": due, "waiting": waiting, "today": timezone.localdate()}
