"""Quiz rounds in the follow-up engine: the step kind that mails a participant the questions most
due for them, and the condition on the last quiz score that any step may carry.

Both are registered with ``followup.step_kinds`` from the app's ``ready()``. A batch of
touchpoints loads what it needs in bulk (the due questions of every enrolment at once, the last
scores at once). A real send starts the touchpoint's round (once: a retried send finds it) and
lists each question with one one-click link per option; previews and test sends show the
questions the person would get, or the first of the bank, and write nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_noop

from takeroot.followup.enums import LinkPurpose, StepKind, TouchpointState
from takeroot.followup.step_kinds import Extra

from . import scheduling, services
from .enums import CHOICE_KINDS
from .models import Question, QuizRound

DUE_KEY = "quizzes"  # facts.extra: enrolment id → the questions most due
ROUNDS_KEY = "quiz_rounds"  # facts.extra: ids of the batch's touchpoints whose round exists
TAKEN_KEY = "quiz_taken"  # facts.extra: enrolments already sent a round in this batch
SCORES_KEY = "quiz_scores"  # facts.extra: enrolment id → last round's percentage right

# Stored untranslated (like ``followup.rendering``'s reasons) and translated where shown.
REASON_NOTHING_DUE = gettext_noop("No quiz question is due: every question is answered or retired.")
REASON_ONE_AT_A_TIME = gettext_noop("Another quiz round goes to this person at the same time.")
REASON_SCORE_HIGH = gettext_noop("The last quiz score was at or above this step's threshold.")


def _quiz_touchpoints(touchpoints) -> list:
    return [tp for tp in touchpoints if tp.step.kind == StepKind.QUIZ_ROUND]


# The quiz-round kind -----------------------------------------------------------------------------


def load_rounds(touchpoints, facts) -> None:
    """The questions due for every enrolment of the batch's quiz rounds, and which of those
    touchpoints already have their round (a retried send), in three or four queries."""
    quiz = _quiz_touchpoints(touchpoints)
    if not quiz:
        return
    facts.extra[DUE_KEY] = scheduling.choose_due({tp.enrolment_id for tp in quiz}, now=facts.now)
    saved = [tp.pk for tp in quiz if tp.pk]
    started = QuizRound.objects.filter(touchpoint_id__in=saved).values_list("touchpoint_id", flat=True)
    facts.extra[ROUNDS_KEY] = set(started) if saved else set()
    facts.extra[TAKEN_KEY] = set()


def skip_round(touchpoint, facts) -> tuple[str, str] | None:
    """Skip a round with nothing to ask, and a second round for the same person in one batch
    (both would carry the same questions)."""
    if touchpoint.pk in facts.extra.get(ROUNDS_KEY, ()):
        return None
    if not facts.extra.get(DUE_KEY, {}).get(touchpoint.enrolment_id):
        return TouchpointState.SKIPPED, REASON_NOTHING_DUE
    taken = facts.extra.setdefault(TAKEN_KEY, set())
    if touchpoint.enrolment_id in taken:
        return TouchpointState.SKIPPED, REASON_ONE_AT_A_TIME
    taken.add(touchpoint.enrolment_id)
    return None


@dataclass(frozen=True)
class _Option:
    label: str
    url: str


@dataclass(frozen=True)
class _Shown:
    """One question as the mail shows it."""

    prompt: str
    language: str
    numeric: bool
    options: list[_Option]
    number_url: str = ""


def _shown(question: Question, language: str, urls=(), number_url: str = "") -> _Shown:
    text = question.text_for(language)
    labels = text.get("options", []) if question.kind in CHOICE_KINDS else []
    urls = list(urls) or [""] * len(labels)
    return _Shown(
        prompt=text.get("prompt", ""),
        language=question.language_for(language),
        numeric=question.kind not in CHOICE_KINDS,
        options=[_Option(label, url) for label, url in zip(labels, urls, strict=True)],
        number_url=number_url,
    )


def _round_questions(quiz_round: QuizRound, language: str, link) -> list[_Shown]:
    shown = []
    for item in quiz_round.items.select_related("question").order_by("position", "pk"):
        question = item.question
        if question.kind in CHOICE_KINDS:
            count = len(question.text_for(language).get("options", []))
            urls = [link(LinkPurpose.QUIZ_ANSWER, f"{item.uuid}:{index}") for index in range(count)]
            shown.append(_shown(question, language, urls))
        else:
            shown.append(_shown(question, language, number_url=link(LinkPurpose.QUIZ_ANSWER, f"{item.uuid}:")))
    return shown


def _examples(touchpoint, facts, language: str) -> list[_Shown]:
    """What a preview shows: the questions due for the person now, else the bank's first ones."""
    enrolment = touchpoint.enrolment
    questions = facts.extra.get(DUE_KEY, {}).get(enrolment.pk) or list(
        Question.objects.filter(programme_id=enrolment.cohort.programme_id, archived_at__isnull=True).order_by(
            "position", "pk"
        )[: scheduling.settings_for(enrolment.cohort.programme).questions_per_round]
    )
    return [_shown(question, language) for question in questions]


def render_round(touchpoint, facts, link, persist: bool) -> Extra:
    """The questions of the touchpoint's round, each option a one-click link (a numeric question:
    one link to a page with a number field). ``persist`` false (a preview, a test send): example
    questions without links, nothing written."""
    language = touchpoint.recipient.user.language
    enrolment = touchpoint.enrolment
    quiz_round = None
    if persist:
        due = facts.extra.get(DUE_KEY, {}).get(enrolment.pk)
        quiz_round = services.start_round(enrolment, now=facts.now, touchpoint=touchpoint, questions=due or None)
    if quiz_round is not None:
        questions = _round_questions(quiz_round, language, link)
        url = settings.BASE_URL + quiz_round.get_absolute_url()
    else:
        questions = _examples(touchpoint, facts, language)
        url = settings.BASE_URL + reverse("quizzes:mine")
    context = {"questions": questions, "example": quiz_round is None, "web_url": url}
    return Extra(
        text=render_to_string("mail/quiz_round.txt", context).strip(),
        html=render_to_string("mail/quiz_round.html", context).strip(),
        url=url,
    )


# The last-score condition ------------------------------------------------------------------------


def load_scores(touchpoints, facts) -> None:
    """The last quiz score of every enrolment whose step has a score condition, in one query."""
    ids = {tp.enrolment_id for tp in touchpoints if tp.step.if_quiz_score_below is not None}
    if ids:
        facts.extra[SCORES_KEY] = services.last_round_scores(ids)


def skip_by_score(touchpoint, facts) -> tuple[str, str] | None:
    """Send only while the last answered round scored below the step's threshold (no answered
    round yet: send)."""
    threshold = touchpoint.step.if_quiz_score_below
    if threshold is None:
        return None
    score = facts.extra.get(SCORES_KEY, {}).get(touchpoint.enrolment_id)
    if score is not None and score >= threshold:
        return TouchpointState.SKIPPED, REASON_SCORE_HIGH
    return None


def register() -> None:
    """Called once from the app's ``ready()``."""
    from takeroot.followup.step_kinds import register_condition, register_step_kind

    register_step_kind(StepKind.QUIZ_ROUND, load=load_rounds, skip=skip_round, render=render_round)
    register_condition(skip=skip_by_score, load=load_scores)
