"""Demo quizzes: Nordwind's customer-conversations programme gets a ten-question bank (every kind,
in English, Polish, Swedish and Chinese) and its cohorts have answered quiz rounds over the past
eight weeks, through the engine, so the memory states are real FSRS states.

Answers are drawn from what the engine predicts the person remembers, so the data shows
forgetting and recovery: wrong answers after long gaps, right ones after a relearn, a few retired
questions, and the complaints module clearly weaker than the others (people know it less). The
demo participant answered with one "confidently wrong" answer and has a round waiting today.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the programmes demo. Every random choice comes from the ``rng`` passed in.
"""

import datetime
import random
from decimal import Decimal

from takeroot.core.demo import DEMO_SLUGS, LOGIN_EMAILS
from takeroot.core.models import Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, LearningObjective, Module, Programme

from .demo_bank import BANK
from .enums import AnswerChannel, Confidence, QuestionKind
from .models import MemoryState, Question, QuizSettings
from .scheduling import retrievability, scheduler_for
from .services import record_answer, start_round

PROGRAMME = "Customer conversations that stick"
WEEKS = 8
FIRST_RECALL = 0.8  # the chance of knowing a question at its first meeting, a few weeks after class
WEAK_MODULE = 2  # "Difficult conversations and complaints": recalled at this factor
WEAKNESS = 0.6


def _question(programme: Programme, modules: list[Module], position: int, entry) -> Question:
    module_index, kind, difficulty, content, right = entry
    module = modules[module_index]
    numeric = kind == QuestionKind.NUMERIC
    return Question.objects.create(
        workspace_id=programme.workspace_id,
        programme=programme,
        module=module,
        objective=LearningObjective.objects.filter(module=module).order_by("position", "pk").first(),
        kind=kind,
        difficulty=difficulty,
        content=content,
        correct=[] if numeric else right,
        number=Decimal(right[0]) if numeric else None,
        tolerance=Decimal(right[1]) if numeric else Decimal(0),
        position=position,
    )


def build_quizzes_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give the customer-conversations programme its bank and its cohorts eight weeks of answered
    rounds. Returns what it made; other workspaces and programmes get nothing."""
    counts = {"quiz questions": 0, "quiz rounds": 0, "quiz answers": 0}
    programme = Programme.objects.filter(workspace=workspace, name=PROGRAMME).first()
    if workspace.slug != DEMO_SLUGS[0] or programme is None:
        return counts
    quiz_settings = QuizSettings.objects.create(workspace=workspace, programme=programme)
    modules = list(Module.objects.filter(programme=programme).order_by("position", "pk"))
    questions = [_question(programme, modules, position, entry) for position, entry in enumerate(BANK)]
    counts["quiz questions"] = len(questions)
    player = _Player(rng, weak=modules[WEAK_MODULE], scheduler=scheduler_for(quiz_settings))
    cohorts = Cohort.objects.filter(programme=programme, starts_on__lt=today).order_by("starts_on", "pk")
    for cohort in cohorts:
        enrolments = cohort.enrolments.filter(status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED))
        for enrolment in enrolments.select_related("person__user").order_by("pk"):
            for day in _round_days(cohort, today):
                counts["quiz rounds"] += 1
                counts["quiz answers"] += player.play(enrolment, _at(day, rng))
            if enrolment.person.user.email == LOGIN_EMAILS["participant"]:
                waiting = start_round(enrolment, now=_at(today, rng) - datetime.timedelta(hours=12))
                counts["quiz rounds"] += waiting is not None
    return counts


def _round_days(cohort: Cohort, today: datetime.date) -> list[datetime.date]:
    """Weekly over the last eight weeks for a finished cohort; every four days since the second
    day for a running one (its follow-up has just begun)."""
    if cohort.ends_on < today:
        return [today - datetime.timedelta(weeks=WEEKS - week) for week in range(WEEKS)]
    first = cohort.starts_on + datetime.timedelta(days=2)
    return [first + datetime.timedelta(days=days) for days in range(0, (today - first).days, 4)]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(7, rng.randint(0, 59)), tzinfo=datetime.UTC)


class _Player:
    """Answers rounds the way people do: by what they still remember."""

    def __init__(self, rng: random.Random, *, weak: Module, scheduler):
        self.rng, self.weak, self.scheduler = rng, weak, scheduler
        self.sure_and_wrong = False

    def play(self, enrolment, now: datetime.datetime) -> int:
        """Start a round for ``enrolment`` at ``now`` and answer it (or skip it, now and then)."""
        quiz_round = start_round(enrolment, now=now)
        if quiz_round is None or self.rng.random() < 0.1:
            return 0
        answered = 0
        for item in quiz_round.items.select_related("question"):
            at = now + datetime.timedelta(minutes=self.rng.randint(5, 600))
            right = self.rng.random() < self._recall(enrolment, item.question, at)
            channel = AnswerChannel.MAIL if self.rng.random() < 0.7 else AnswerChannel.WEB
            record_answer(item, channel=channel, now=at, confidence=self._confidence(right), **self._given(item, right))
            answered += 1
        return answered

    def _recall(self, enrolment, question: Question, at: datetime.datetime) -> float:
        state = MemoryState.objects.filter(enrolment=enrolment, question=question).first()
        chance = retrievability(state, at, self.scheduler) if state else FIRST_RECALL
        return chance * (WEAKNESS if question.module_id == self.weak.pk else 1)

    def _confidence(self, right: bool) -> str:
        if not right and not self.sure_and_wrong:
            self.sure_and_wrong = True  # the trainer's "confidently wrong" list is never empty
            return Confidence.SURE
        weights = (5, 4, 1) if right else (1, 4, 5)
        return self.rng.choices([Confidence.SURE, Confidence.THINK_SO, Confidence.GUESSING], weights=weights)[0]

    def _given(self, item, right: bool) -> dict:
        question = item.question
        if question.kind == QuestionKind.NUMERIC:
            miss = self.rng.choice((-2, 2, 3)) * max(question.tolerance, Decimal(1)) * (0 if right else 1)
            return {"number": question.number + miss}
        if right:
            return {"choices": question.correct}
        wrong = [index for index in range(len(question.options)) if index not in question.correct]
        # The first distractor is the tempting one: chosen twice as often as the others.
        picked = self.rng.choices(wrong, weights=[2] + [1] * (len(wrong) - 1))[0]
        if question.kind == QuestionKind.MULTIPLE:
            return {"choices": [question.correct[0], picked]}
        return {"choices": [picked]}
