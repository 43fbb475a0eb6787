"""The survey pages of the people who send surveys (admins and trainers): the list, creating a
survey, and a survey's page with opening, reminding, closing, a new closing date and more people.

A survey named in the path is looked up in the current workspace (else 404); then the rule
decides (403): ``surveys.manage_survey`` (admins, whoever created it, its cohort's trainers).
The page counts answers per rater group and, for a named survey only, lists who answered; a
confidential or anonymous survey never shows who did.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from takeroot.core.queries import workspace_people
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.queries import cohorts_for_user

from .. import distribution
from ..enums import Anonymity, SurveyState
from ..models import Survey
from ..survey_forms import AddRecipientsForm, ClosingDateForm, SurveyCreateForm

SEND = "surveys.send_surveys"
MANAGE = "surveys.manage_survey"


def _survey(request, uuid) -> Survey:
    found = get_or_404(distribution.surveys_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, MANAGE, found)
    return found


def _errors(error: ValidationError) -> list[str]:
    return error.messages


@workspace_view(SEND)
def survey_list(request):
    """The surveys the viewer may manage, newest first, with answers out of recipients."""
    surveys = distribution.with_counts(distribution.surveys_for_user(request.user, workspace=request.workspace))
    return render(request, "surveys/survey_list.html", {"surveys": list(surveys)})


@workspace_view(SEND)
def survey_create(request):
    """Choose the questionnaire, who is asked, anonymity, the closing date and reminders; the
    survey is saved as a draft to check before opening."""
    workspace = request.workspace
    form = SurveyCreateForm(
        request.POST or None,
        instruments=distribution.instruments_to_send(workspace),
        cohorts=cohorts_for_user(request.user, workspace=workspace).select_related("programme"),
        people=workspace_people(workspace).order_by("user__name", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = distribution.create_survey(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Survey saved as a draft. Check who is asked, then open it."))
            return redirect("surveys:survey_detail", uuid=survey.uuid)
    return render(request, "surveys/survey_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, survey: Survey, *, add_form=None, date_form=None, errors=(), status: int = 200):
    counts = distribution.with_counts(Survey.objects.filter(pk=survey.pk)).values("recipient_count", "response_count")[
        0
    ]
    groups, held = distribution.group_counts(survey)
    people = workspace_people(request.workspace).order_by("user__name", "pk")
    context = {
        "survey": survey,
        "recipient_count": counts["recipient_count"],
        "response_count": counts["response_count"],
        "groups": groups,
        "groups_held": held,
        "recipients": list(distribution.recipients_of(survey)),
        "named": survey.anonymity == Anonymity.NAMED,
        "add_form": add_form or AddRecipientsForm(people=people),
        "date_form": date_form or ClosingDateForm(initial={"closes_at": timezone.localtime(survey.closes_at)}),
        "errors": list(errors),
        "past_closing": survey.closes_at <= timezone.now(),
    }
    return render(request, "surveys/survey_detail.html", context, status=status)


@workspace_view()
def survey_detail(request, uuid):
    return _detail(request, _survey(request, uuid))


@require_POST
@workspace_view()
def survey_open(request, uuid):
    survey = _survey(request, uuid)
    try:
        count = distribution.open_survey(survey=survey, actor=request.user)
    except ValidationError as error:
        return _detail(request, survey, errors=_errors(error), status=400)
    messages.success(
        request,
        ngettext("Survey open: %(count)s invitation sent.", "Survey open: %(count)s invitations sent.", count)
        % {"count": count},
    )
    return redirect("surveys:survey_detail", uuid=survey.uuid)


@require_POST
@workspace_view()
def survey_remind(request, uuid):
    survey = _survey(request, uuid)
    if survey.state != SurveyState.OPEN or survey.closes_at <= timezone.now():
        return _detail(request, survey, errors=[_("Only an open survey sends reminders.")], status=400)
    count = distribution.remind(survey=survey, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", count) % {"count": count},
        )
    else:
        messages.info(request, _("Nobody to remind now: everyone answered or was reminded recently."))
    return redirect("surveys:survey_detail", uuid=survey.uuid)


@require_POST
@workspace_view()
def survey_close(request, uuid):
    survey = _survey(request, uuid)
    try:
        distribution.close_survey(survey=survey, actor=request.user)
    except ValidationError as error:
        return _detail(request, survey, errors=_errors(error), status=400)
    messages.success(request, _("Survey closed: it takes no more answers."))
    return redirect("surveys:survey_detail", uuid=survey.uuid)


@require_POST
@workspace_view()
def survey_extend(request, uuid):
    """A new closing date; a closed survey opens again until then."""
    survey = _survey(request, uuid)
    form = ClosingDateForm(request.POST)
    if form.is_valid():
        try:
            if survey.state == SurveyState.CLOSED:
                distribution.reopen_survey(survey=survey, actor=request.user, closes_at=form.cleaned_data["closes_at"])
                messages.success(request, _("Survey reopened with its new closing date."))
            else:
                distribution.extend_survey(survey=survey, actor=request.user, closes_at=form.cleaned_data["closes_at"])
                messages.success(request, _("Closing date changed."))
        except ValidationError as error:
            survey.refresh_from_db()
            add_service_errors(form, error)
        else:
            return redirect("surveys:survey_detail", uuid=survey.uuid)
    return _detail(request, survey, date_form=form, status=400)


@require_POST
@workspace_view()
def survey_add_recipients(request, uuid):
    survey = _survey(request, uuid)
    form = AddRecipientsForm(request.POST, people=workspace_people(request.workspace).order_by("user__name", "pk"))
    if form.is_valid():
        people = [(person, form.cleaned_data["rater_group"]) for person in form.cleaned_data["people"]]
        try:
            added = distribution.add_recipients(survey, people, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s person added.", "%(count)s people added.", len(added)) % {"count": len(added)},
            )
            return redirect("surveys:survey_detail", uuid=survey.uuid)
    return _detail(request, survey, add_form=form, status=400)
