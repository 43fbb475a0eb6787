"""Answering a survey: the form at ``/surveys/<uuid>/respond/`` for a signed-in recipient, and
the same form behind the one-click link of an invitation or a reminder (no sign-in: the link's
person answers).

Anonymous surveys are answered with the person's single ballot (``responding.issue_ballot``).
The form carries it in a hidden field and this browser keeps it in a cookie of that survey,
signed for that person, so a reload or coming back later works. The signed-in page gives the
ballot out when it is opened; the link page only when its form is sent, because mail scanners
open links too and would take the ballot away. Someone whose ballot was given out to another
browser gets a page that explains why there is no second one.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from takeroot.core.models import Person
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.links import Link, LinkProblem, Problem, as_uuid, mark_done, register_link_handler

from ..answer_forms import SurveyForm
from ..enums import Anonymity, RaterGroup
from ..models import Recipient, Survey, text_in
from ..responding import (
    Refusal,
    SubmitRefused,
    ballot_state,
    issue_ballot,
    questions_for,
    refusal_of,
    submit,
)

COOKIE_PREFIX = "takeroot_ballot_"


# The ballot this browser holds -----------------------------------------------------------------


def _salt(survey_hex: str, person: Person) -> str:
    # Per survey and per person: a ballot kept for one person is no use to another on a shared computer.
    return f"takeroot.surveys.ballot.{survey_hex}.{person.uuid.hex}"


def sign_ballot(survey: Survey, person: Person, secret: str) -> str:
    return signing.Signer(salt=_salt(survey.uuid.hex, person)).sign(secret)


def _unsign(survey_hex: str, person: Person, value: str) -> str:
    try:
        return signing.Signer(salt=_salt(survey_hex, person)).unsign(value or "")
    except signing.BadSignature:
        return ""


def held_ballots(request, person: Person) -> dict[str, str]:
    """The ballots this browser keeps for ``person``: survey uuid hex → secret."""
    found = {}
    for name, value in request.COOKIES.items():
        if name.startswith(COOKIE_PREFIX):
            survey_hex = name.removeprefix(COOKIE_PREFIX)
            if secret := _unsign(survey_hex, person, value):
                found[survey_hex] = secret
    return found


def _held_ballot(request, survey: Survey, person: Person) -> str:
    """The ballot the form posted, else the one in this browser's cookie ("" when none)."""
    posted = request.POST.get("ballot", "") if request.method == "POST" else ""
    return _unsign(survey.uuid.hex, person, posted) or _unsign(
        survey.uuid.hex, person, request.COOKIES.get(COOKIE_PREFIX + survey.uuid.hex, "")
    )


def _keep_ballot(response, survey: Survey, signed: str) -> None:
    response.set_cookie(
        COOKIE_PREFIX + survey.uuid.hex,
        signed,
        expires=survey.closes_at,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# What the page says ----------------------------------------------------------------------------


def anonymity_sentence(anonymity: str) -> str:
    """What the survey's anonymity means for the person answering, in one plain sentence."""
    if anonymity == Anonymity.NAMED:
        return _("Your name is kept with your answers: the people who run this survey see who answered what.")
    if anonymity == Anonymity.ANONYMOUS:
        return _(
            "Nothing links you to your answers: Takeroot does not even keep whether you answered, "
            "and results are only shown for groups large enough that no one can be singled out."
        )
    return _(
        "Your answers are kept without your name: Takeroot only notes that you answered, to stop reminders, "
        "and results are only shown for groups large enough that no one can be singled out."
    )


def role_sentence(recipient: Recipient) -> str:
    """For a survey about someone: the role the person answers in."""
    return {
        RaterGroup.SELF: _("You answer about yourself."),
        RaterGroup.MANAGER: _("You answer as their manager."),
        RaterGroup.PEER: _("You answer as one of their peers."),
        RaterGroup.REPORT: _("You answer as one of the people who report to them."),
    }.get(recipient.rater_group, _("You answer as a participant."))


def _outcome(request, survey: Survey, state: str, message: str = "", status: int = 200, next_url: str = ""):
    """The page instead of the form: "thanks", "answered", "closed", "lost" (ballot)."""
    context = {"survey": survey, "state": state, "message": message, "next_url": next_url}
    return render(request, "surveys/respond_done.html", context, status=status)


def _refused_page(request, survey: Survey, refused: SubmitRefused, next_url: str):
    if refused.reason in (Refusal.ANSWERED, Refusal.BALLOT_USED):
        return _outcome(request, survey, "answered", next_url=next_url)
    if refused.reason == Refusal.NOT_OPEN:
        return _outcome(request, survey, "closed", refused.message, next_url=next_url)
    if refused.reason == Refusal.NOT_RECIPIENT:
        return _outcome(request, survey, "refused", refused.message, status=403, next_url=next_url)
    return _outcome(request, survey, "lost", status=409, next_url=next_url)


# The form, for both ways in -------------------------------------------------------------------


def respond_page(request, *, survey: Survey, person: Person, link: Link | None = None):
    """The survey's form for ``person`` (a recipient), GET and POST. ``link``: opened from mail."""
    now = timezone.now()
    next_url = reverse("surveys:mine") if link is None else ""
    recipient = Recipient.objects.get(survey=survey, person=person)
    refused = refusal_of(survey, now)
    if refused is not None:
        return _refused_page(request, survey, refused, next_url)
    anonymous = survey.anonymity == Anonymity.ANONYMOUS
    secret = ""
    if anonymous:
        secret = _held_ballot(request, survey, person)
        state = ballot_state(survey, secret)
        if state == "used":
            return _outcome(request, survey, "answered", next_url=next_url)
        if state != "unused":
            secret = ""
            if recipient.ballot_issued:
                return _outcome(request, survey, "lost", status=409, next_url=next_url)
            # Signed in, the ballot is given out on opening; from a mail link, on sending.
            if link is None or request.method == "POST":
                try:
                    secret = issue_ballot(survey, person)
                except SubmitRefused as problem:
                    return _refused_page(request, survey, problem, next_url)
    elif recipient.has_answered:
        return _outcome(request, survey, "answered", next_url=next_url)

    questions = questions_for(survey, recipient.rater_group)
    form = SurveyForm(questions, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            submit(survey=survey, person=person, answers=form.answers(), ballot=secret or None, now=now)
        except ValidationError as error:
            form.add_errors(error.message_dict if hasattr(error, "error_dict") else {"": error.messages})
        except SubmitRefused as problem:
            return _refused_page(request, survey, problem, next_url)
        else:
            if link is None:
                return redirect("surveys:thanks", uuid=survey.uuid)
            if survey.anonymity == Anonymity.NAMED:
                # Only a named survey may record when the person answered.
                mark_done(link)
            return _outcome(request, survey, "thanks")
    signed = sign_ballot(survey, person, secret) if secret else ""
    context = {
        "survey": survey,
        "recipient": recipient,
        "form": form,
        "ballot": signed,
        "introduction": text_in(survey.instrument.content, get_language() or "en").get("introduction", ""),
        "anonymity_sentence": anonymity_sentence(survey.anonymity),
        "role_sentence": role_sentence(recipient) if survey.subject_id else "",
        "via_link": link is not None,
        "required_any": any(question.required for question in questions),
    }
    page = render(request, "surveys/respond.html", context)
    if signed:
        _keep_ballot(page, survey, signed)
    return page


def _survey_for(request, uuid) -> Survey:
    found = Survey.objects.filter(workspace=request.workspace).select_related("instrument", "subject__user", "cohort")
    survey = get_or_404(found, uuid=uuid)
    require_perm(request, "surveys.respond", survey)
    return survey


@workspace_view()
def respond(request, uuid):
    """The survey's form for a signed-in recipient (POST: send the answers)."""
    survey = _survey_for(request, uuid)
    return respond_page(request, survey=survey, person=request.person)


@workspace_view()
def thanks(request, uuid):
    """After sending: thanks, and what happens with the answers."""
    survey = _survey_for(request, uuid)
    return _outcome(request, survey, "thanks", next_url=reverse("surveys:mine"))


# The one-click link ---------------------------------------------------------------------------


def handle_survey_link(request, link: Link):
    """An invitation's or a reminder's link: the survey named by the link's target, for the link's
    person, when it was sent to them."""
    survey = None
    if link.person is not None and as_uuid(link.target) is not None:
        found = Survey.objects.filter(workspace=link.person.workspace, uuid=as_uuid(link.target))
        survey = found.select_related("instrument", "subject__user", "cohort").first()
    if survey is None or not Recipient.objects.filter(survey=survey, person=link.person).exists():
        raise LinkProblem(Problem.REFUSED, link, _("This survey was not sent to you, or it no longer exists."))
    return respond_page(request, survey=survey, person=link.person, link=link)


def _next_url(link: Link) -> str | None:
    uuid = as_uuid(link.target)
    return reverse("surveys:respond", args=[uuid]) if uuid else reverse("surveys:mine")


def register() -> None:
    """Called once from the app's ``ready()``."""
    register_link_handler(LinkPurpose.SURVEY, handle_survey_link, next_url=_next_url)
