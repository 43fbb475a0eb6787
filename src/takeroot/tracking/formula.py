"""The indicator formula language: a small, safe arithmetic over aggregated inputs.

A formula such as ``sum(time_online) / people / weeks`` is parsed with Python's ``ast`` and then
checked against a whitelist: numbers, ``+ - * /``, brackets, ``mean(input)``, ``sum(input)`` and
``count(input)`` over one input (``enums.Input``), ``min(a, b)`` and ``max(a, b)``, and the
variables ``weeks`` (weeks in the period) and ``people`` (enrolments in the scope, at least 1).
Nothing is ever passed to ``eval``: the checked tree is walked by ``_evaluate`` below.

Evaluation never raises: an input without records, a division by zero or an overflow is "no data"
(``None``), so one odd figure cannot break a dashboard.
"""

import ast
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import Input

MAX_LENGTH = 500
AGGREGATES = ("mean", "sum", "count")
COMBINERS = ("min", "max")
VARIABLES = ("weeks", "people")

# (total, count) of one input's records in the period, as the rollups hold them.
Totals = Mapping[str, tuple[float, int]]

_OPERATORS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


@dataclass(frozen=True)
class Formula:
    """A checked formula: what it needs (``inputs``, whether it counts ``people``) and its tree."""

    text: str
    tree: ast.expr
    inputs: frozenset[str]
    uses_people: bool

    def evaluate(self, totals: Totals, *, weeks: int, people: int) -> float | None:
        """The formula's value from the period's ``totals``; None when there is no data."""
        try:
            value = _evaluate(self.tree, totals, {"weeks": max(weeks, 1), "people": max(people, 1)})
        except (ZeroDivisionError, OverflowError):
            return None
        if value is None or not math.isfinite(value):
            return None
        return value


def validate_formula(text: str) -> Formula:
    """Parse and check ``text``; raise ``ValidationError`` naming the problem in plain words."""
    return _parse(" ".join((text or "").split()))


def inputs_of(text: str) -> frozenset[str]:
    """The inputs a (valid) formula reads, so a reading fetches only those."""
    return validate_formula(text).inputs


def describe(text: str) -> str:
    """The formula in words, for the indicator set page: "average attendance", "total time online
    (minutes) ÷ people ÷ weeks"."""
    return _words(validate_formula(text).tree)


@lru_cache(maxsize=512)
def _parse(text: str) -> Formula:
    if not text:
        raise ValidationError(_("Write a formula, for example mean(attendance)."), code="empty")
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("A formula has at most %(limit)s characters.") % {"limit": MAX_LENGTH}, code="too_long")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise ValidationError(
            _("The formula cannot be read near character %(column)s: check the brackets and the operators.")
            % {"column": error.offset or 1},
            code="syntax",
        ) from None
    inputs: set[str] = set()
    uses_people = _check(tree, inputs)
    if not inputs:
        raise ValidationError(_("A formula reads at least one input, for example mean(attendance)."), code="no_input")
    return Formula(text=text, tree=tree, inputs=frozenset(inputs), uses_people=uses_people)


def _check(node: ast.AST, inputs: set[str]) -> bool:
    """Refuse anything outside the whitelist; collect the inputs; say whether ``people`` is used."""
    match node:
        case ast.Constant(value=value) if isinstance(value, int | float) and not isinstance(value, bool):
            return False
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _OPERATORS:
            return _check(left, inputs) | _check(right, inputs)
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=operand):
            return _check(operand, inputs)
        case ast.Name(id=name):
            return _check_name(name)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]):
            return _check_call(name, args, inputs)
        case ast.Call(func=ast.Name(id=name)) if name in AGGREGATES + COMBINERS:
            raise ValidationError(_("Write %(function)s(…) without named arguments.") % {"function": name})
        case ast.Call(func=ast.Name(id=name)):
            raise _unknown_function(name)
    raise ValidationError(
        _(
            "Only numbers, + − * /, brackets, mean(), sum(), count(), min(), max(), weeks and people may be used "
            "in a formula."
        ),
        code="not_allowed",
    )


def _check_name(name: str) -> bool:
    if name in VARIABLES:
        return name == "people"
    if name in Input.values:
        raise ValidationError(
            _("'%(name)s' is an input: write mean(%(name)s), sum(%(name)s) or count(%(name)s).") % {"name": name},
            code="bare_input",
        )
    raise ValidationError(
        _("Unknown name '%(name)s'. Use weeks, people, or mean(), sum() or count() of an input.") % {"name": name},
        code="unknown_name",
    )


def _check_call(name: str, args: list[ast.expr], inputs: set[str]) -> bool:
    if name in AGGREGATES:
        if len(args) != 1 or not isinstance(args[0], ast.Name):
            raise ValidationError(
                _("%(function)s() takes one input, for example %(function)s(attendance).") % {"function": name},
                code="arguments",
            )
        input_name = args[0].id
        if input_name not in Input.values:
            raise ValidationError(
                _("Unknown input '%(name)s'. Available: %(inputs)s.")
                % {"name": input_name, "inputs": ", ".join(Input.values)},
                code="unknown_input",
            )
        inputs.add(input_name)
        return False
    if name in COMBINERS:
        if len(args) != 2:
            raise ValidationError(
                _("%(function)s() takes two values, for example %(function)s(mean(quiz_score), 1).")
                % {"function": name},
                code="arguments",
            )
        return _check(args[0], inputs) | _check(args[1], inputs)
    raise _unknown_function(name)


def _unknown_function(name: str) -> ValidationError:
    return ValidationError(
        _("Unknown function '%(name)s'. Available: %(functions)s.")
        % {"name": name, "functions": ", ".join(AGGREGATES + COMBINERS)},
        code="unknown_function",
    )


def _evaluate(node: ast.expr, totals: Totals, variables: dict[str, int]) -> float | None:
    """Walk a checked tree. Every branch is one ``_check`` allowed; None spreads upwards."""
    match node:
        case ast.Constant(value=value):
            return float(value)
        case ast.Name(id=name):
            return float(variables[name])
        case ast.UnaryOp(op=op, operand=operand):
            value = _evaluate(operand, totals, variables)
            return None if value is None else (-value if isinstance(op, ast.USub) else value)
        case ast.BinOp(left=left, op=op, right=right):
            a, b = _evaluate(left, totals, variables), _evaluate(right, totals, variables)
            if a is None or b is None:
                return None
            if isinstance(op, ast.Div):
                return None if b == 0 else a / b  # no people or no weeks: no data, not an error
            return _ARITHMETIC[type(op)](a, b)
        case ast.Call(func=ast.Name(id=name), args=[ast.Name(id=input_name)]) if name in AGGREGATES:
            return _aggregate(name, *totals.get(input_name, (0.0, 0)))
        case ast.Call(func=ast.Name(id=name), args=[first, second]):
            a, b = _evaluate(first, totals, variables), _evaluate(second, totals, variables)
            if a is None or b is None:
                return None
            return min(a, b) if name == "min" else max(a, b)
    raise AssertionError(f"unchecked node {ast.dump(node)}")  # _check lets nothing else through


def _aggregate(name: str, total: float, count: int) -> float | None:
    # No records of an input is "no data", also for sum() and count(): zero would paint everyone
    # without, say, an LMS connection red.
    if count <= 0:
        return None
    return {"mean": total / count, "sum": total, "count": float(count)}[name]


def _words(node: ast.expr, *, outer: int = 0, right: bool = False) -> str:
    """``node`` in words; brackets only where the order of operations needs them."""
    match node:
        case ast.Constant(value=value):
            return f"{value:g}"
        case ast.Name(id="weeks"):
            return _("weeks")
        case ast.Name(id="people"):
            return _("people")
        case ast.UnaryOp(op=op, operand=operand):
            return f"{'−' if isinstance(op, ast.USub) else '+'}{_words(operand, outer=3)}"
        case ast.BinOp(left=left, op=op, right=right_node):
            own = _PRECEDENCE[type(op)]
            text = f"{_words(left, outer=own)} {_OPERATORS[type(op)]} {_words(right_node, outer=own, right=True)}"
            return f"({text})" if own < outer or (right and own == outer) else text
        case ast.Call(func=ast.Name(id=name), args=[ast.Name(id=input_name)]) if name in AGGREGATES:
            label = str(Input(input_name).label).lower()
            templates = {
                "mean": _("average %(input)s"),
                "sum": _("total %(input)s"),
                "count": _("number of %(input)s records"),
            }
            return templates[name] % {"input": label}
        case ast.Call(func=ast.Name(id=name), args=[first, second]):
            template = _("the lower of %(a)s and %(b)s") if name == "min" else _("the higher of %(a)s and %(b)s")
            return template % {"a": _words(first), "b": _words(second)}
    return ast.unparse(node)


# What each input means, for the indicator form, the indicator set page and the API.
INPUT_MEANINGS = {
    Input.ATTENDANCE: gettext_lazy("1 for a session attended, 0 for one missed (sessions, LMS, registers)."),
    Input.TIME_ONLINE: gettext_lazy("Minutes spent online in the LMS, from xAPI durations and time reports."),
    Input.INTERACTION: gettext_lazy("1 per interaction in the LMS: posts, answers, clicks on activities."),
    Input.QUIZ_SCORE: gettext_lazy("A quiz score from 0 to 1 (Takeroot quizzes and LMS quizzes)."),
    Input.ASSIGNMENT_SCORE: gettext_lazy("An assignment or work-case result from 0 to 1 (grades imports, reviews)."),
    Input.PRACTICE_COMPLETION: gettext_lazy("1 for a practice task completed, 0 for one not done by its due date."),
    Input.SUPERVISOR_EVALUATION: gettext_lazy("A supervisor's evaluation from 0 to 1 (evaluation forms)."),
    Input.CHECK_IN: gettext_lazy("1 for a check-in made, 0 for one missed."),
    Input.CHECK_IN_PROGRESS: gettext_lazy("The share of the way to the goals reported in a check-in, 0 to 1."),
    Input.TICKET: gettext_lazy("1 per ticket (question or problem) raised."),
    Input.USEFULNESS: gettext_lazy("A cohort's survey result on usefulness, 0 to 1 (above the anonymity threshold)."),
    Input.TRAINER_EFFECTIVENESS: gettext_lazy(
        "A cohort's survey result on the trainer's effectiveness, 0 to 1 (above the anonymity threshold)."
    ),
}


def input_meanings() -> list[tuple[str, str, str]]:
    """(input, label, meaning) for every input, in the reader's language."""
    return [(value, str(label), str(INPUT_MEANINGS[value])) for value, label in Input.choices]
