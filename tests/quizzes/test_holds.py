"""Holds move a person's questions like their touchpoints: spacing kept, unused days given back."""

import datetime

import fsrs
from django.utils import timezone

from takeroot.followup.holds import cancel_hold, place_hold
from takeroot.followup.models import Hold
from takeroot.followup.schedule import zone_of
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import MemoryState
from takeroot.quizzes.receivers import shift_back_unused, shift_for_hold

from .conftest import DAY, NOW

WARSAW = datetime.timedelta(hours=2)  # Europe/Warsaw in October (summer time)


def state(enrolment, question, due, *, retired=False):
    return MemoryState.objects.create(
        workspace=enrolment.workspace,
        enrolment=enrolment,
        question=question,
        state=fsrs.State.Review,
        stability=4.0,
        difficulty=5.0,
        due=due,
        last_review=due - 4 * DAY,
        reviews=1,
        retired_at=due - 4 * DAY if retired else None,
    )


def dues(*states) -> list[datetime.datetime]:
    return [MemoryState.objects.get(pk=found.pk).due for found in states]


def test_placing_and_cancelling_a_hold_moves_the_questions_and_back(
    enrolment, other_enrolment, questions, participant, django_capture_on_commit_callbacks
):
    today = timezone.now().astimezone(zone_of(participant)).date()
    start = datetime.datetime.combine(today + 7 * DAY, datetime.time(0), tzinfo=zone_of(participant))
    single, multiple, true_false, numeric = questions.values()
    before = state(enrolment, single, start - DAY)
    first_day = state(enrolment, multiple, start)
    later = state(enrolment, true_false, start + 20 * DAY)
    retired = state(enrolment, numeric, start + DAY, retired=True)
    someone_else = state(other_enrolment, single, start + DAY)
    original = dues(before, first_day, later, retired, someone_else)

    with django_capture_on_commit_callbacks(execute=True):
        hold = place_hold(
            person=participant, starts_on=today + 7 * DAY, ends_on=today + 13 * DAY, reason="Leave", actor=participant
        )

    week = 7 * DAY
    assert dues(before, first_day, later, retired, someone_else) == [
        original[0],
        original[1] + week,
        original[2] + week,
        original[3],
        original[4],
    ]

    with django_capture_on_commit_callbacks(execute=True):
        cancel_hold(hold=hold, actor=participant)

    assert dues(before, first_day, later, retired, someone_else) == original


def hold(participant, starts_on, ends_on, cancelled_at=None) -> Hold:
    return Hold.objects.create(
        workspace=participant.workspace,
        person=participant,
        starts_on=starts_on,
        ends_on=ends_on,
        cancelled_at=cancelled_at,
    )


def test_a_hold_ended_early_gives_back_only_the_days_not_used(enrolment, questions, participant):
    # A ten-day hold from 10 October; called off on the morning of the 13th (local time).
    paused = hold(participant, datetime.date(2026, 10, 10), datetime.date(2026, 10, 19))
    on_first_day = state(enrolment, questions[QuestionKind.SINGLE], NOW + 5 * DAY)  # 10 Oct, 11:00 local
    week_later = state(enrolment, questions[QuestionKind.MULTIPLE], NOW + 12 * DAY)
    shift_for_hold(sender=Hold, hold=paused)
    assert dues(on_first_day, week_later) == [NOW + 15 * DAY, NOW + 22 * DAY]

    paused.cancelled_at = datetime.datetime(2026, 10, 13, 6, 0, tzinfo=datetime.UTC)
    shift_back_unused(sender=Hold, hold=paused)

    # Seven days (13–19 October) were not used: the question due on the first day comes on the 13th.
    assert dues(on_first_day, week_later) == [NOW + 8 * DAY, NOW + 15 * DAY]


def test_a_hold_cancelled_after_it_ended_moves_nothing_back(enrolment, questions, participant):
    paused = hold(participant, datetime.date(2026, 10, 10), datetime.date(2026, 10, 12))
    moved = state(enrolment, questions[QuestionKind.SINGLE], NOW + 6 * DAY)
    shift_for_hold(sender=Hold, hold=paused)

    paused.cancelled_at = datetime.datetime(2026, 10, 20, 8, 0, tzinfo=datetime.UTC)
    shift_back_unused(sender=Hold, hold=paused)

    assert dues(moved) == [NOW + 9 * DAY]


def test_a_hold_starts_at_local_midnight(enrolment, questions, participant):
    paused = hold(participant, datetime.date(2026, 10, 10), datetime.date(2026, 10, 10))
    local_midnight = datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC) - WARSAW
    just_before = state(enrolment, questions[QuestionKind.SINGLE], local_midnight - datetime.timedelta(minutes=1))
    at_midnight = state(enrolment, questions[QuestionKind.MULTIPLE], local_midnight)

    shift_for_hold(sender=Hold, hold=paused)

    assert dues(just_before, at_midnight) == [local_midnight - datetime.timedelta(minutes=1), local_midnight + DAY]
