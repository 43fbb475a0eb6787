"""Surveys in the follow-up engine: the step kind that sends a questionnaire.

Registered with ``followup.step_kinds`` from the app's ``ready()``. All touchpoints of one survey
step in one cohort share one survey (made and opened by the first real send, closing 14 days
later; anonymity from the questionnaire). Each touchpoint adds its recipient (the participant, or
their manager when the step goes to managers) and its mail carries the one-click link; the
survey's own reminders follow. A batch loads the surveys and recipients it needs in two queries.
Previews and test sends show the link to the person's surveys and write nothing.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from takeroot.followup.enums import Audience, LinkPurpose, StepKind, TouchpointState
from takeroot.followup.step_kinds import Extra

from . import distribution
from .enums import Anonymity, RaterGroup, SurveyState
from .models import Recipient, Survey, SurveyQuestion

SURVEYS_KEY = "surveys"  # facts.extra: (step id, cohort id) → the step's survey of that cohort
RECIPIENTS_KEY = "survey_recipients"  # facts.extra: (survey id, person id) → Recipient
GROUPS_KEY = "survey_groups"  # facts.extra: instrument id → rater groups its questions are limited to

# Stored untranslated (like ``followup.rendering``'s reasons) and translated where shown.
REASON_NO_INSTRUMENT = gettext_noop("This survey step has no questionnaire.")
REASON_ARCHIVED = gettext_noop("The step's questionnaire is archived.")
REASON_NO_MANAGER_QUESTIONS = gettext_noop("The questionnaire has no questions for managers.")
REASON_CLOSED = gettext_noop("This cohort's survey of the step is closed.")
REASON_ANSWERED = gettext_noop("Already answered this survey.")
REASON_BALLOT_TAKEN = gettext_noop("Already opened this anonymous survey (whether they answered is not kept).")
REASON_INVITED = gettext_noop("Already invited to this survey by another message.")


def _survey_touchpoints(touchpoints) -> list:
    return [tp for tp in touchpoints if tp.step.kind == StepKind.SURVEY]


def load_surveys(touchpoints, facts) -> None:
    """The surveys of the batch's survey steps and their recipients, and which rater groups each
    questionnaire's questions are limited to, in three queries."""
    found = _survey_touchpoints(touchpoints)
    if not found:
        return
    steps = {tp.step_id for tp in found}
    cohorts = {tp.enrolment.cohort_id for tp in found}
    surveys = list(Survey.objects.filter(step_id__in=steps, cohort_id__in=cohorts))
    facts.extra[SURVEYS_KEY] = {(s.step_id, s.cohort_id): s for s in surveys}
    recipients = Recipient.objects.filter(survey__in=surveys, person_id__in={tp.recipient_id for tp in found})
    facts.extra[RECIPIENTS_KEY] = {(r.survey_id, r.person_id): r for r in recipients}
    groups: dict[int, list[list[str]]] = {}
    instrument_ids = {tp.step.instrument_id for tp in found if tp.step.instrument_id}
    for instrument_id, limited in SurveyQuestion.objects.filter(instrument_id__in=instrument_ids).values_list(
        "instrument_id", "rater_groups"
    ):
        groups.setdefault(instrument_id, []).append(limited or [])
    facts.extra[GROUPS_KEY] = groups


def rater_group_for(step, questions_groups: list[list[str]]) -> str | None:
    """The group a touchpoint's recipient answers in: managers as managers (None when no question
    is for them); participants as "self" when the questionnaire asks people about themselves
    (a behaviour follow-up), else as participants."""
    if step.audience == Audience.MANAGER:
        if any(not limited or RaterGroup.MANAGER in limited for limited in questions_groups):
            return RaterGroup.MANAGER.value
        return None
    if any(RaterGroup.SELF in limited for limited in questions_groups) and not any(
        RaterGroup.PARTICIPANT in limited for limited in questions_groups
    ):
        return RaterGroup.SELF.value
    return RaterGroup.PARTICIPANT.value


def _existing(touchpoint, facts) -> tuple[Survey | None, Recipient | None]:
    survey = facts.extra.get(SURVEYS_KEY, {}).get((touchpoint.step_id, touchpoint.enrolment.cohort_id))
    if survey is None:
        return None, None
    return survey, facts.extra.get(RECIPIENTS_KEY, {}).get((survey.pk, touchpoint.recipient_id))


def skip_survey(touchpoint, facts) -> tuple[str, str] | None:
    """Skip a step without a usable questionnaire, a cohort whose survey is closed, and a person
    who answered already (anonymous: took their ballot) or was invited by another touchpoint."""
    step = touchpoint.step
    instrument = step.instrument if step.instrument_id else None
    if instrument is None:
        return TouchpointState.SKIPPED, REASON_NO_INSTRUMENT
    if instrument.archived:
        return TouchpointState.SKIPPED, REASON_ARCHIVED
    if rater_group_for(step, facts.extra.get(GROUPS_KEY, {}).get(instrument.pk, [])) is None:
        return TouchpointState.SKIPPED, REASON_NO_MANAGER_QUESTIONS
    survey, recipient = _existing(touchpoint, facts)
    if survey is not None and (survey.state != SurveyState.OPEN or survey.closes_at <= facts.now):
        return TouchpointState.SKIPPED, REASON_CLOSED
    if recipient is not None:
        if survey.anonymity == Anonymity.ANONYMOUS and recipient.ballot_issued:
            return TouchpointState.SKIPPED, REASON_BALLOT_TAKEN
        if survey.anonymity != Anonymity.ANONYMOUS and recipient.has_answered:
            return TouchpointState.SKIPPED, REASON_ANSWERED
        # A retried send finds its own invitation: only a first attempt is a second invitation.
        if recipient.invited_at is not None and not touchpoint.attempts:
            return TouchpointState.SKIPPED, REASON_INVITED
    return None


def _anonymity_line(anonymity: str) -> str:
    if anonymity == Anonymity.NAMED:
        return _("Your name is kept with your answers: the people who run this survey see who answered what.")
    if anonymity == Anonymity.ANONYMOUS:
        return _("Nothing links you to your answers: Takeroot does not even keep whether you answered.")
    return _("Your answers are kept without your name: Takeroot only notes that you answered, to stop reminders.")


def render_survey(touchpoint, facts, link, persist: bool) -> Extra:
    """The link to the survey, its closing date and what its anonymity means. ``persist``: the
    cohort's survey is found or made and the recipient added; otherwise (preview, test send)
    nothing is written and the link goes to the person's surveys."""
    step = touchpoint.step
    instrument = step.instrument if step.instrument_id else None
    if instrument is None:  # a preview of a step still being written (a real send skips it)
        return Extra(text=_("No questionnaire is chosen for this survey step yet."))
    survey, _recipient = _existing(touchpoint, facts)
    if persist:
        survey = distribution.survey_for_step(step=step, cohort=touchpoint.enrolment.cohort, now=facts.now)
        group = rater_group_for(step, facts.extra.get(GROUPS_KEY, {}).get(instrument.pk, []))
        distribution.invite_from_step(
            survey=survey, person=touchpoint.recipient, rater_group=group or RaterGroup.PARTICIPANT, now=facts.now
        )
        url = link(LinkPurpose.SURVEY, str(survey.uuid)) or settings.BASE_URL + reverse(
            "surveys:respond", args=[survey.uuid]
        )
        closes = distribution.closing_text(survey)
    else:
        url = settings.BASE_URL + reverse("surveys:mine")
        closes = distribution.closing_text(survey) if survey is not None else ""
    anonymity = survey.anonymity if survey is not None else instrument.anonymity
    if closes:
        when = _("It closes on %(date)s.") % {"date": closes}
    else:
        when = _("It closes %(days)s days after it is first sent.") % {"days": distribution.STEP_SURVEY_DAYS}
    label = _("Answer the survey “%(title)s”") % {"title": instrument.title}
    text = f"{label}:\n{url}\n\n{when} {_anonymity_line(anonymity)}"
    html = format_html('<p><a href="{}">{}</a></p><p>{} {}</p>', url, label, when, _anonymity_line(anonymity))
    return Extra(text=text, html=html, url=url)


def register() -> None:
    """Called once from the app's ``ready()``."""
    from takeroot.followup.step_kinds import register_step_kind

    register_step_kind(StepKind.SURVEY, load=load_surveys, skip=skip_survey, render=render_survey)
