"""Questionnaire and question services: checks per kind and language, answered questions keep
their shape, copying, ordering, archiving, and the audit trail."""

import pytest
from django.core.exceptions import ValidationError

from takeroot.core.models import AuditEntry
from takeroot.programmes import services as programmes
from takeroot.surveys import instruments
from takeroot.surveys.enums import Anonymity, SurveyQuestionKind
from takeroot.surveys.models import Instrument, SurveyQuestion

from .conftest import add_response


def _errors(call, **fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**fields)
    return caught.value.message_dict


def _check(instrument, **fields):
    return _errors(instruments.check_question, instrument=instrument, **fields)


def test_create_instrument_keeps_only_the_languages_written_and_is_audited(workspace, cast):
    instrument = instruments.create_instrument(
        workspace=workspace,
        actor=cast["admin"].user,
        content={"en": {"title": " After the workshop ", "introduction": ""}, "sv": {"title": "", "introduction": ""}},
        anonymity=Anonymity.ANONYMOUS,
    )
    assert instrument.content == {"en": {"title": "After the workshop", "introduction": ""}}
    assert (instrument.kind, instrument.anonymity, instrument.programme) == ("custom", "anonymous", None)
    entry = AuditEntry.objects.get(object_uuid=instrument.uuid)
    assert (entry.action, entry.changes) == ("created", {"languages": [None, ["en"]]})


def test_instrument_needs_a_title_in_some_language(workspace, cast):
    errors = _errors(instruments.create_instrument, workspace=workspace, actor=None, content={})
    assert errors == {"content": ["Give the questionnaire a title in at least one language."]}
    errors = _errors(
        instruments.create_instrument,
        workspace=workspace,
        actor=None,
        content={"en": {"title": "Fine"}, "pl": {"introduction": "Wstęp bez tytułu"}},
    )
    assert errors == {"pl-title": ["Give a title in this language, or leave its introduction empty too."]}
    assert not Instrument.objects.exists()


def test_instrument_refuses_another_workspaces_programme(other_workspace, programme):
    errors = _errors(
        instruments.create_instrument,
        workspace=other_workspace,
        actor=None,
        content={"en": {"title": "X"}},
        programme=programme,
    )
    assert errors == {"programme": ["Choose a programme of this workspace."]}


def test_update_instrument_changes_text_and_anonymity(instrument, cast):
    instruments.update_instrument(
        instrument=instrument,
        actor=cast["trainer"].user,
        content={"en": {"title": "Your view", "introduction": "Two minutes."}, "sv": {"title": "Din syn"}},
        anonymity=Anonymity.NAMED,
    )
    instrument.refresh_from_db()
    assert instrument.content["sv"] == {"title": "Din syn", "introduction": ""}
    assert instrument.anonymity == "named"
    entry = AuditEntry.objects.filter(object_uuid=instrument.uuid, action="changed").get()
    assert entry.changes["content"] == [["en", "pl"], ["en", "sv"]]


def test_choices_need_two_options_and_aligned_languages(instrument):
    errors = _check(
        instrument,
        kind=SurveyQuestionKind.SINGLE,
        content={"en": {"prompt": "Pace?", "options": ["Right"]}},
    )
    assert errors == {"en-options": ["A choice needs between 2 and 10 options."]}
    errors = _check(
        instrument,
        kind=SurveyQuestionKind.MULTIPLE,
        content={
            "en": {"prompt": "Helped?", "options": ["A", "B", "C"]},
            "pl": {"prompt": "Pomogło?", "options": ["A", "B"]},
        },
    )
    assert errors == {"pl-options": ["Give as many options as in English (3), in the same order."]}
    errors = _check(
        instrument, kind=SurveyQuestionKind.SINGLE, content={"en": {"prompt": "Gap", "options": ["A", "", "C"]}}
    )
    assert errors == {"en-option_2": ["Fill them in order, without gaps."]}


def test_matrix_needs_a_statement_and_five_or_seven_points(instrument):
    errors = _check(
        instrument, kind=SurveyQuestionKind.MATRIX, content={"en": {"prompt": "Trainer", "rows": []}}, scale_points=6
    )
    assert errors == {
        "scale_points": ["A matrix is rated on 5 or 7 points."],
        "en-rows": ["A matrix needs between 1 and 12 statements."],
    }
    errors = _check(
        instrument,
        kind=SurveyQuestionKind.MATRIX,
        content={"en": {"prompt": "T", "rows": ["a", "b"]}, "zh-hans": {"prompt": "培训师", "rows": ["甲"]}},
    )
    assert errors == {"zh-hans-rows": ["Give as many statements as in English (2), in the same order."]}


def test_question_needs_a_prompt_and_only_its_kinds_parts(instrument, modules):
    assert _check(instrument, kind=SurveyQuestionKind.TEXT, content={}) == {
        "content": ["Write the question in at least one language."]
    }
    assert _check(instrument, kind=SurveyQuestionKind.TEXT, content={"sv": {"prompt": "", "low": "x"}}) == {
        "sv-prompt": ["Write the question in this language, or leave all its fields empty."],
        "sv-low": ["Only scales and matrices have labels at their ends: leave this empty."],
    }
    assert _check(instrument, kind=SurveyQuestionKind.LIKERT_5, content={"en": {"prompt": "?", "options": ["a"]}}) == {
        "en-options": ["Only single and multiple choice questions have options: leave them empty."]
    }
    assert _check(instrument, kind="essay", content={"en": {"prompt": "?"}}) == {"kind": ["Choose a kind of question."]}
    assert _check(instrument, kind=SurveyQuestionKind.TEXT, content={"en": {"prompt": "?"}}, rater_groups=["boss"]) == {
        "rater_groups": ["Choose rater groups from the list."]
    }


def test_module_must_be_of_the_questionnaires_programme(instrument, workspace, modules):
    blank = instruments.create_instrument(workspace=workspace, actor=None, content={"en": {"title": "W"}})
    errors = _check(blank, kind=SurveyQuestionKind.TEXT, content={"en": {"prompt": "?"}}, module=modules[0])
    assert errors == {
        "module": ["This questionnaire is not tied to a programme, so its questions cannot name a module."]
    }
    cleaned = instruments.check_question(
        instrument=instrument, kind=SurveyQuestionKind.TEXT, content={"en": {"prompt": "?"}}, module=modules[1]
    )
    assert cleaned["module"] == modules[1]


def test_save_question_goes_to_the_end_with_the_scale_of_its_kind(instrument, cast):
    question = instruments.save_question(
        instrument=instrument,
        actor=cast["trainer"].user,
        kind=SurveyQuestionKind.LIKERT_7,
        content={"en": {"prompt": "Clear goals", "low": "Not at all"}},
        scale_points=5,
        required=True,
    )
    assert (question.position, question.scale_points, question.required) == (6, 7, True)
    assert question.content == {"en": {"prompt": "Clear goals", "low": "Not at all"}}
    entry = AuditEntry.objects.get(object_uuid=question.uuid)
    assert (entry.action, entry.changes) == ("created", {"languages": [None, ["en"]]})


def test_answered_question_keeps_its_shape_but_takes_text_fixes(instrument, survey):
    add_response(survey, {2: 1, 4: [4, 5]})
    single = instrument.questions.get(position=2)
    errors = _errors(
        instruments.save_question,
        instrument=instrument,
        actor=None,
        question=single,
        kind=SurveyQuestionKind.MULTIPLE,
        content=single.content,
    )
    assert errors == {
        "kind": ["This question has already been answered, so its kind cannot change. Add a new question instead."]
    }
    errors = _errors(
        instruments.save_question,
        instrument=instrument,
        actor=None,
        question=single,
        kind=SurveyQuestionKind.SINGLE,
        content={"en": {"prompt": "The pace was", "options": ["Too slow", "Right"]}},
    )
    assert list(errors) == ["content"]
    assert "cannot change" in errors["content"][0]
    instruments.save_question(
        instrument=instrument,
        actor=None,
        question=single,
        kind=SurveyQuestionKind.SINGLE,
        content={"en": {"prompt": "The pace of the day was", "options": ["Too slow", "About right", "Too fast"]}},
        measure=single.measure,
    )
    single.refresh_from_db()
    assert single.content["en"]["options"][1] == "About right"
    # An unanswered question of a used questionnaire can still change kind.
    text = instrument.questions.get(position=5)
    changed = instruments.save_question(
        instrument=instrument, actor=None, question=text, kind=SurveyQuestionKind.LIKERT_5, content=text.content
    )
    assert changed.kind == "likert5"


def test_answered_question_cannot_be_deleted(instrument, survey, cast):
    add_response(survey, {0: 4})
    answered = instrument.questions.get(position=0)
    errors = _errors(instruments.delete_question, question=answered, actor=None)
    assert "already been answered" in errors["question"][0]
    assert SurveyQuestion.objects.filter(pk=answered.pk).exists()
    instruments.delete_question(question=instrument.questions.get(position=1), actor=cast["admin"].user)
    assert list(instrument.questions.order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3, 4]


def test_reorder_and_move(instrument, cast):
    questions = list(instrument.questions.order_by("position"))
    instruments.reorder_questions(instrument=instrument, actor=None, order=[questions[3], questions[0]])
    order = list(instrument.questions.order_by("position").values_list("pk", flat=True))
    assert order == [
        questions[3].pk,
        questions[0].pk,
        questions[1].pk,
        questions[2].pk,
        questions[4].pk,
        questions[5].pk,
    ]
    instruments.move_question(question=questions[1], actor=None, up=True)
    order = list(instrument.questions.order_by("position").values_list("pk", flat=True))
    assert order[:3] == [questions[3].pk, questions[1].pk, questions[0].pk]


def test_reorder_refuses_another_questionnaires_question(instrument, workspace):
    other = instruments.create_instrument(workspace=workspace, actor=None, content={"en": {"title": "Other"}})
    question = instruments.save_question(
        instrument=other, actor=None, kind=SurveyQuestionKind.TEXT, content={"en": {"prompt": "?"}}
    )
    errors = _errors(instruments.reorder_questions, instrument=instrument, actor=None, order=[question])
    assert errors == {"order": ["Order only the questions of this questionnaire."]}


def test_copy_keeps_questions_and_marks_the_title(instrument, survey, cast):
    copy = instruments.copy_instrument(instrument=instrument, actor=cast["trainer"].user)
    assert copy.content["en"]["title"] == "How was the training? (copy)"
    assert copy.programme == instrument.programme
    assert copy.questions.count() == 6
    assert not copy.surveys.exists()
    moved = instruments.copy_instrument(instrument=instrument, actor=None, keep_programme=False)
    assert moved.programme is None


def test_archive_and_restore(instrument, workspace, cast):
    instruments.archive_instrument(instrument=instrument, actor=cast["admin"].user)
    assert list(instruments.instruments_in(workspace)) == []
    assert list(instruments.instruments_in(workspace, archived=True)) == [instrument]
    instruments.restore_instrument(instrument=instrument, actor=cast["admin"].user)
    assert list(instruments.instruments_in(workspace)) == [instrument]
    actions = list(
        AuditEntry.objects.filter(object_uuid=instrument.uuid).order_by("id").values_list("changes", flat=True)
    )
    assert actions == [{"archived": [False, True]}, {"archived": [True, False]}]


def test_library_of_a_programme_includes_workspace_wide_ones(instrument, workspace, programme, cast):
    wide = instruments.create_instrument(workspace=workspace, actor=None, content={"en": {"title": "Wide"}})
    other = programmes.create_programme(
        workspace=workspace, actor=cast["admin"].user, name="Other", format="classroom", currency="PLN"
    )
    elsewhere = instruments.create_instrument(
        workspace=workspace, actor=None, content={"en": {"title": "Elsewhere"}}, programme=other
    )
    found = set(instruments.instruments_in(workspace, programme=programme))
    assert found == {instrument, wide}
    assert elsewhere in set(instruments.instruments_in(workspace))
