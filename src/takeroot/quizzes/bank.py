"""The item bank's writes: questions (checked per kind and language), their order, archiving, and
a programme's quiz settings. Pages, the API and the file import all save through here, so they
refuse the same things with the same words.

Errors name the field they belong to with the form's names: ``kind``, ``module``, ``objective``,
``correct``, ``number``, ``tolerance``, ``content`` (no language at all) and, per language,
``<code>-prompt``, ``<code>-explanation``, ``<code>-options`` and ``<code>-option_<n>`` (from 1),
so a form shows each next to its field and the import names the row and column.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User
from takeroot.core.services import apply_changes, record_audit, swapped_with_neighbour
from takeroot.programmes.models import LearningObjective, Module, Programme

from .enums import CHOICE_KINDS, Difficulty, QuestionKind
from .models import Question, QuizSettings
from .scheduling import settings_for

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_PROMPT, MAX_EXPLANATION, MAX_OPTION = 1000, 2000, 300
# What a Decimal(20, 6) column holds.
MAX_NUMBER = Decimal(10) ** 14


def _audit(obj, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


# Checking a question ----------------------------------------------------------------------------


def _clean_language(code: str, text: dict, kind: str, errors: dict) -> dict | None:
    """One language's prompt, explanation and options, stripped; ``None`` when all are empty."""
    prompt = str(text.get("prompt") or "").strip()
    explanation = str(text.get("explanation") or "").strip()
    options = [str(option or "").strip() for option in text.get("options") or []]
    while options and not options[-1]:
        options.pop()
    if not (prompt or explanation or options):
        return None
    if not prompt:
        errors[f"{code}-prompt"] = _("Write the question in this language, or leave all its fields empty.")
    elif len(prompt) > MAX_PROMPT:
        errors[f"{code}-prompt"] = _("Keep the question under %(max)s characters.") % {"max": MAX_PROMPT}
    if len(explanation) > MAX_EXPLANATION:
        errors[f"{code}-explanation"] = _("Keep the explanation under %(max)s characters.") % {"max": MAX_EXPLANATION}
    if kind == QuestionKind.NUMERIC:
        if options:
            errors[f"{code}-options"] = _("A numeric question has no options: leave them empty.")
        return {"prompt": prompt, "explanation": explanation}
    for index, option in enumerate(options, start=1):
        if not option:
            errors[f"{code}-option_{index}"] = _("Fill the options in order, without gaps.")
        elif len(option) > MAX_OPTION:
            errors[f"{code}-option_{index}"] = _("Keep an option under %(max)s characters.") % {"max": MAX_OPTION}
    if kind == QuestionKind.TRUE_FALSE and len(options) != 2:
        errors[f"{code}-options"] = _("Give exactly two options: the words for true and false, in this order.")
    elif not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        errors[f"{code}-options"] = _("Give between %(min)s and %(max)s options.") % {
            "min": MIN_OPTIONS,
            "max": MAX_OPTIONS,
        }
    return {"prompt": prompt, "explanation": explanation, "options": options}


def _clean_content(content: dict, kind: str, errors: dict) -> dict:
    unknown = sorted(set(content) - set(LANGUAGE_CODES))
    if unknown:
        errors["content"] = _("Unknown language: %(codes)s (use %(known)s).") % {
            "codes": ", ".join(unknown),
            "known": ", ".join(LANGUAGE_CODES),
        }
    cleaned = {}
    for code in LANGUAGE_CODES:
        text = _clean_language(code, content.get(code) or {}, kind, errors)
        if text is not None:
            cleaned[code] = text
    if not cleaned and "content" not in errors:
        errors["content"] = _("Write the question in at least one language.")
    counts = {code: len(text.get("options", [])) for code, text in cleaned.items()}
    if len(set(counts.values())) > 1:
        first = next(iter(counts))
        for code, count in counts.items():
            if count != counts[first]:
                errors.setdefault(
                    f"{code}-options",
                    _("Give as many options as in %(language)s (%(count)s), in the same order.")
                    % {"language": dict(settings.LANGUAGES)[first], "count": counts[first]},
                )
    return cleaned


def _clean_answer(kind: str, content: dict, correct, number, tolerance, errors: dict) -> dict:
    """The right options (choice kinds) or the right number and tolerance (numeric)."""
    if kind not in CHOICE_KINDS:
        number = _decimal(number, "number", errors, required=True)
        tolerance = _decimal(tolerance or 0, "tolerance", errors)
        if tolerance is not None and tolerance < 0:
            errors["tolerance"] = _("The tolerance cannot be negative.")
        return {"correct": [], "number": number, "tolerance": tolerance or Decimal(0)}
    count = max((len(text["options"]) for text in content.values()), default=0)
    try:
        chosen = sorted({int(index) for index in correct or []})
    except (TypeError, ValueError):
        chosen = [-1]  # reported below as an option that does not exist
    if any(not 0 <= index < count for index in chosen):
        errors["correct"] = _("Mark only options that exist as right.")
    elif kind == QuestionKind.MULTIPLE and not chosen:
        errors["correct"] = _("Mark at least one option as right.")
    elif kind != QuestionKind.MULTIPLE and len(chosen) != 1:
        errors["correct"] = _("Mark exactly one option as right.")
    return {"correct": chosen, "number": None, "tolerance": Decimal(0)}


def _decimal(value, field: str, errors: dict, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = _("Give the right number.")
        return None
    try:
        found = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        found = None
    if found is None or not found.is_finite() or abs(found) >= MAX_NUMBER:
        errors[field] = _("Not a number: %(value)s") % {"value": str(value)[:40]}
        return None
    return found.quantize(Decimal("0.000001"))


def _clean_place(programme: Programme, module: Module | None, objective: LearningObjective | None, errors: dict):
    """The module and objective, both of this programme; an objective alone brings its module."""
    if objective is not None:
        module = module or objective.module
        if objective.module_id != module.pk:
            errors["objective"] = _("Choose a learning objective of the question's module.")
    if module is not None and module.programme_id != programme.pk:
        errors["module"] = _("Choose a module of this programme.")
    return module, objective


def check_question(
    *,
    programme: Programme,
    kind: str,
    content: dict,
    module: Module | None = None,
    objective: LearningObjective | None = None,
    difficulty: str = Difficulty.MEDIUM,
    correct=(),
    number=None,
    tolerance=0,
) -> dict:
    """The question's fields as they are saved, or ``ValidationError`` with every problem found,
    each under the name of the field it belongs to (see the module's docstring)."""
    errors: dict[str, str] = {}
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    if difficulty not in Difficulty.values:
        errors["difficulty"] = _("Choose a difficulty.")
    module, objective = _clean_place(programme, module, objective, errors)
    cleaned = _clean_content(content if isinstance(content, dict) else {}, kind, errors)
    answer = _clean_answer(kind, cleaned, correct, number, tolerance, errors)
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    fields = {"kind": kind, "module": module, "objective": objective, "difficulty": difficulty, "content": cleaned}
    return fields | answer


# Writing ----------------------------------------------------------------------------------------


@transaction.atomic
def save_question(
    *,
    programme: Programme,
    actor: User | None,
    question: Question | None = None,
    created_by: Person | None = None,
    **fields,
) -> Question:
    """Create a question at the end of the programme's bank, or change ``question``; the fields are
    those of ``check_question``, which refuses bad ones with ``ValidationError``.

    Side effects: the question row, an audit entry (languages stand for the text). Changing the
    right answer does not rewrite earlier answers: they were marked when given. Called by the bank's
    authors (``quizzes.manage_bank``), through pages, the API and the file import."""
    cleaned = check_question(programme=programme, **fields)
    if question is None:
        last = Question.objects.filter(programme=programme).aggregate(last=Max("position"))["last"]
        question = Question.objects.create(
            workspace_id=programme.workspace_id,
            programme=programme,
            created_by=created_by,
            position=0 if last is None else last + 1,
            **cleaned,
        )
        _audit(question, actor, AuditAction.CREATED, {"languages": (None, question.languages)})
        return question
    languages = question.languages
    changed = apply_changes(question, cleaned)
    if changed:
        question.save()
        if "content" in changed:
            changed["content"] = (languages, question.languages)
        _audit(question, actor, AuditAction.CHANGED, changed)
    return question


def _set_archived(question: Question, actor: User | None, archived_at) -> Question:
    changed = apply_changes(question, {"archived_at": archived_at})
    if changed:
        question.save(update_fields=["archived_at", "updated_at"])
        _audit(question, actor, AuditAction.CHANGED, changed)
    return question


def archive_question(*, question: Question, actor: User | None, now=None) -> Question:
    """Take a question out of the rounds: it is never asked again; its answers and memory states
    stay for the results. Archiving an archived question changes nothing. Side effects: an audit
    entry. Called by the bank's authors."""
    if question.archived_at is not None:
        return question
    return _set_archived(question, actor, now or timezone.now())


def restore_question(*, question: Question, actor: User | None) -> Question:
    """Bring an archived question back into the rounds. Side effects: an audit entry."""
    return _set_archived(question, actor, None)


@transaction.atomic
def reorder_questions(*, programme: Programme, actor: User | None, order: list[Question]) -> None:
    """Put the programme's questions in the given order (those left out follow, in their current
    order). Side effects: positions, one audit entry on the programme. Called by the bank's authors."""
    if any(question.programme_id != programme.pk for question in order):
        raise ValidationError({"order": [_("Order only the questions of this programme.")]})
    chosen = [question.pk for question in order]
    rest = Question.objects.filter(programme=programme).exclude(pk__in=chosen).values_list("pk", flat=True)
    ids = list(dict.fromkeys([*chosen, *rest]))
    found = Question.objects.in_bulk(ids)
    moved = []
    for position, pk in enumerate(ids):
        if found[pk].position != position:
            found[pk].position = position
            moved.append(found[pk])
    Question.objects.bulk_update(moved, ["position"])
    if moved:
        record_audit(
            workspace=programme.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=programme,
            changes={"quiz question order": (None, len(moved))},
        )


def move_question(*, question: Question, actor: User | None, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it in the bank."""
    questions = list(Question.objects.filter(programme_id=question.programme_id))
    if order := swapped_with_neighbour(questions, question, up=up):
        reorder_questions(programme=question.programme, actor=actor, order=order)


@transaction.atomic
def save_quiz_settings(*, programme: Programme, actor: User | None, **fields) -> QuizSettings:
    """Set a programme's desired retention, questions per round and retirement limit.

    Side effects: the settings row (created on first save), an audit entry when something
    changed. Raises ``ValidationError`` for values outside the allowed ranges. Called by the bank's
    authors (``quizzes.change_settings``)."""
    quiz_settings = settings_for(programme)
    allowed = {
        key: fields[key] for key in ("desired_retention", "questions_per_round", "retire_after") if key in fields
    }
    changed = apply_changes(quiz_settings, allowed)
    quiz_settings.full_clean(exclude=["programme", "workspace"])
    if changed or quiz_settings.pk is None:
        quiz_settings.save()
        _audit(quiz_settings, actor, AuditAction.CHANGED, changed)
    return quiz_settings
