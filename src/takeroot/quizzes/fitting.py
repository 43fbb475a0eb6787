"""Fitting a programme's FSRS parameters to its own answers, pooled over all its participants.

Never per person: one person's few dozen answers would fit noise. Each answer becomes a
``fsrs.ReviewLog`` whose card is the participant's memory state of the question. Below
``MIN_REVIEWS`` the fit is not tried; without the optimizer's extra dependencies (``fsrs[optimizer]``:
torch and pandas) it cannot run, and the programme keeps the default parameters. Every attempt is
kept as a ``ParameterFit`` whatever its outcome, so the settings page can show the history.
"""

from datetime import UTC

import fsrs
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fsrs.optimizer import Optimizer

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User
from takeroot.core.services import record_audit
from takeroot.programmes.models import Programme

from .enums import FitOutcome
from .models import Answer, MemoryState, ParameterFit
from .scheduling import settings_for

MIN_REVIEWS = 300
INSTALL_HINT = 'pip install "fsrs[optimizer]"'


def review_logs(programme: Programme) -> list[fsrs.ReviewLog]:
    """Every answer to the programme's questions as a review of the answerer's memory state."""
    states = {
        (enrolment, question): pk
        for pk, enrolment, question in MemoryState.objects.filter(question__programme=programme).values_list(
            "pk", "enrolment_id", "question_id"
        )
    }
    answers = Answer.objects.filter(question__programme=programme).values_list(
        "enrolment_id", "question_id", "rating", "answered_at"
    )
    return [
        fsrs.ReviewLog(
            card_id=states[(enrolment, question)],
            rating=fsrs.Rating(rating),
            review_datetime=answered_at.astimezone(UTC),
            review_duration=None,
        )
        for enrolment, question, rating, answered_at in answers.order_by("answered_at", "pk")
        if (enrolment, question) in states
    ]


def describe(fit: ParameterFit) -> str:
    """What a fit's outcome means for the programme, in the reader's language."""
    if fit.outcome == FitOutcome.TOO_FEW:
        return _("%(count)s reviews so far; %(more)s more are needed before a fit is worth it.") % {
            "count": fit.reviews,
            "more": MIN_REVIEWS - fit.reviews,
        }
    if fit.outcome == FitOutcome.UNAVAILABLE:
        return _("The optimizer is not installed, so the default parameters stay. To enable it, run %(command)s.") % {
            "command": INSTALL_HINT
        }
    if fit.outcome == FitOutcome.APPLIED:
        return _("Fitted on %(count)s reviews and applied.") % {"count": fit.reviews}
    return _("The fit did not work; the parameters in use stay. %(error)s") % {"error": fit.message}


def _fit(logs: list[fsrs.ReviewLog]) -> tuple[str, list[float], str]:
    """The outcome, the parameters (when fitted) and, when the fit failed, why (for the admin)."""
    if len(logs) < MIN_REVIEWS:
        return FitOutcome.TOO_FEW, [], ""
    try:
        optimizer = Optimizer(logs)
    except ImportError:
        return FitOutcome.UNAVAILABLE, [], ""
    parameters = [float(value) for value in optimizer.compute_optimal_parameters()]
    try:
        fsrs.Scheduler(parameters=parameters)  # checks the count and each parameter's bounds
    except ValueError as error:
        return FitOutcome.FAILED, [], str(error)[:500]
    return FitOutcome.APPLIED, parameters, ""


@transaction.atomic
def fit_parameters(*, programme: Programme, actor: User | None, requested_by: Person | None = None) -> ParameterFit:
    """Try to fit the programme's scheduling to its answers, and apply the result when it worked.

    Side effects: a ``ParameterFit`` row whatever the outcome; when applied, the programme's
    ``QuizSettings.parameters`` and ``fitted_at`` (the row is created if needed) and an audit entry.
    Answers already given are not re-scheduled: the new parameters apply from the next answer on.
    Called by ``task_fit_parameters``, for admins (``quizzes.fit_parameters``)."""
    logs = review_logs(programme)
    outcome, parameters, message = _fit(logs)
    fit = ParameterFit.objects.create(
        workspace_id=programme.workspace_id,
        programme=programme,
        requested_by=requested_by,
        reviews=len(logs),
        outcome=outcome,
        parameters=parameters,
        message=message,
    )
    if outcome == FitOutcome.APPLIED:
        quiz_settings = settings_for(programme)
        quiz_settings.parameters, quiz_settings.fitted_at = parameters, timezone.now()
        quiz_settings.save()
        record_audit(
            workspace=programme.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=quiz_settings,
            changes={"parameters": (None, f"{len(logs)} reviews")},
        )
    return fit


def request_fit(*, programme: Programme, actor: User | None, requested_by: Person | None = None) -> None:
    """Queue a fit for after the current transaction commits (a rolled-back request fits nothing)."""
    from .tasks import task_fit_parameters

    kwargs = {
        "programme_id": programme.pk,
        "user_id": actor.pk if actor else None,
        "person_id": requested_by.pk if requested_by else None,
    }
    transaction.on_commit(lambda: task_fit_parameters.enqueue(**kwargs))
