"""The formula language: what it accepts, what it refuses (with the message a user reads), that
nothing unsafe gets through, and how it evaluates with and without data."""

import pytest
from django.core.exceptions import ValidationError

from takeroot.tracking.formula import describe, inputs_of, validate_formula


def problem(text):
    with pytest.raises(ValidationError) as caught:
        validate_formula(text)
    return caught.value.messages


@pytest.mark.parametrize(
    ("text", "inputs", "uses_people"),
    [
        ("mean(attendance)", {"attendance"}, False),
        ("sum(time_online) / people / weeks", {"time_online"}, True),
        ("count(interaction)/people/weeks", {"interaction"}, True),
        ("(mean(quiz_score) + mean(assignment_score)) / 2", {"quiz_score", "assignment_score"}, False),
        ("min(mean(check_in_progress) * 1.2, 1)", {"check_in_progress"}, False),
        ("max(-mean(quiz_score), +0.5)", {"quiz_score"}, False),
        ("  mean( attendance )  ", {"attendance"}, False),
    ],
)
def test_valid_formulas_name_their_inputs(text, inputs, uses_people):
    formula = validate_formula(text)

    assert (formula.inputs, formula.uses_people) == (frozenset(inputs), uses_people)
    assert inputs_of(text) == frozenset(inputs)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a formula, for example mean(attendance)."),
        (
            "mean(atendance)",
            "Unknown input 'atendance'. Available: attendance, time_online, interaction, quiz_score, "
            "assignment_score, practice_completion, supervisor_evaluation, check_in, check_in_progress, ticket, "
            "usefulness, trainer_effectiveness.",
        ),
        ("attendance", "'attendance' is an input: write mean(attendance), sum(attendance) or count(attendance)."),
        ("mean(attendance) / days", "Unknown name 'days'. Use weeks, people, or mean(), sum() or count() of an input."),
        ("median(attendance)", "Unknown function 'median'. Available: mean, sum, count, min, max."),
        ("mean(attendance, quiz_score)", "mean() takes one input, for example mean(attendance)."),
        ("mean(1)", "mean() takes one input, for example mean(attendance)."),
        ("min(mean(attendance))", "min() takes two values, for example min(mean(quiz_score), 1)."),
        ("mean(attendance", "The formula cannot be read near character 5: check the brackets and the operators."),
        ("weeks * 2", "A formula reads at least one input, for example mean(attendance)."),
        ("mean(x=attendance)", "Write mean(…) without named arguments."),
        ("mean(attendance) " + "+ 1 " * 200, "A formula has at most 500 characters."),
    ],
)
def test_invalid_formulas_say_what_is_wrong(text, message):
    assert problem(text) == [message]


UNSAFE = (
    "Only numbers, + − * /, brackets, mean(), sum(), count(), min(), max(), weeks and people may be used in a formula."
)


@pytest.mark.parametrize(
    "text",
    [
        "mean(attendance).__class__",
        "__import__('os').system('true')",
        "mean(attendance) ** 2",
        "mean(attendance) if weeks else 0",
        "[mean(attendance)]",
        "mean(attendance)[0]",
        "'text'",
        "True + mean(attendance)",
        "mean(attendance) > 1",
        "lambda: mean(attendance)",
        "(lambda: 1)()",
        "mean(attendance) // 2",
        "~mean(attendance)",
    ],
)
def test_anything_beyond_the_whitelist_is_refused(text):
    messages = problem(text)

    assert messages == [UNSAFE] or messages[0].startswith("Unknown function")


def test_calls_to_anything_but_the_functions_are_refused():
    assert problem("open(attendance)") == ["Unknown function 'open'. Available: mean, sum, count, min, max."]
    assert problem("eval('1')") == ["Unknown function 'eval'. Available: mean, sum, count, min, max."]


def test_evaluation_reads_totals_weeks_and_people():
    formula = validate_formula("sum(time_online) / people / weeks")

    assert formula.evaluate({"time_online": (240.0, 4)}, weeks=2, people=3) == 40.0
    assert validate_formula("mean(quiz_score)").evaluate({"quiz_score": (1.5, 2)}, weeks=1, people=1) == 0.75
    assert validate_formula("count(interaction)").evaluate({"interaction": (5.0, 5)}, weeks=1, people=1) == 5.0


def test_no_data_and_division_by_zero_are_none_not_errors():
    assert validate_formula("mean(attendance)").evaluate({}, weeks=1, people=1) is None
    assert validate_formula("sum(time_online) + 1").evaluate({}, weeks=1, people=1) is None
    zero = validate_formula("mean(quiz_score) / (mean(attendance) - 1)")
    assert zero.evaluate({"quiz_score": (1.0, 1), "attendance": (1.0, 1)}, weeks=1, people=1) is None
    assert validate_formula("sum(time_online) / people").evaluate({"time_online": (60.0, 1)}, weeks=1, people=0) == 60


def test_formulas_in_words():
    assert describe("mean(attendance)") == "average attendance"
    assert describe("sum(time_online) / people / weeks") == "total time online (minutes) ÷ people ÷ weeks"
    assert describe("mean(quiz_score) - (mean(attendance) - 1) * 2") == (
        "average quiz score − (average attendance − 1) × 2"
    )
    assert describe("min(count(interaction), 10)") == "the lower of number of interactions records and 10"
