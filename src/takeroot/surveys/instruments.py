"""Questionnaires and their questions, and the workspace's anonymity thresholds: the reads pages
and the API share, and every write (checked, audited). Pages and the API save through here, so they
refuse the same things with the same words.

Errors name the field they belong to with the form's names: ``kind``, ``scale_points``, ``measure``,
``module``, ``rater_groups``, ``programme``, ``anonymity``, ``content`` (no language at all) and, per
language, ``<code>-title``, ``<code>-introduction``, ``<code>-prompt``, ``<code>-low``,
``<code>-high``, ``<code>-options``, ``<code>-option_<n>``, ``<code>-rows`` and ``<code>-row_<n>``
(from 1).

Once a question has answers its shape is fixed: its kind, its number of options or rows and its
scale stay, because the answers are stored as positions on them. Its words can still be corrected.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import apply_changes, record_audit, swapped_with_neighbour
from takeroot.programmes.models import Module, Programme

from .enums import POINTS, Anonymity, InstrumentKind, Measure, RaterGroup, SurveyQuestionKind
from .models import LOWEST_MIN_RESPONSES, Instrument, SurveyQuestion, SurveySettings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
CHOICE_KINDS = (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE)
# Kinds whose ends can carry labels ("Strongly disagree" … "Strongly agree").
ENDED_KINDS = (*POINTS, SurveyQuestionKind.SCALE_10, SurveyQuestionKind.MATRIX)
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MIN_ROWS, MAX_ROWS = 1, 12
MAX_MIN_RESPONSES, MAX_MIN_COMMENTS = 50, 100  # the columns' validators
MAX_TITLE, MAX_INTRODUCTION, MAX_PROMPT, MAX_ITEM, MAX_END = 200, 3000, 1000, 300, 60


def _audit(obj, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


def _languages(content: dict) -> list[str]:
    return [code for code in LANGUAGE_CODES if content.get(code)]


def _unknown_languages(content: dict, errors: dict) -> None:
    unknown = sorted(set(content) - set(LANGUAGE_CODES))
    if unknown:
        errors["content"] = _("Unknown language: %(codes)s (use %(known)s).") % {
            "codes": ", ".join(unknown),
            "known": ", ".join(LANGUAGE_CODES),
        }


# Reads ------------------------------------------------------------------------------------------


def instruments_in(workspace: Workspace, *, programme: Programme | None = None, archived: bool | None = False):
    """The workspace's questionnaires with their question counts: all of them, or those of
    ``programme`` plus the workspace-wide ones; in use (``archived=False``), archived (``True``) or
    both (``None``)."""
    found = Instrument.objects.filter(workspace=workspace).select_related("programme")
    if programme is not None:
        found = found.filter(Q(programme=programme) | Q(programme__isnull=True))
    if archived is not None:
        found = found.filter(archived=archived)
    return found.annotate(question_count=Count("questions")).order_by("archived", "-created_at", "id")


def questions_of(instrument: Instrument) -> QuerySet[SurveyQuestion]:
    """The questions in their order, each annotated with its number of answers."""
    return (
        SurveyQuestion.objects.filter(instrument=instrument)
        .select_related("module")
        .annotate(answer_count=Count("answers"))
        .order_by("position", "id")
    )


def is_used(instrument: Instrument) -> bool:
    """Whether a survey has been made with it (its questions then only get text fixes once answered)."""
    return instrument.surveys.exists()


def survey_settings_for(workspace: Workspace) -> SurveySettings:
    """The workspace's anonymity thresholds; an unsaved row with the defaults until they are saved."""
    found = SurveySettings.objects.filter(workspace=workspace).first()
    return found or SurveySettings(workspace=workspace)


# Checking ---------------------------------------------------------------------------------------


def check_instrument_content(content: dict) -> dict:
    """Title and introduction per language, stripped; ``ValidationError`` when no language has a
    title or one has an introduction without a title."""
    errors: dict[str, str] = {}
    content = content if isinstance(content, dict) else {}
    _unknown_languages(content, errors)
    cleaned = {}
    for code in LANGUAGE_CODES:
        text = content.get(code) or {}
        title = str(text.get("title") or "").strip()
        introduction = str(text.get("introduction") or "").strip()
        if not (title or introduction):
            continue
        if not title:
            errors[f"{code}-title"] = _("Give a title in this language, or leave its introduction empty too.")
        elif len(title) > MAX_TITLE:
            errors[f"{code}-title"] = _("Keep the title under %(max)s characters.") % {"max": MAX_TITLE}
        if len(introduction) > MAX_INTRODUCTION:
            errors[f"{code}-introduction"] = _("Keep the introduction under %(max)s characters.") % {
                "max": MAX_INTRODUCTION
            }
        cleaned[code] = {"title": title, "introduction": introduction}
    if not cleaned and "content" not in errors:
        errors["content"] = _("Give the questionnaire a title in at least one language.")
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    return cleaned


def _items(code: str, text: dict, key: str, singular: str, limit: int, errors: dict) -> list[str]:
    items = [str(item or "").strip() for item in text.get(key) or []]
    while items and not items[-1]:
        items.pop()
    for index, item in enumerate(items, start=1):
        if not item:
            errors[f"{code}-{singular}_{index}"] = _("Fill them in order, without gaps.")
        elif len(item) > limit:
            errors[f"{code}-{singular}_{index}"] = _("Keep each under %(max)s characters.") % {"max": limit}
    return items


def _clean_language(code: str, text: dict, kind: str, errors: dict) -> dict | None:
    """One language's text for a question of ``kind``; ``None`` when it is all empty."""
    prompt = str(text.get("prompt") or "").strip()
    options = _items(code, text, "options", "option", MAX_ITEM, errors)
    rows = _items(code, text, "rows", "row", MAX_ITEM, errors)
    low, high = (str(text.get(end) or "").strip() for end in ("low", "high"))
    if not (prompt or options or rows or low or high):
        return None
    cleaned = {"prompt": prompt}
    if not prompt:
        errors[f"{code}-prompt"] = _("Write the question in this language, or leave all its fields empty.")
    elif len(prompt) > MAX_PROMPT:
        errors[f"{code}-prompt"] = _("Keep the question under %(max)s characters.") % {"max": MAX_PROMPT}
    if kind in CHOICE_KINDS:
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            errors.setdefault(
                f"{code}-options",
                _("A choice needs between %(min)s and %(max)s options.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS},
            )
        cleaned["options"] = options
    elif options:
        errors[f"{code}-options"] = _("Only single and multiple choice questions have options: leave them empty.")
    if kind == SurveyQuestionKind.MATRIX:
        if not MIN_ROWS <= len(rows) <= MAX_ROWS:
            errors.setdefault(
                f"{code}-rows",
                _("A matrix needs between %(min)s and %(max)s statements.") % {"min": MIN_ROWS, "max": MAX_ROWS},
            )
        cleaned["rows"] = rows
    elif rows:
        errors[f"{code}-rows"] = _("Only a matrix has statements: leave them empty.")
    for end, value in (("low", low), ("high", high)):
        if not value:
            continue
        if kind not in ENDED_KINDS:
            errors[f"{code}-{end}"] = _("Only scales and matrices have labels at their ends: leave this empty.")
        elif len(value) > MAX_END:
            errors[f"{code}-{end}"] = _("Keep the label under %(max)s characters.") % {"max": MAX_END}
        cleaned[end] = value
    return cleaned


def _aligned(cleaned: dict, key: str, errors: dict) -> None:
    """Every language has as many options (or statements) as the first, in the same order."""
    counts = {code: len(text.get(key, [])) for code, text in cleaned.items()}
    if len(set(counts.values())) <= 1:
        return
    first = next(iter(counts))
    message = (
        _("Give as many options as in %(language)s (%(count)s), in the same order.")
        if key == "options"
        else _("Give as many statements as in %(language)s (%(count)s), in the same order.")
    )
    for code, count in counts.items():
        if count != counts[first]:
            errors.setdefault(
                f"{code}-{key}", message % {"language": dict(settings.LANGUAGES)[first], "count": counts[first]}
            )


def _shape(kind: str, content: dict, scale_points: int) -> tuple:
    """What the stored answers are positions on: the kind, the counts of options and rows, the scale."""
    options = max((len(text.get("options", [])) for text in content.values()), default=0)
    rows = max((len(text.get("rows", [])) for text in content.values()), default=0)
    return kind, options, rows, scale_points


def check_question(
    *,
    instrument: Instrument,
    kind: str,
    content: dict,
    scale_points: int = 5,
    required: bool = False,
    measure: str = "",
    module: Module | None = None,
    rater_groups=(),
    question: SurveyQuestion | None = None,
) -> dict:
    """The question's fields as they are saved, or ``ValidationError`` with every problem found,
    each under the name of its field (see the module's docstring). With ``question``, also refuses
    to change the shape of a question that has answers."""
    errors: dict[str, str] = {}
    if kind not in SurveyQuestionKind.values:
        raise ValidationError({"kind": [_("Choose a kind of question.")]})
    if kind in POINTS:
        scale_points = POINTS[kind]
    elif kind == SurveyQuestionKind.MATRIX:
        if scale_points not in (5, 7):
            errors["scale_points"] = _("A matrix is rated on 5 or 7 points.")
    else:
        scale_points = 5  # unused by this kind; the column's default
    if measure not in Measure.values:
        errors["measure"] = _("Choose what the question measures, or nothing in particular.")
    groups = list(dict.fromkeys(rater_groups or []))
    if any(group not in RaterGroup.values for group in groups):
        errors["rater_groups"] = _("Choose rater groups from the list.")
    if module is not None and (instrument.programme_id is None or module.programme_id != instrument.programme_id):
        errors["module"] = (
            _("Choose a module of the questionnaire's programme.")
            if instrument.programme_id
            else _("This questionnaire is not tied to a programme, so its questions cannot name a module.")
        )
    content = content if isinstance(content, dict) else {}
    _unknown_languages(content, errors)
    cleaned = {}
    for code in LANGUAGE_CODES:
        text = _clean_language(code, content.get(code) or {}, kind, errors)
        if text is not None:
            cleaned[code] = text
    if not cleaned and "content" not in errors:
        errors["content"] = _("Write the question in at least one language.")
    _aligned(cleaned, "options", errors)
    _aligned(cleaned, "rows", errors)
    if question is not None and not errors and question.answers.exists():
        before = _shape(question.kind, question.content, question.scale_points)
        after = _shape(kind, cleaned, scale_points)
        if before[0] != after[0]:
            errors["kind"] = _(
                "This question has already been answered, so its kind cannot change. Add a new question instead."
            )
        elif before != after:
            errors["content"] = _(
                "This question has already been answered, so its number of options, statements or scale points "
                "cannot change; you can still correct its wording. Add a new question instead."
            )
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    return {
        "kind": kind,
        "content": cleaned,
        "scale_points": scale_points,
        "required": bool(required),
        "measure": measure,
        "module": module,
        "rater_groups": groups,
    }


# Questionnaires ---------------------------------------------------------------------------------


def _check_programme(workspace: Workspace, programme: Programme | None) -> None:
    if programme is not None and programme.workspace_id != workspace.pk:
        raise ValidationError({"programme": [_("Choose a programme of this workspace.")]})


def _check_anonymity(anonymity: str) -> None:
    if anonymity not in Anonymity.values:
        raise ValidationError({"anonymity": [_("Choose how anonymous the answers are.")]})


@transaction.atomic
def create_instrument(
    *,
    workspace: Workspace,
    actor: User | None,
    content: dict,
    anonymity: str = Anonymity.CONFIDENTIAL,
    programme: Programme | None = None,
    kind: str = InstrumentKind.CUSTOM,
) -> Instrument:
    """A blank questionnaire (no questions yet), workspace-wide or for ``programme``.

    Side effects: the row, an audit entry. Raises ``ValidationError`` per field. Called by authors
    (``surveys.manage_instruments``)."""
    _check_programme(workspace, programme)
    _check_anonymity(anonymity)
    if kind not in InstrumentKind.values:
        raise ValidationError({"kind": [_("Choose a kind of questionnaire.")]})
    cleaned = check_instrument_content(content)
    instrument = Instrument.objects.create(
        workspace=workspace, programme=programme, kind=kind, content=cleaned, anonymity=anonymity, created_by=actor
    )
    _audit(instrument, actor, AuditAction.CREATED, {"languages": (None, _languages(cleaned))})
    return instrument


@transaction.atomic
def update_instrument(
    *, instrument: Instrument, actor: User | None, content: dict | None = None, anonymity: str | None = None
) -> Instrument:
    """Change the title and introduction (per language) and the default anonymity of surveys sent
    with it from now on (surveys already made keep theirs). Side effects: an audit entry when
    something changed. Called by authors (``surveys.change_instrument``)."""
    fields = {}
    if content is not None:
        fields["content"] = check_instrument_content(content)
    if anonymity is not None:
        _check_anonymity(anonymity)
        fields["anonymity"] = anonymity
    languages = _languages(instrument.content)
    changed = apply_changes(instrument, fields)
    if changed:
        instrument.save()
        if "content" in changed:
            changed["content"] = (languages, _languages(instrument.content))
        _audit(instrument, actor, AuditAction.CHANGED, changed)
    return instrument


@transaction.atomic
def copy_instrument(
    *, instrument: Instrument, actor: User | None, programme: Programme | None = None, keep_programme: bool = True
) -> Instrument:
    """A new questionnaire with the same text and questions, not yet used by any survey; its title
    says it is a copy. It stays with the original's programme unless ``keep_programme`` is false,
    when it goes to ``programme`` (``None``: workspace-wide); modules are kept only within the same
    programme. Side effects: the rows, an audit entry. Called by authors."""
    target = instrument.programme if keep_programme else programme
    _check_programme(instrument.workspace, target)
    content = {}
    for code, text in instrument.content.items():
        with translation.override(code):
            title = pgettext("copy of a questionnaire", "%(title)s (copy)") % {"title": text.get("title", "")}
        content[code] = text | {"title": title[:MAX_TITLE]}
    copy = Instrument.objects.create(
        workspace=instrument.workspace,
        programme=target,
        kind=instrument.kind,
        template=instrument.template,
        content=content,
        anonymity=instrument.anonymity,
        created_by=actor,
    )
    same_programme = target is not None and target.pk == instrument.programme_id
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            workspace=copy.workspace,
            instrument=copy,
            position=position,
            kind=question.kind,
            content=question.content,
            scale_points=question.scale_points,
            required=question.required,
            measure=question.measure,
            module_id=question.module_id if same_programme else None,
            rater_groups=list(question.rater_groups),
        )
        for position, question in enumerate(instrument.questions.order_by("position", "id"))
    )
    _audit(copy, actor, AuditAction.CREATED, {"copied from": (None, str(instrument.uuid))})
    return copy


def _set_archived(instrument: Instrument, actor: User | None, archived: bool) -> Instrument:
    changed = apply_changes(instrument, {"archived": archived})
    if changed:
        instrument.save(update_fields=["archived"])
        _audit(instrument, actor, AuditAction.CHANGED, changed)
    return instrument


def archive_instrument(*, instrument: Instrument, actor: User | None) -> Instrument:
    """Take a questionnaire out of the library: no new survey can use it; surveys already sent with
    it and their results stay. Side effects: an audit entry. Called by authors."""
    return _set_archived(instrument, actor, True)


def restore_instrument(*, instrument: Instrument, actor: User | None) -> Instrument:
    """Bring an archived questionnaire back into the library. Side effects: an audit entry."""
    return _set_archived(instrument, actor, False)


# Questions --------------------------------------------------------------------------------------


@transaction.atomic
def save_question(
    *, instrument: Instrument, actor: User | None, question: SurveyQuestion | None = None, **fields
) -> SurveyQuestion:
    """Add a question at the end of the questionnaire, or change ``question``; the fields are those
    of ``check_question``, which refuses bad ones (and shape changes of an answered question).

    Side effects: the question row, an audit entry on it. Called by authors
    (``surveys.change_instrument``), from pages and the API."""
    cleaned = check_question(instrument=instrument, question=question, **fields)
    if question is None:
        last = SurveyQuestion.objects.filter(instrument=instrument).aggregate(last=Max("position"))["last"]
        question = SurveyQuestion.objects.create(
            workspace_id=instrument.workspace_id,
            instrument=instrument,
            position=0 if last is None else last + 1,
            **cleaned,
        )
        _audit(question, actor, AuditAction.CREATED, {"languages": (None, _languages(cleaned["content"]))})
        return question
    languages = _languages(question.content)
    changed = apply_changes(question, cleaned)
    if changed:
        question.save()
        if "content" in changed:
            changed["content"] = (languages, _languages(question.content))
        _audit(question, actor, AuditAction.CHANGED, changed)
    return question


@transaction.atomic
def delete_question(*, question: SurveyQuestion, actor: User | None) -> None:
    """Remove a question that nobody has answered (``ValidationError`` otherwise: its answers
    would go with it). Side effects: the row, an audit entry. Called by authors."""
    if question.answers.exists():
        raise ValidationError(
            {
                "question": [
                    _(
                        "This question has already been answered, so it cannot be deleted: its answers are part of "
                        "the results. Copy the questionnaire to make a version without it."
                    )
                ]
            }
        )
    _audit(question, actor, AuditAction.DELETED)
    question.delete()
    _renumber(question.instrument)


def _renumber(instrument: Instrument) -> None:
    moved = []
    for position, question in enumerate(
        SurveyQuestion.objects.filter(instrument=instrument).order_by("position", "id")
    ):
        if question.position != position:
            question.position = position
            moved.append(question)
    SurveyQuestion.objects.bulk_update(moved, ["position"])


@transaction.atomic
def reorder_questions(*, instrument: Instrument, actor: User | None, order: list[SurveyQuestion]) -> None:
    """Put the questions in the given order (those left out follow, in their current order).
    Side effects: positions, one audit entry on the questionnaire. Called by authors."""
    if any(question.instrument_id != instrument.pk for question in order):
        raise ValidationError({"order": [_("Order only the questions of this questionnaire.")]})
    chosen = [question.pk for question in order]
    current = SurveyQuestion.objects.filter(instrument=instrument).order_by("position", "id")
    ids = list(dict.fromkeys([*chosen, *current.values_list("pk", flat=True)]))
    found = SurveyQuestion.objects.in_bulk(ids)
    moved = []
    for position, pk in enumerate(ids):
        if found[pk].position != position:
            found[pk].position = position
            moved.append(found[pk])
    SurveyQuestion.objects.bulk_update(moved, ["position"])
    if moved:
        _audit(instrument, actor, AuditAction.CHANGED, {"question order": (None, len(moved))})


def move_question(*, question: SurveyQuestion, actor: User | None, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it."""
    questions = list(SurveyQuestion.objects.filter(instrument_id=question.instrument_id).order_by("position", "id"))
    if order := swapped_with_neighbour(questions, question, up=up):
        reorder_questions(instrument=question.instrument, actor=actor, order=order)


# Thresholds -------------------------------------------------------------------------------------


@transaction.atomic
def save_survey_settings(
    *, workspace: Workspace, actor: User | None, min_responses: int, min_comments: int
) -> SurveySettings:
    """Set the fewest responses a group's results are shown for (at least 3) and the fewest that
    free-text comments are shown for (not below the first).

    Side effects: the settings row (created on first save), an audit entry when something
    changed. Raises ``ValidationError`` per field. Called by admins (``surveys.change_settings``)."""
    errors = {}
    if not LOWEST_MIN_RESPONSES <= min_responses <= MAX_MIN_RESPONSES:
        errors["min_responses"] = [
            _(
                "Give a number from %(lowest)s to %(highest)s: with fewer than %(lowest)s responses, people could "
                "work out who answered what."
            )
            % {"lowest": LOWEST_MIN_RESPONSES, "highest": MAX_MIN_RESPONSES}
        ]
    if not LOWEST_MIN_RESPONSES <= min_comments <= MAX_MIN_COMMENTS:
        errors["min_comments"] = [
            _("Give a number from %(lowest)s to %(highest)s.")
            % {"lowest": LOWEST_MIN_RESPONSES, "highest": MAX_MIN_COMMENTS}
        ]
    elif not errors and min_comments < min_responses:
        errors["min_comments"] = [
            _(
                "Comments can be identified more easily than numbers: their threshold cannot be lower than the "
                "results' (%(min)s)."
            )
            % {"min": min_responses}
        ]
    if errors:
        raise ValidationError(errors)
    found = survey_settings_for(workspace)
    changed = apply_changes(found, {"min_responses": min_responses, "min_comments": min_comments})
    if changed or found.pk is None:
        found.save()
        record_audit(workspace=workspace, actor=actor, action=AuditAction.CHANGED, obj=found, changes=changed)
    return found
