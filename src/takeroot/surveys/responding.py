"""Answering a survey: the questions a person sees, checking their answers, storing them with the
anonymity the survey promises, and the single-use ballots of anonymous surveys.

What is stored follows the models' docstring and nothing more:
- named: the response names the person; the recipient is marked as having answered.
- confidential: the response names no one; the recipient's ``has_answered`` flag is set in the
  same transaction (it stops reminders) and nothing records when.
- anonymous: the response names no one and the recipient is not touched; the person answers with
  a ballot (``issue_ballot``) whose stored digest names no one, used once.
Every response keeps its rater group, the person's team at that moment and the Monday of the week,
never a time of day. No audit entry names who answered a confidential or an anonymous survey.
"""

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person
from takeroot.core.services import record_audit

from .enums import POINTS, Anonymity, SurveyQuestionKind, SurveyState
from .models import Ballot, Recipient, Response, Survey, SurveyAnswer, SurveyQuestion, text_in

MAX_TEXT = 4000
SCALE_10_POINTS = 11  # 0..10


class Refusal:
    """Why a person cannot answer a survey (``SubmitRefused.reason``)."""

    NOT_OPEN = "not_open"  # a draft, closed, or past its closing date
    NOT_RECIPIENT = "not_recipient"
    ANSWERED = "answered"  # named and confidential: answered already
    BALLOT_TAKEN = "ballot_taken"  # anonymous: the one ballot was issued already (elsewhere)
    BALLOT_INVALID = "ballot_invalid"  # anonymous: no ballot, or not one of this survey
    BALLOT_USED = "ballot_used"  # anonymous: this ballot was used (the person answered)
    NOT_ANONYMOUS = "not_anonymous"


class SubmitRefused(Exception):
    """The survey cannot take this answer (not the answers' content: that is a ValidationError)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# The questions -------------------------------------------------------------------------------


def language_of(content: dict, language: str) -> str:
    """The language ``text_in`` picks from ``content`` for a reader of ``language``."""
    for code in (language, "en", *content):
        if content.get(code):
            return code
    return language


def questions_for(survey: Survey, rater_group: str, *, language: str | None = None) -> list[SurveyQuestion]:
    """The survey's questions a rater of ``rater_group`` answers, in order. A question with
    ``rater_groups`` is only for those groups. Each question gets ``text`` (its texts in the
    reader's language, else the fallback ``text_in`` picks) and ``text_language``."""
    language = language or get_language() or "en"
    found = []
    for question in survey.instrument.questions.all().order_by("position", "id"):
        if question.rater_groups and rater_group not in question.rater_groups:
            continue
        question.text = text_in(question.content, language)
        question.text_language = language_of(question.content, language)
        found.append(question)
    return found


def points_of(question: SurveyQuestion) -> list[int]:
    """The values a scale, a single choice or a matrix row may take."""
    if question.kind in POINTS:
        return list(range(1, POINTS[question.kind] + 1))
    if question.kind == SurveyQuestionKind.SCALE_10:
        return list(range(SCALE_10_POINTS))
    if question.kind == SurveyQuestionKind.MATRIX:
        return list(range(1, question.scale_points + 1))
    return []


def _agreement(points: int) -> list[str]:
    if points == 7:
        return [
            _("Strongly disagree"),
            _("Disagree"),
            _("Somewhat disagree"),
            _("Neither agree nor disagree"),
            _("Somewhat agree"),
            _("Agree"),
            _("Strongly agree"),
        ]
    return [_("Strongly disagree"), _("Disagree"), _("Neither agree nor disagree"), _("Agree"), _("Strongly agree")]


def point_labels(question: SurveyQuestion, text: dict) -> list[tuple[int, str]]:
    """Each point of a scale (or a matrix's columns) with its label, as the form shows it and the
    results count it: agreement words on every point of an agreement scale; else the number, with
    the end labels of ``text`` (the question's text in the reader's language) at the ends."""
    points = points_of(question)
    low, high = text.get("low", ""), text.get("high", "")
    if question.kind != SurveyQuestionKind.SCALE_10 and not (low or high):
        return list(zip(points, _agreement(len(points)), strict=True))
    if question.kind == SurveyQuestionKind.SCALE_10:
        low = low or pgettext("scale end", "Not at all")
        high = high or pgettext("scale end", "Completely")
    labels = [str(point) for point in points]
    if low:
        labels[0] = f"{points[0]} · {low}"
    if high:
        labels[-1] = f"{points[-1]} · {high}"
    return list(zip(points, labels, strict=True))


def _texts(question: SurveyQuestion) -> dict:
    text = getattr(question, "text", None)
    return text if text is not None else text_in(question.content, get_language() or "en")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _one(question: SurveyQuestion, value) -> tuple[object, str]:
    """The cleaned answer to one question (``None`` when skipped) and an error ("" when none)."""
    kind = question.kind
    if kind == SurveyQuestionKind.TEXT:
        text = value.strip() if isinstance(value, str) else None
        if text is None and not _blank(value):
            return None, _("Write your answer as text.")
        if text and len(text) > MAX_TEXT:
            return None, _("Keep your answer to %(limit)s characters (it has %(count)s).") % {
                "limit": MAX_TEXT,
                "count": len(text),
            }
        return text or None, ""
    if _blank(value):
        return None, ""
    if kind == SurveyQuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        picked = [_as_int(item) for item in values]
        options = len(_texts(question).get("options", []))
        if any(item is None or not 0 <= item < options for item in picked):
            return None, _("Choose among the options shown.")
        return sorted(set(picked)), ""
    if kind == SurveyQuestionKind.MATRIX:
        rows = len(_texts(question).get("rows", []))
        values = list(value) if isinstance(value, list | tuple) else None
        if values is None or len(values) > rows:
            return None, _("Give one answer per statement.")
        values += [None] * (rows - len(values))
        numbers = [None if _blank(item) else _as_int(item) for item in values]
        allowed = points_of(question)
        if any(
            (item is None and not _blank(raw)) or (item is not None and item not in allowed)
            for item, raw in zip(numbers, values, strict=True)
        ):
            return None, _("Rate each statement from %(low)s to %(high)s.") % {"low": allowed[0], "high": allowed[-1]}
        if all(item is None for item in numbers):
            return None, ""
        return numbers, ""
    number = _as_int(value)
    if kind == SurveyQuestionKind.SINGLE:
        options = len(_texts(question).get("options", []))
        if number is None or not 0 <= number < options:
            return None, _("Choose one of the options shown.")
        return number, ""
    allowed = points_of(question)
    if number not in allowed:
        return None, _("Choose a point from %(low)s to %(high)s.") % {"low": allowed[0], "high": allowed[-1]}
    return number, ""


def validate(survey: Survey, questions: list[SurveyQuestion], data: Mapping) -> tuple[dict, dict]:
    """Check ``data`` (question uuid as text → the raw answer) against ``questions``.

    Raw answers: a point or an option's index (a number, or its digits) for a scale and a single
    choice; a list of indexes for a multiple choice; a list of points, one per row (empty for a
    row left out), for a matrix; text for free text. Returns ``(cleaned, errors)``: the cleaned
    answers of the questions answered (uuid → int, list or text) and the errors per question uuid
    (a list of messages), including required questions left empty and answers to questions that
    are not on this person's form."""
    cleaned: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    known = {str(question.uuid) for question in questions}
    for key in data:
        if str(key) not in known:
            errors[str(key)] = [_("This question is not on your form of this survey.")]
    for question in questions:
        key = str(question.uuid)
        value, error = _one(question, data.get(key))
        if not error and question.required:
            if value is None:
                error = _("This question needs an answer.")
            elif question.kind == SurveyQuestionKind.MATRIX and None in value:
                error = _("Rate every statement.")
        if error:
            errors[key] = [error]
        elif value is not None:
            cleaned[key] = value
    return cleaned, errors


# Ballots -------------------------------------------------------------------------------------


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _recipient(survey: Survey, person: Person) -> Recipient | None:
    return Recipient.objects.filter(survey=survey, person=person).first()


def refusal_of(survey: Survey, now: datetime.datetime) -> SubmitRefused | None:
    """Why the survey takes no answers now, or None when it is open."""
    if survey.state == SurveyState.DRAFT:
        return SubmitRefused(Refusal.NOT_OPEN, _("This survey has not been opened yet."))
    if survey.state != SurveyState.OPEN or survey.closes_at <= now:
        return SubmitRefused(Refusal.NOT_OPEN, _("This survey is closed: it no longer takes answers."))
    return None


def issue_ballot(survey: Survey, person: Person) -> str:
    """The person's single ballot for an anonymous survey: a random secret, of which only the
    digest is stored, on a row that names no one. The recipient is marked ``ballot_issued`` so
    nobody gets a second one. Refuses (``SubmitRefused``) for a survey that is not anonymous,
    a person who is not a recipient, and a ballot issued already."""
    if survey.anonymity != Anonymity.ANONYMOUS:
        raise SubmitRefused(Refusal.NOT_ANONYMOUS, _("Only anonymous surveys are answered with a ballot."))
    recipient = _recipient(survey, person)
    if recipient is None:
        raise SubmitRefused(Refusal.NOT_RECIPIENT, _("This survey was not sent to you."))
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Claim the recipient's one ballot: a request racing this one finds it taken.
        claimed = Recipient.objects.filter(pk=recipient.pk, ballot_issued=False).update(ballot_issued=True)
        if claimed != 1:
            raise SubmitRefused(
                Refusal.BALLOT_TAKEN, _("Your single ballot for this survey was given out already, in another browser.")
            )
        Ballot.objects.create(workspace=survey.workspace, survey=survey, digest=digest_of(secret))
    return secret


def ballot_state(survey: Survey, secret: str | None) -> str:
    """ "unused", "used", or "invalid" (no ballot, or not one of this survey)."""
    if not secret:
        return "invalid"
    used = Ballot.objects.filter(survey=survey, digest=digest_of(secret)).values_list("used", flat=True).first()
    if used is None:
        return "invalid"
    return "used" if used else "unused"


# Submitting ----------------------------------------------------------------------------------


def monday_of(now: datetime.datetime) -> datetime.date:
    day = now.astimezone(datetime.UTC).date()
    return day - datetime.timedelta(days=day.weekday())


def _save_answers(response: Response, questions: list[SurveyQuestion], cleaned: dict) -> None:
    rows = []
    for question in questions:
        value = cleaned.get(str(question.uuid))
        if value is None:
            continue
        common = {"workspace_id": response.workspace_id, "response": response, "question": question}
        if question.kind == SurveyQuestionKind.TEXT:
            rows.append(SurveyAnswer(text=value, **common))
        elif question.kind == SurveyQuestionKind.MULTIPLE:
            rows.append(SurveyAnswer(choices=value, **common))
        elif question.kind == SurveyQuestionKind.MATRIX:
            rows += [SurveyAnswer(row=row, number=n, **common) for row, n in enumerate(value) if n is not None]
        else:
            rows.append(SurveyAnswer(number=value, **common))
    SurveyAnswer.objects.bulk_create(rows)


def _claim(survey: Survey, recipient: Recipient, ballot: str | None) -> None:
    """Take the right to answer once, inside the caller's transaction, or refuse."""
    if survey.anonymity == Anonymity.ANONYMOUS:
        if not ballot:
            raise SubmitRefused(Refusal.BALLOT_INVALID, _("Answering an anonymous survey needs your ballot."))
        taken = Ballot.objects.filter(survey=survey, digest=digest_of(ballot), used=False).update(used=True)
        if taken != 1:
            if ballot_state(survey, ballot) == "used":
                raise SubmitRefused(Refusal.BALLOT_USED, _("This ballot was used already: your answers are in."))
            raise SubmitRefused(Refusal.BALLOT_INVALID, _("This ballot is not one of this survey."))
        return
    claimed = Recipient.objects.filter(pk=recipient.pk, has_answered=False).update(has_answered=True)
    if claimed != 1:
        raise SubmitRefused(Refusal.ANSWERED, _("You have answered this survey already."))


def submit(
    *,
    survey: Survey,
    person: Person,
    answers: Mapping,
    ballot: str | None = None,
    now: datetime.datetime | None = None,
) -> Response:
    """Store the person's answers once, keeping only what the survey's anonymity allows (see the
    module's docstring). ``answers`` are raw (see ``validate``); ``ballot`` is the secret of an
    anonymous survey's ballot.

    Refuses with ``SubmitRefused`` when the survey is not open (a draft, closed or past its
    closing date), the person is not a recipient, has answered already, or (anonymous) the ballot
    is missing, used or another survey's; with ``ValidationError`` (messages per question uuid)
    when answers are not valid, and then stores nothing and uses no ballot.

    Side effects: the response and its answers; named and confidential: the recipient's
    ``has_answered``; anonymous: the ballot is used. Named surveys only: an audit entry naming
    the person. Callable by anyone who has checked ``surveys.respond``."""
    now = now or timezone.now()
    refused = refusal_of(survey, now)
    if refused is not None:
        raise refused
    recipient = _recipient(survey, person)
    if recipient is None:
        raise SubmitRefused(Refusal.NOT_RECIPIENT, _("This survey was not sent to you."))
    if survey.anonymity != Anonymity.ANONYMOUS and recipient.has_answered:
        raise SubmitRefused(Refusal.ANSWERED, _("You have answered this survey already."))
    questions = questions_for(survey, recipient.rater_group)
    cleaned, errors = validate(survey, questions, answers)
    if errors:
        raise ValidationError(errors)
    named = survey.anonymity == Anonymity.NAMED
    with transaction.atomic():
        _claim(survey, recipient, ballot)
        response = Response.objects.create(
            workspace=survey.workspace,
            survey=survey,
            person=person if named else None,
            rater_group=recipient.rater_group,
            team_id=person.team_id,
            week=monday_of(now),
        )
        _save_answers(response, questions, cleaned)
        if named:
            record_audit(workspace=survey.workspace, actor=person.user, action=AuditAction.CREATED, obj=response)
    return response


# What waits for a person ---------------------------------------------------------------------


@dataclass
class MySurvey:
    """A survey sent to the person, as their own pages show it."""

    survey: Survey
    recipient: Recipient
    # "open": waiting for an answer; "answered" (named, confidential); "ballot_taken"
    # (anonymous: the ballot was given out; whether it was used is not stored with the person).
    status: str

    @property
    def anonymous(self) -> bool:
        return self.survey.anonymity == Anonymity.ANONYMOUS


def _mine(person: Person):
    return (
        Recipient.objects.filter(person=person, survey__workspace_id=person.workspace_id)
        .exclude(survey__state=SurveyState.DRAFT)
        .select_related("survey", "survey__subject__user", "survey__cohort", "survey__instrument")
        .order_by("survey__closes_at", "survey__id")
    )


def _status(recipient: Recipient, now: datetime.datetime, ballots: Mapping[str, str]) -> str:
    survey = recipient.survey
    if survey.anonymity == Anonymity.ANONYMOUS:
        if not recipient.ballot_issued:
            return "open"
        secret = ballots.get(survey.uuid.hex)
        return "open" if secret and ballot_state(survey, secret) == "unused" else "ballot_taken"
    return "answered" if recipient.has_answered else "open"


def is_open(survey: Survey, now: datetime.datetime) -> bool:
    return refusal_of(survey, now) is None


def surveys_of(person: Person, now: datetime.datetime, ballots: Mapping[str, str] | None = None) -> list[MySurvey]:
    """Every survey sent to the person (not drafts), soonest closing first, with its status.
    ``ballots`` (survey uuid hex → ballot secret) are the ballots this browser holds: an anonymous
    survey whose ballot is there and unused still waits."""
    ballots = ballots or {}
    return [MySurvey(r.survey, r, _status(r, now, ballots)) for r in _mine(person)]


def pending_for(person: Person, now: datetime.datetime, ballots: Mapping[str, str] | None = None) -> list[MySurvey]:
    """The open surveys the person has not answered: named and confidential ones without the
    "has answered" flag; anonymous ones whose ballot was not given out yet, or whose ballot this
    browser holds unused (``ballots``: survey uuid hex → secret)."""
    return [mine for mine in surveys_of(person, now, ballots) if mine.status == "open" and is_open(mine.survey, now)]
