"""The cohort page and what happens on it: sessions, enrolments, agreed goals, the midpoint review."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.queries import membership, report_ids
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view

from .. import services
from ..enums import ContentMatch, Pace
from ..forms import (
    CohortCopyForm,
    CohortForm,
    CohortGoalForm,
    EnrolForm,
    EnrolmentForm,
    ReviewAnswerForm,
    ReviewDecisionForm,
    SessionForm,
)
from ..models import CohortGoal, ReviewAnswer, Session
from ..queries import cohorts_for_workspace, enrolments_of_cohort, enrolments_visible_to, programmes_for_workspace
from .programmes import _fresh


def _cohort(request, uuid, perm: str = "programmes.view_cohort"):
    """A cohort of the current workspace (404 elsewhere), allowed by ``perm`` (403 otherwise)."""
    cohort = get_or_404(cohorts_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, perm, cohort)
    return cohort


def _to_cohort(cohort, anchor: str = ""):
    response = redirect("programmes:cohort_detail", uuid=cohort.uuid)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@workspace_view("programmes.manage_programmes")
def cohort_create(request, uuid):
    programme = get_or_404(programmes_for_workspace(request.workspace), uuid=uuid)
    form = CohortForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cohort created. Add its sessions and participants."))
            return _to_cohort(cohort)
    return render(request, "programmes/cohort_form.html", {"form": form, "programme": programme})


@workspace_view()
def cohort_detail(request, uuid):
    cohort = _cohort(request, uuid)
    user, me = request.user, membership(request.user, request.workspace)
    can = {
        perm: user.has_perm(f"programmes.{perm}", cohort)
        for perm in ("manage_cohort", "see_accommodations", "propose_goal", "answer_review", "decide_review")
    }
    enrolments = list(enrolments_visible_to(user, cohort))
    goals = list(cohort.goals.prefetch_related("confirmed_by__user").select_related("proposed_by__user"))
    review = getattr(cohort, "review", None) if hasattr(cohort, "review") else None
    answers = list(review.answers.select_related("person__user")) if review else []
    mine = next((a for a in answers if me and a.person_id == me.pk), None)
    context = {
        "cohort": cohort,
        "can": can,
        "sessions": cohort.sessions.select_related("module"),
        "enrolments": enrolments,
        "trainers": cohort.trainers.select_related("user"),
        "mentors": cohort.mentors.select_related("user"),
        "goals": [
            {
                "goal": goal,
                "confirmed": {p.pk for p in goal.confirmed_by.all()},
                "names": sorted(p.user.name for p in goal.confirmed_by.all()),
            }
            for goal in goals
        ],
        "me": me,
        "review": review,
        "answers": answers,
        "summary": _review_summary(answers),
        "my_answer": mine,
        "answer_form": ReviewAnswerForm(
            initial={"content_match": mine.content_match, "pace": mine.pace, "comment": mine.comment} if mine else None
        ),
        "decision_form": ReviewDecisionForm(initial={"decision": review.decision} if review else None),
        "goal_form": CohortGoalForm(),
        "enrol_form": EnrolForm(workspace=request.workspace),
        "own_enrolment": next((e for e in enrolments if me and e.person_id == me.pk), None),
    }
    return render(request, "programmes/cohort_detail.html", context)


def _review_summary(answers: list[ReviewAnswer]) -> dict:
    matches, paces = Counter(a.content_match for a in answers), Counter(a.pace for a in answers)
    return {
        "count": len(answers),
        "content_match": [(label, matches.get(value, 0)) for value, label in ContentMatch.choices],
        "pace": [(label, paces.get(value, 0)) for value, label in Pace.choices],
    }


@workspace_view()
def cohort_edit(request, uuid):
    cohort = _cohort(request, uuid, "programmes.manage_cohort")
    form = CohortForm(request.POST or None, instance=_fresh(cohort), workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cohort(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _to_cohort(cohort)
    return render(
        request, "programmes/cohort_form.html", {"form": form, "programme": cohort.programme, "cohort": cohort}
    )


@workspace_view()
def cohort_copy(request, uuid):
    cohort = _cohort(request, uuid, "programmes.manage_cohort")
    form = CohortCopyForm(request.POST or None, initial={"name": _("%(name)s (next run)") % {"name": cohort.name}})
    if request.method == "POST" and form.is_valid():
        copy = services.copy_cohort(cohort=cohort, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The new run was created with the same sessions, moved to its dates."))
        return _to_cohort(copy)
    return render(request, "programmes/copy.html", {"form": form, "original": cohort})


@workspace_view()
def session_edit(request, uuid, session=None):
    cohort = _cohort(request, uuid, "programmes.manage_cohort")
    session_obj = get_or_404(Session.objects.filter(cohort=cohort), uuid=session) if session else None
    form = SessionForm(request.POST or None, instance=_fresh(session_obj) if session_obj else None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session(cohort=cohort, actor=request.user, session=session_obj, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session saved. Subscribed calendars update on their next refresh."))
            return _to_cohort(cohort, "sessions")
    return render(request, "programmes/session_form.html", {"form": form, "cohort": cohort, "session": session_obj})


@require_POST
@workspace_view()
def session_cancel(request, uuid, session):
    cohort = _cohort(request, uuid, "programmes.manage_cohort")
    session_obj = get_or_404(Session.objects.filter(cohort=cohort), uuid=session)
    services.cancel_session(session=session_obj, actor=request.user)
    messages.success(request, _("The session was cancelled; calendars show it as cancelled."))
    return _to_cohort(cohort, "sessions")


@require_POST
@workspace_view()
def enrol(request, uuid):
    cohort = _cohort(request, uuid, "programmes.manage_cohort")
    form = EnrolForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("team"):
            new = services.enrol_team(cohort=cohort, actor=request.user, team=data["team"])
        else:
            new = services.enrol_people(cohort=cohort, actor=request.user, people=[data["person"]])
        messages.success(request, _("Enrolled: %(count)s.") % {"count": len(new)})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _to_cohort(cohort, "participants")


@workspace_view()
def enrolment_edit(request, uuid, enrolment):
    cohort = _cohort(request, uuid)
    enrolment_obj = get_or_404(enrolments_of_cohort(cohort), uuid=enrolment)
    require_perm(request, "programmes.change_accommodations", enrolment_obj)
    can_manage = request.user.has_perm("programmes.manage_cohort", cohort)
    form = EnrolmentForm(
        request.POST or None, instance=_fresh(enrolment_obj), workspace=request.workspace, can_manage=can_manage
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        status = data.pop("status", None)
        try:
            services.update_enrolment(enrolment=enrolment_obj, actor=request.user, **data)
            if status:
                services.set_enrolment_status(enrolment=enrolment_obj, actor=request.user, status=status)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _to_cohort(cohort, "participants")
    return render(
        request, "programmes/enrolment_form.html", {"form": form, "cohort": cohort, "enrolment": enrolment_obj}
    )


@require_POST
@workspace_view()
def goal_propose(request, uuid):
    cohort = _cohort(request, uuid, "programmes.propose_goal")
    form = CohortGoalForm(request.POST)
    if form.is_valid():
        services.propose_cohort_goal(cohort=cohort, person=request.person, text=form.cleaned_data["text"])
        messages.success(request, _("Goal proposed. Others in the cohort can now confirm it."))
    else:
        messages.error(request, _("Write the goal before proposing it."))
    return _to_cohort(cohort, "goals")


@require_POST
@workspace_view()
def goal_confirm(request, uuid, goal):
    cohort = _cohort(request, uuid, "programmes.propose_goal")
    goal_obj = get_or_404(CohortGoal.objects.filter(cohort=cohort), uuid=goal)
    services.toggle_goal_confirmation(goal=goal_obj, person=request.person)
    return _to_cohort(cohort, "goals")


@require_POST
@workspace_view()
def review(request, uuid):
    """Answer the midpoint questions (participants, managers) or record the decision (trainers)."""
    cohort = _cohort(request, uuid)
    if "decision" in request.POST:
        require_perm(request, "programmes.decide_review", cohort)
        form = ReviewDecisionForm(request.POST)
        if form.is_valid():
            services.decide_midpoint_review(cohort=cohort, person=request.person, **form.cleaned_data)
            messages.success(request, _("The decision was recorded and is shown on the cohort page."))
            return _to_cohort(cohort, "review")
    else:
        require_perm(request, "programmes.answer_review", cohort)
        form = ReviewAnswerForm(request.POST)
        if form.is_valid():
            me = request.person
            enrolled = cohort.enrolments.filter(person=me).exists()
            as_manager = not enrolled and cohort.enrolments.filter(person_id__in=report_ids(me)).exists()
            services.answer_midpoint_review(cohort=cohort, person=me, as_manager=as_manager, **form.cleaned_data)
            messages.success(request, _("Thank you: your answers were recorded."))
            return _to_cohort(cohort, "review")
    return render(request, "programmes/review_form.html", {"form": form, "cohort": cohort})
