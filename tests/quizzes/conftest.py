"""A programme with two modules and four questions (one of each kind, in English and Polish),
a cohort the trainer runs with the participant and the other participant enrolled and active.
Clocks are fixed: the engine takes ``now`` and tests pass ``NOW`` (or days after it)."""

import datetime
from decimal import Decimal

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, LearningObjective, Module
from takeroot.quizzes.enums import Difficulty, QuestionKind
from takeroot.quizzes.models import Question

NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    for title, objectives in (
        ("Opening the call", ["Opens with the customer's goal"]),
        ("Handling objections", ["Acknowledges before answering"]),
    ):
        programmes.save_module(programme=programme, actor=admin.user, title=title, objectives=objectives)
    return programme


@pytest.fixture
def modules(programme):
    return list(Module.objects.filter(programme=programme).order_by("position"))


@pytest.fixture
def cohort(cast, programme):
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków spring",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    return cohort


@pytest.fixture
def enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["participant"])


@pytest.fixture
def other_enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])


def make_question(programme, *, module=None, kind=QuestionKind.SINGLE, position=0, **fields) -> Question:
    objective = LearningObjective.objects.filter(module=module).first() if module else None
    defaults = {
        QuestionKind.SINGLE: {
            "content": {
                "en": {
                    "prompt": "What do you open the call with?",
                    "explanation": "The customer's goal frames the whole call.",
                    "options": ["The price", "The customer's goal", "Small talk"],
                },
                "pl": {
                    "prompt": "Od czego zaczynasz rozmowę?",
                    "explanation": "Cel klienta nadaje ramy całej rozmowie.",
                    "options": ["Od ceny", "Od celu klienta", "Od pogawędki"],
                },
            },
            "correct": [1],
        },
        QuestionKind.MULTIPLE: {
            "content": {
                "en": {
                    "prompt": "Which of these acknowledge an objection?",
                    "explanation": "Naming the concern and asking about it both acknowledge it.",
                    "options": ["Naming the concern", "Changing the subject", "Asking about it", "Repeating the price"],
                }
            },
            "correct": [0, 2],
        },
        QuestionKind.TRUE_FALSE: {
            "content": {
                "en": {
                    "prompt": "A summary should take one sentence.",
                    "explanation": "One sentence is easy to confirm.",
                    "options": ["True", "False"],
                }
            },
            "correct": [0],
        },
        QuestionKind.NUMERIC: {
            "content": {
                "en": {"prompt": "How many seconds should the opening take at most?", "explanation": "About 30."}
            },
            "number": Decimal(30),
            "tolerance": Decimal(5),
        },
    }[kind]
    return Question.objects.create(
        workspace=programme.workspace,
        programme=programme,
        module=module,
        objective=objective,
        kind=kind,
        difficulty=Difficulty.MEDIUM,
        position=position,
        **{**defaults, **fields},
    )


@pytest.fixture
def questions(programme, modules):
    """One question of each kind: single and true/false in the first module, the others in the second."""
    return {
        kind: make_question(programme, module=modules[0 if index % 2 == 0 else 1], kind=kind, position=index)
        for index, kind in enumerate(
            (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE, QuestionKind.NUMERIC)
        )
    }
