"""Rounds and answers: every write to a participant's quiz rounds and memory states.

Callers check the rules first (``quizzes.answer_round`` …). A round is started once per
touchpoint; an answer is recorded once per round question, whatever the number of clicks, mails
replayed or concurrent requests; each answer reviews the person's memory state with FSRS, counts
the streak of right answers, retires the question after ``retire_after`` of them in a row and,
when the round is complete, marks its touchpoint done.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from takeroot.followup.delivery import mark_done
from takeroot.followup.models import Touchpoint
from takeroot.programmes.models import Enrolment

from .enums import CHOICE_KINDS, AnswerChannel, Confidence, QuestionKind
from .models import Answer, MemoryState, Question, QuizRound, RoundItem
from .scheduling import card_of, choose_due, rating_for, retrievability, scheduler_for, settings_for, utc

# Rounds ------------------------------------------------------------------------------------------


def start_round(
    enrolment: Enrolment,
    *,
    now: datetime.datetime,
    touchpoint: Touchpoint | None = None,
    questions: list[Question] | None = None,
) -> QuizRound | None:
    """The round of ``touchpoint`` (created the first time, found afterwards), or a new web round
    without one. ``questions`` defaults to those most due for the person; ``None`` when nothing
    is due. Side effects: the round and its items."""
    if touchpoint is not None:
        existing = QuizRound.objects.filter(touchpoint=touchpoint).first()
        if existing is not None:
            return existing
    if questions is None:
        questions = choose_due([enrolment.pk], now=now)[enrolment.pk]
    if not questions:
        return None
    try:
        with transaction.atomic():
            return _create_round(enrolment, now=now, touchpoint=touchpoint, questions=questions)
    except IntegrityError:
        # Another request started the touchpoint's round at the same moment: use theirs.
        found = QuizRound.objects.filter(touchpoint=touchpoint).first() if touchpoint else None
        if found is None:
            raise
        return found


def _create_round(enrolment, *, now, touchpoint, questions) -> QuizRound:
    latest = QuizRound.objects.filter(enrolment=enrolment).aggregate(number=Max("number"))["number"] or 0
    quiz_round = QuizRound.objects.create(
        workspace_id=enrolment.workspace_id,
        enrolment=enrolment,
        touchpoint=touchpoint,
        number=latest + 1,
        created_at=now,
    )
    RoundItem.objects.bulk_create(
        RoundItem(workspace_id=enrolment.workspace_id, round=quiz_round, question=question, position=position)
        for position, question in enumerate(questions)
    )
    return quiz_round


# Answers -----------------------------------------------------------------------------------------


def is_correct(question: Question, *, choices=None, number=None) -> bool:
    """Choice kinds: exactly the right options; numeric: within the tolerance of the number."""
    if question.kind == QuestionKind.NUMERIC:
        if number is None or question.number is None:
            return False
        return abs(Decimal(number) - question.number) <= question.tolerance
    return sorted(set(choices or ())) == sorted(question.correct)


def _clean_choices(question: Question, choices) -> list[int]:
    try:
        picked = sorted({int(choice) for choice in choices or ()})
    except (TypeError, ValueError):
        raise ValidationError({"choices": _("Choose among the options listed.")}) from None
    if not picked:
        raise ValidationError({"choices": _("Choose an answer.")})
    if question.kind != QuestionKind.MULTIPLE and len(picked) != 1:
        raise ValidationError({"choices": _("Choose exactly one answer.")})
    if any(choice < 0 or choice >= len(question.options) for choice in picked):
        raise ValidationError({"choices": _("This option does not exist: choose among the options listed.")})
    return picked


def _clean_number(number) -> Decimal:
    if number is None or str(number).strip() == "":
        raise ValidationError({"number": _("Enter a number.")})
    try:
        value = Decimal(str(number).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"number": _("Enter a number, such as 12 or 3.5.")}) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise ValidationError({"number": _("Enter a number, such as 12 or 3.5.")})
    return value


def _check_input(
    question: Question, choices, number, confidence: str, channel: str
) -> tuple[list[int], Decimal | None]:
    if confidence not in ("", *Confidence.values):
        raise ValidationError({"confidence": _("Choose how sure you are from the list, or leave it empty.")})
    if channel not in AnswerChannel.values:
        raise ValueError(f"unknown answer channel {channel!r}")
    if question.kind in CHOICE_KINDS:
        return _clean_choices(question, choices), None
    return [], _clean_number(number)


def _check_not_superseded(item: RoundItem) -> None:
    """An older round's question answered later in a newer round is over: its review was done."""
    this = item.round
    newer = Q(item__round__created_at__gt=this.created_at) | Q(
        item__round__created_at=this.created_at, item__round_id__gt=this.pk
    )
    later = Answer.objects.filter(newer, enrolment_id=this.enrolment_id, question_id=item.question_id)
    if later.exists():
        raise ValidationError(
            _("You have already answered this question in a later quiz round, so this older one is closed.")
        )


def _locked_state(item: RoundItem, now: datetime.datetime) -> MemoryState:
    """The person's memory state of the question, locked for this transaction (created, due now,
    the first time they answer it)."""
    enrolment_id, question_id = item.round.enrolment_id, item.question_id
    rows = MemoryState.objects.select_for_update().filter(enrolment_id=enrolment_id, question_id=question_id)
    state = rows.first()
    if state is not None:
        return state
    try:
        with transaction.atomic():
            return MemoryState.objects.create(
                workspace_id=item.workspace_id, enrolment_id=enrolment_id, question_id=question_id, due=now
            )
    except IntegrityError:
        return rows.get()


def _review(state: MemoryState, *, correct: bool, rating, now: datetime.datetime, retire_after: int, scheduler) -> None:
    """Apply one review to ``state`` (unsaved): FSRS fields, counts, streak and retirement."""
    card, _log = scheduler.review_card(card_of(state), rating, review_datetime=utc(now))
    state.state = card.state.value
    state.step = card.step
    state.stability = card.stability
    state.difficulty = card.difficulty
    state.due = card.due
    state.last_review = card.last_review
    if not correct and state.reviews:
        state.lapses += 1
    state.reviews += 1
    state.streak = state.streak + 1 if correct else 0
    if state.streak >= retire_after and state.retired_at is None:
        state.retired_at = now


def record_answer(
    item: RoundItem,
    *,
    choices=None,
    number=None,
    confidence: str = "",
    channel: str,
    now: datetime.datetime,
) -> tuple[Answer, bool]:
    """Record the answer to one round question, once: a replay or a double click returns the
    answer already recorded with ``created=False`` (whatever it chose).

    Raises ``ValidationError`` for input that does not fit the question (one option for single
    choice and true/false, options that exist, a number for numeric questions) and for an item
    whose question was answered since in a later round. Side effects: the answer (with the
    predicted recall before it and the stability after it), the memory state (created on the
    first answer, reviewed with FSRS, streak counted, retired after ``retire_after`` right answers
    in a row), and the round's touchpoint marked done once every question of it is answered."""
    question = item.question
    with transaction.atomic():
        existing = Answer.objects.filter(item=item).first()
        if existing is not None:
            return existing, False
        picked, value = _check_input(question, choices, number, confidence, channel)
        _check_not_superseded(item)
        quiz_settings = settings_for(question.programme)
        scheduler = scheduler_for(quiz_settings)
        state = _locked_state(item, now)
        correct = is_correct(question, choices=picked, number=value)
        rating = rating_for(correct, confidence)
        before = retrievability(state, now, scheduler) if state.reviews else None
        attempt = state.reviews + 1
        _review(
            state, correct=correct, rating=rating, now=now, retire_after=quiz_settings.retire_after, scheduler=scheduler
        )
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    workspace_id=item.workspace_id,
                    item=item,
                    enrolment_id=item.round.enrolment_id,
                    question=question,
                    choices=picked,
                    number=value,
                    correct=correct,
                    confidence=confidence,
                    channel=channel,
                    answered_at=now,
                    attempt=attempt,
                    rating=int(rating),
                    retrievability=before,
                    stability=state.stability,
                )
        except IntegrityError:
            # A concurrent request recorded this item first; its review stands, not ours.
            return Answer.objects.get(item=item), False
        state.save()
        _close_round_when_complete(item.round)
    return answer, True


def _close_round_when_complete(quiz_round: QuizRound) -> None:
    if quiz_round.touchpoint_id is None:
        return
    if RoundItem.objects.filter(round=quiz_round, answer__isnull=True).exists():
        return
    mark_done(quiz_round.touchpoint)


# Scores ------------------------------------------------------------------------------------------


def last_round_scores(enrolment_ids) -> dict[int, int]:
    """Per enrolment, the percentage (rounded) of right answers in its most recent round with an
    answer. Enrolments that never answered are absent. One query, whatever the number."""
    rows = (
        Answer.objects.filter(enrolment_id__in=list(enrolment_ids))
        .values("enrolment_id", "item__round_id", "item__round__created_at")
        .annotate(total=Count("pk"), right=Count("pk", filter=Q(correct=True)))
    )
    latest: dict[int, tuple] = {}
    for row in rows:
        key = (row["item__round__created_at"], row["item__round_id"])
        if row["enrolment_id"] not in latest or key > latest[row["enrolment_id"]][0]:
            latest[row["enrolment_id"]] = (key, row["right"], row["total"])
    return {pk: round(100 * right / total) for pk, (_key, right, total) in latest.items()}
