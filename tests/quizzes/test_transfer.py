"""Question files: export, import into another programme (the same questions), all-or-nothing
imports with every error's line and column, updates by id, and the import pages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from takeroot.core.imports import ImportFileError
from takeroot.programmes import services as programmes
from takeroot.quizzes import transfer
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import Question

HEADER = "question_id,module,kind,language,prompt,option_1,option_2,option_3,correct,tolerance\n"


def _csv(body: str, name: str = "questions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode())


@pytest.fixture
def twin(programme, cast):
    """Another programme with the same module titles and objectives."""
    admin = cast["admin"]
    twin = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Copy", format="classroom", currency="PLN"
    )
    for module in programme.modules.prefetch_related("objectives"):
        objectives = [objective.text for objective in module.objectives.all()]
        programmes.save_module(programme=twin, actor=admin.user, title=module.title, objectives=objectives)
    return twin


def _shape(question: Question) -> tuple:
    return (
        question.kind,
        question.module.title if question.module else None,
        question.objective.text if question.objective else None,
        question.content,
        question.correct,
        question.number,
        question.tolerance,
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_another_programme_gives_the_same_questions(
    questions, programme, twin, cast, file_format
):
    rows = transfer.export_rows(programme)
    content = transfer.export_csv(rows) if file_format == "csv" else transfer.export_xlsx(rows)
    plan = transfer.preview_import(programme=twin, uploaded_file=SimpleUploadedFile(f"bank.{file_format}", content))
    assert (plan.errors, plan.actions) == ([], {"create": 4})
    summary = transfer.apply_import(programme=twin, actor=cast["admin"].user, plan=plan.as_json())
    assert summary == {"create": 4, "update": 0, "unchanged": 0}
    assert [_shape(q) for q in Question.objects.filter(programme=twin)] == [_shape(q) for q in questions.values()]
    # The same file into its own programme changes nothing.
    again = transfer.preview_import(programme=programme, uploaded_file=SimpleUploadedFile(f"b.{file_format}", content))
    assert again.actions == {"unchanged": 4}


def test_one_bad_row_writes_nothing_and_every_error_names_line_and_column(programme, modules, cast):
    body = (
        ",Opening the call,single,en,Good?,Yes,No,,1,\n"
        "n1,,single,en,Two languages?,A,B,C,2,\n"
        "n1,,single,pl,Dwa języki?,A,B,,2,\n"
        ",Nowhere,multiple,xx,=SUM(A1),A,B,,,\n"
        ",,numeric,en,How many?,,,,many,-1\n"
    )
    plan = transfer.preview_import(programme=programme, uploaded_file=_csv(body))
    assert [(e["line"], e["column"], e["message"]) for e in plan.errors] == [
        (4, "option_1", "Give as many options as in English (3), in the same order."),
        (5, "module", "No module of this programme is called “Nowhere”."),
        (5, "language", "Unknown language: xx (use en, pl, sv or zh-hans)"),
        (5, "prompt", "Formulas are not allowed: =SUM(A1)"),
        (6, "correct", "Not a number: many"),
        (6, "tolerance", "The tolerance cannot be negative."),
    ]
    with pytest.raises(ValidationError):
        transfer.apply_import(programme=programme, actor=cast["admin"].user, plan=plan.as_json())
    assert not Question.objects.exists()
    corrected = transfer.rows_with_errors(plan.as_json())
    assert corrected[0][-1] == "errors" and corrected[3][-1].startswith("option_1: Give as many options")


def test_an_id_of_this_programme_updates_that_question_and_keeps_its_other_languages(questions, programme, cast):
    single = questions[QuestionKind.SINGLE]
    body = f"{single.uuid},Opening the call,single,en,New wording?,The price,The customer's goal,Small talk,2,\n"
    plan = transfer.preview_import(programme=programme, uploaded_file=_csv(body))
    assert plan.actions == {"update": 1}
    transfer.apply_import(programme=programme, actor=cast["admin"].user, plan=plan.as_json())
    single.refresh_from_db()
    assert (single.content["en"]["prompt"], single.languages) == ("New wording?", ["en", "pl"])


def test_files_that_cannot_be_read_are_refused_whole(programme):
    with pytest.raises(ImportFileError, match="Upload a CSV or XLSX file"):
        transfer.preview_import(programme=programme, uploaded_file=SimpleUploadedFile("bank.txt", b"x"))
    with pytest.raises(ImportFileError, match="The column “kind” is missing"):
        transfer.preview_import(
            programme=programme, uploaded_file=SimpleUploadedFile("b.csv", b"language,prompt\nen,A\n")
        )


def test_export_neutralises_formulas(programme, modules, questions):
    Question.objects.filter(pk=questions[QuestionKind.NUMERIC].pk).update(
        content={"en": {"prompt": "=1+1", "explanation": ""}}
    )
    assert [row[6] for row in transfer.export_rows(programme) if row[6].endswith("1+1")] == ["'=1+1"]


def test_import_pages_upload_preview_then_apply(programme, modules, cast, client_for):
    client = client_for(cast["trainer"])
    base = f"/quizzes/programmes/{programme.uuid}/questions/import/"
    response = client.post(base, {"file": _csv(",,single,en,Bad?,A,,,1,\n")})
    assert response["Location"] == f"{base}preview/"
    page = client.get(f"{base}preview/").content.decode()
    assert "Nothing was saved" in page and "Give between 2 and 8 options." in page
    assert b"Give between 2 and 8 options." in client.get(f"{base}errors.csv").content
    assert client.post(f"{base}preview/").status_code == 200 and not Question.objects.exists()
    client.post(base, {"file": _csv(",,single,en,Good?,A,B,,1,\n")})
    assert "Ready: 1 to create" in client.get(f"{base}preview/").content.decode()
    assert client.post(f"{base}preview/").status_code == 302
    assert Question.objects.get(programme=programme).content["en"]["options"] == ["A", "B"]
    assert client.get(f"{base}preview/")["Location"] == base  # the plan is used up
