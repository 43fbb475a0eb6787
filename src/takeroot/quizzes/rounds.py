"""Reads of a person's quiz rounds that the answering pages, the home panel and the API share,
and the one write they add: starting a round on demand.

An item is *open* while it has no answer, its question is not archived, its enrolment is not
withdrawn, and the person has not answered the same question in a later round (the engine
refuses those: the older round is closed).
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from takeroot.core.models import Person, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from . import scheduling, services
from .models import Answer, QuizRound, RoundItem

ITEM_RELATED = ("question", "answer", "round__enrolment__cohort__programme", "round__enrolment__person__user")


def my_enrolments(person: Person) -> QuerySet[Enrolment]:
    """The person's enrolments that quizzes may still ask about (not withdrawn)."""
    return (
        Enrolment.objects.filter(person=person, withdrawn_at__isnull=True)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("cohort__programme")
        .order_by("cohort__starts_on", "pk")
    )


def _answered_later() -> Exists:
    return Exists(
        Answer.objects.filter(
            enrolment_id=OuterRef("round__enrolment_id"),
            question_id=OuterRef("question_id"),
            item__round__created_at__gt=OuterRef("round__created_at"),
        )
    )


def open_items(person: Person) -> QuerySet[RoundItem]:
    """The person's round questions still waiting for an answer, oldest round first."""
    return (
        RoundItem.objects.filter(
            round__enrolment__in=my_enrolments(person), answer__isnull=True, question__archived_at__isnull=True
        )
        .exclude(_answered_later())
        .select_related(*ITEM_RELATED)
        .order_by("round__created_at", "round_id", "position", "pk")
    )


def with_items(rounds: QuerySet[QuizRound]) -> QuerySet[QuizRound]:
    """Rounds with their items, questions and answers in three queries."""
    items = RoundItem.objects.select_related("question", "answer").order_by("position", "pk")
    return rounds.select_related(
        "enrolment__cohort__programme", "enrolment__person__user", "touchpoint"
    ).prefetch_related(Prefetch("items", queryset=items))


def rounds_of(enrolments) -> QuerySet[QuizRound]:
    return with_items(QuizRound.objects.filter(enrolment__in=enrolments)).order_by("-created_at", "-pk")


def rounds_of_person(person: Person) -> QuerySet[QuizRound]:
    return rounds_of(Enrolment.objects.filter(person=person))


def rounds_of_workspace(workspace: Workspace) -> QuerySet[QuizRound]:
    """Every round of the workspace, for an API key (which is nobody)."""
    return with_items(QuizRound.objects.filter(workspace=workspace)).order_by("-created_at", "-pk")


def my_answers(person: Person) -> QuerySet[Answer]:
    """The person's answers, latest first, with their questions (for the explanations)."""
    return (
        Answer.objects.filter(enrolment__person=person)
        .select_related("question", "item__round", "enrolment__cohort")
        .order_by("-answered_at", "-pk")
    )


def due_counts(enrolments: list[Enrolment], *, now: datetime.datetime) -> dict[int, int]:
    """Per enrolment, how many questions a round started now would ask (bulk)."""
    due = scheduling.choose_due([e.pk for e in enrolments], now=now)
    return {pk: len(questions) for pk, questions in due.items()}


def start_round_now(enrolment: Enrolment, *, now: datetime.datetime) -> QuizRound | None:
    """For "Answer a few questions now": the enrolment's round with open questions if it has one
    (a new round would ask the same questions again), else a new web round of the questions most
    due; ``None`` when nothing is due. Side effects: the round and its items (see
    ``services.start_round``)."""
    waiting = open_items(enrolment.person).filter(round__enrolment=enrolment).first()
    if waiting is not None:
        return waiting.round
    return services.start_round(enrolment, now=now)
