"""The course of ``tests/course_support.py`` and four questions (one of each kind, in English and
Polish). Clocks are fixed: the engine takes ``now`` and tests pass ``NOW`` (or days after it)."""

from decimal import Decimal

import pytest

from takeroot.programmes.models import LearningObjective
from takeroot.quizzes.enums import Difficulty, QuestionKind
from takeroot.quizzes.models import Question
from tests.course_support import DAY, NOW  # noqa: F401 (the tests import the clock from here)


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
