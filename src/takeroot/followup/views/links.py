"""One-click links from follow-up mail: ``/l/<token>/`` runs the handler of the token's purpose.

Nobody is signed in by a link. The page opens in the language of the person the link is for,
inside their workspace; a bad, expired or used link gets a page that says so and offers to sign
in. ``/l/unsubscribe/<token>/`` takes unsubscribe links only and, alone, accepts a mail
client's RFC 8058 one-click POST without a CSRF token.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from takeroot.core.scope import workspace_scope
from takeroot.core.views.helpers import add_service_errors
from takeroot.plans.forms import CheckInForm
from takeroot.tickets import clock as ticket_clock
from takeroot.tickets.views.learner import raise_form_for

from .. import link_actions, links, preferences
from ..enums import LinkPurpose
from ..links import Link, LinkProblem, Problem

TITLES = {
    Problem.INVALID: gettext_lazy("This link does not work"),
    Problem.EXPIRED: gettext_lazy("This link has expired"),
    Problem.USED: gettext_lazy("This link was already used"),
    Problem.REFUSED: gettext_lazy("This link cannot do that"),
}
EXPLANATIONS = {
    Problem.INVALID: gettext_lazy(
        "The link was changed or copied incompletely. Copy the whole link from the mail, or sign in and go on there."
    ),
    Problem.EXPIRED: gettext_lazy(
        "Links in follow-up mail work for a limited time, for your safety. Sign in to do the same in Takeroot."
    ),
    Problem.USED: gettext_lazy(
        "Each link does its action once, and this one already did. Sign in to see or change what was saved."
    ),
    Problem.REFUSED: gettext_lazy("Sign in to see what you can do in Takeroot."),
}


def problem_page(request, problem: LinkProblem):
    context = {
        "title": TITLES[problem.reason],
        "message": problem.message,
        "explanation": EXPLANATIONS[problem.reason],
        "login_url": links.login_url(problem.link),
    }
    return render(request, "followup/link_problem.html", context, status=problem.status)


def _run(request, link: Link):
    handler = links.handler_for(link.purpose)
    if handler is None:
        return problem_page(request, LinkProblem(Problem.INVALID))
    user = link.user
    with (
        workspace_scope(link.workspace or []),
        translation.override(user.language),
        timezone.override(user.timezone),
    ):
        request.LANGUAGE_CODE = user.language
        if request.method == "GET":
            links.mark_opened(link)
        try:
            return handler(request, link)
        except LinkProblem as problem:
            return problem_page(request, problem)


@require_http_methods(["GET", "POST"])
def open_link(request, token):
    """Any one-click link: verify the token, then let its purpose's handler answer."""
    try:
        link = links.read_link(token)
    except LinkProblem as problem:
        return problem_page(request, problem)
    return _run(request, link)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without our cookie
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request, token):
    """Unsubscribe links only: GET asks to confirm, POST (a button or a mail client) unsubscribes."""
    try:
        link = links.read_link(token, purpose=LinkPurpose.UNSUBSCRIBE)
    except LinkProblem as problem:
        return problem_page(request, problem)
    return _run(request, link)


def _thanks(request, title: str, message: str, next_url: str = "", next_label: str = ""):
    context = {"title": title, "message": message, "next_url": next_url, "next_label": next_label}
    return render(request, "followup/link_done.html", context)


def _refused(request, link: Link, message: str):
    return problem_page(request, LinkProblem(Problem.REFUSED, link, message))


# OPEN: a page of the site, where the normal sign-in applies -------------------------------------


def handle_open(request, link: Link):
    if not links.safe_path(link.target):
        return problem_page(request, LinkProblem(Problem.INVALID))
    return redirect(link.target)


# CHECK_IN: a tiny check-in form ----------------------------------------------------------------


def _check_in_form(data, goals, initial):
    form = CheckInForm(data, goals=goals, initial=initial)
    # The tiny form: status, confidence, the goals' values and an optional call for support.
    del form.fields["changed_work"], form.fields["obstacles"]
    return form


def handle_check_in(request, link: Link):
    plan = link_actions.plan_for_link(link)
    refusal = link_actions.check_in_refusal(link, plan)
    if refusal:
        return _refused(request, link, refusal)
    goals = link_actions.check_in_goals(plan)
    form = _check_in_form(request.POST or None, goals, link_actions.check_in_initial(plan, goals))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link_actions.check_in_by_link(
                link=link,
                plan=plan,
                status=data["status"],
                confidence=data["confidence"],
                values=form.values(),
                support_needed=data["support_needed"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _thanks(
                request,
                _("Check-in saved. Thank you."),
                _("Your manager and trainer see your progress. You can follow it on your action plan."),
                plan.get_absolute_url(),
                _("Open my action plan (sign-in needed)"),
            )
    return render(request, "followup/link_check_in.html", {"plan": plan, "form": form, "person": link.person})


def check_in_next(link: Link) -> str | None:
    uuid = links.as_uuid(link.target)
    return reverse("plans:check_in", args=[uuid]) if uuid else None


# ASK_QUESTION: the raise form of a learner ticket, about the link's cohort --------------------


def handle_question(request, link: Link):
    cohort = link_actions.cohort_for_link(link)
    refusal = link_actions.question_refusal(link, cohort)
    if refusal:
        return _refused(request, link, refusal)
    enrolment = link_actions.enrolment_for_link(link, cohort)
    post = request.method == "POST"
    form = raise_form_for(
        link.person, request.POST if post else None, request.FILES if post else None, enrolment_uuid=enrolment.uuid
    )
    promise = ticket_clock.promise_text(ticket_clock.settings_for(link.person.workspace))
    if post and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = link_actions.raise_question(
                link=link,
                cohort=cohort,
                category=data["category"],
                subject=data["subject"],
                body=data["body"],
                module=data.get("module"),
                files=data.get("files") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _thanks(
                request,
                _("Your question was sent"),
                _("Your question #%(number)d is with the right person. You will get an answer %(promise)s, by mail.")
                % {"number": ticket.number, "promise": promise},
                next_url=reverse("tickets:ticket", args=[ticket.uuid]),
                next_label=_("Follow it in Takeroot (sign in)"),
            )
    context = {"cohort": cohort, "form": form, "enrolment": enrolment, "promise": promise}
    return render(request, "followup/link_question.html", context)


# UNSUBSCRIBE: optional mail off ----------------------------------------------------------------


def handle_unsubscribe(request, link: Link):
    if request.method == "POST":
        preferences.unsubscribe(user=link.user)
        return render(request, "followup/link_unsubscribed.html", {"account": link.user})
    return render(request, "followup/link_unsubscribe.html", {"account": link.user})


def register_handlers() -> None:
    """Called once from the app's ``ready()``."""
    links.register_link_handler(LinkPurpose.OPEN, handle_open, next_url=lambda link: link.target)
    links.register_link_handler(LinkPurpose.CHECK_IN, handle_check_in, next_url=check_in_next)
    links.register_link_handler(LinkPurpose.ASK_QUESTION, handle_question)
    links.register_link_handler(
        LinkPurpose.UNSUBSCRIBE, handle_unsubscribe, next_url=lambda link: reverse("followup:preferences")
    )
