"""The item bank: questions checked per kind and language, archiving, ordering, settings, and the
bank's pages (who may open them, typed input kept on errors, the list's filters and queries)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.models import AuditEntry
from takeroot.programmes.models import LearningObjective
from takeroot.quizzes import bank
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import Question, QuizSettings

from .conftest import NOW, make_question

OPTIONS_EN = ["The price", "The customer's goal", "Small talk"]
OPTIONS_PL = ["Od ceny", "Od celu klienta", "Od pogawędki"]


def _content(**languages):
    return {
        code: {"prompt": f"Prompt {code}", "explanation": "", "options": options} for code, options in languages.items()
    }


def _errors(**fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        bank.check_question(**fields)
    return caught.value.message_dict


# Checking ---------------------------------------------------------------------------------------


def test_save_question_in_two_languages_goes_to_the_end_and_is_audited(programme, modules, questions, cast):
    objective = LearningObjective.objects.get(module=modules[1])
    question = bank.save_question(
        programme=programme,
        actor=cast["trainer"].user,
        created_by=cast["trainer"],
        kind=QuestionKind.SINGLE,
        objective=objective,
        content=_content(en=[*OPTIONS_EN, "", ""], pl=OPTIONS_PL),
        correct=[1],
    )
    assert question.module == modules[1]  # the objective brings its module
    assert question.languages == ["en", "pl"]
    assert question.content["en"]["options"] == OPTIONS_EN  # empty trailing options dropped
    assert question.position == 4
    entry = AuditEntry.objects.get(object_uuid=question.uuid)
    assert (entry.action, entry.changes) == ("created", {"languages": [None, ["en", "pl"]]})


def test_check_refuses_options_counts_that_differ_between_languages(programme):
    errors = _errors(
        programme=programme, kind="single", content=_content(en=OPTIONS_EN, pl=OPTIONS_PL[:2]), correct=[0]
    )
    assert errors == {"pl-options": ["Give as many options as in English (3), in the same order."]}


@pytest.mark.parametrize(
    ("kind", "options", "correct", "expected"),
    [
        ("single", OPTIONS_EN, [0, 1], {"correct": ["Mark exactly one option as right."]}),
        ("single", OPTIONS_EN, [5], {"correct": ["Mark only options that exist as right."]}),
        ("multiple", OPTIONS_EN, [], {"correct": ["Mark at least one option as right."]}),
        ("single", ["Only one"], [0], {"en-options": ["Give between 2 and 8 options."]}),
        ("single", [str(n) for n in range(9)], [0], {"en-options": ["Give between 2 and 8 options."]}),
        (
            "true_false",
            OPTIONS_EN,
            [0],
            {"en-options": ["Give exactly two options: the words for true and false, in this order."]},
        ),
        ("single", ["A", "", "C"], [0], {"en-option_2": ["Fill the options in order, without gaps."]}),
    ],
)
def test_check_refuses_choice_questions_by_kind(programme, kind, options, correct, expected):
    assert _errors(programme=programme, kind=kind, content=_content(en=options), correct=correct) == expected


def test_check_numeric_needs_a_number_and_a_tolerance_of_zero_or_more(programme):
    content = {"en": {"prompt": "How many?"}}
    assert _errors(programme=programme, kind="numeric", content=content, tolerance=-1) == {
        "number": ["Give the right number."],
        "tolerance": ["The tolerance cannot be negative."],
    }
    cleaned = bank.check_question(programme=programme, kind="numeric", content=content, number="2,5", tolerance="0.5")
    assert (cleaned["number"], cleaned["tolerance"], cleaned["correct"]) == (Decimal("2.5"), Decimal("0.5"), [])


def test_check_needs_a_language_and_a_prompt_in_each_language_given(programme):
    assert _errors(programme=programme, kind="single", content={}, correct=[0]) == {
        "content": ["Write the question in at least one language."],
        "correct": ["Mark only options that exist as right."],
    }
    content = {"en": {"prompt": "", "options": OPTIONS_EN}}
    assert _errors(programme=programme, kind="single", content=content, correct=[0]) == {
        "en-prompt": ["Write the question in this language, or leave all its fields empty."]
    }


def test_check_refuses_an_objective_of_another_module_and_a_module_of_another_programme(programme, modules, cast):
    other = LearningObjective.objects.get(module=modules[1])
    errors = _errors(
        programme=programme,
        kind="single",
        content=_content(en=OPTIONS_EN),
        correct=[0],
        module=modules[0],
        objective=other,
    )
    assert errors == {"objective": ["Choose a learning objective of the question's module."]}
    from takeroot.programmes import services as programmes

    elsewhere = programmes.create_programme(
        workspace=programme.workspace, actor=cast["admin"].user, name="Other", format="classroom", currency="PLN"
    )
    errors = _errors(
        programme=elsewhere, kind="single", content=_content(en=OPTIONS_EN), correct=[0], module=modules[0]
    )
    assert errors == {"module": ["Choose a module of this programme."]}


def test_changing_a_question_audits_what_changed(questions, cast):
    question = questions[QuestionKind.SINGLE]
    fields = {"kind": "single", "content": {"en": question.content["en"]}, "correct": [2], "module": question.module}
    fields["objective"] = question.objective
    bank.save_question(programme=question.programme, actor=cast["admin"].user, question=question, **fields)
    question.refresh_from_db()
    assert (question.correct, question.languages) == ([2], ["en"])
    entry = AuditEntry.objects.get(object_uuid=question.uuid, action="changed")
    assert entry.changes == {"content": [["en", "pl"], ["en"]], "correct": [[1], [2]]}


# Archive, order, settings -----------------------------------------------------------------------


def test_archive_and_restore(questions, cast):
    question = questions[QuestionKind.SINGLE]
    bank.archive_question(question=question, actor=cast["trainer"].user, now=NOW)
    bank.archive_question(question=question, actor=cast["trainer"].user, now=NOW)  # twice: one entry
    assert Question.objects.get(pk=question.pk).archived_at == NOW
    bank.restore_question(question=question, actor=cast["trainer"].user)
    assert Question.objects.get(pk=question.pk).archived_at is None
    assert AuditEntry.objects.filter(object_uuid=question.uuid, action="changed").count() == 2


def test_move_and_reorder(programme, questions, cast):
    single, multiple, true_false, numeric = questions.values()
    bank.move_question(question=multiple, actor=cast["admin"].user, up=True)
    assert list(Question.objects.filter(programme=programme)) == [multiple, single, true_false, numeric]
    bank.move_question(question=multiple, actor=cast["admin"].user, up=True)  # already first: nothing
    bank.reorder_questions(programme=programme, actor=cast["admin"].user, order=[numeric])
    assert list(Question.objects.filter(programme=programme)) == [numeric, multiple, single, true_false]


def test_settings_saved_within_ranges(programme, cast):
    bank.save_quiz_settings(
        programme=programme, actor=cast["trainer"].user, desired_retention=0.85, questions_per_round=3, retire_after=3
    )
    saved = QuizSettings.objects.get(programme=programme)
    assert (saved.desired_retention, saved.questions_per_round, saved.retire_after) == (0.85, 3, 3)
    with pytest.raises(ValidationError) as caught:
        bank.save_quiz_settings(programme=programme, actor=cast["trainer"].user, desired_retention=0.99)
    assert list(caught.value.message_dict) == ["desired_retention"]
    assert QuizSettings.objects.get(programme=programme).desired_retention == 0.85


# Pages ------------------------------------------------------------------------------------------

PAGES = {
    "bank": "/quizzes/programmes/{programme}/questions/",
    "create": "/quizzes/programmes/{programme}/questions/new/",
    "edit": "/quizzes/questions/{question}/edit/",
    "import": "/quizzes/programmes/{programme}/questions/import/",
    "csv": "/quizzes/programmes/{programme}/questions.csv",
    "xlsx": "/quizzes/programmes/{programme}/questions.xlsx",
    "settings": "/quizzes/programmes/{programme}/settings/",
}


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "manager", "participant", "outsider"])
def test_role_page_matrix(programme, questions, cast, client_for, who):
    client = client_for(cast[who])
    ids = {"programme": programme.uuid, "question": questions[QuestionKind.SINGLE].uuid}
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in PAGES.items()}
    expected = {"admin": 200, "trainer": 200, "outsider": 404}.get(who, 403)
    assert statuses == dict.fromkeys(PAGES, expected)


@pytest.mark.parametrize("who", ["mentor", "participant", "outsider"])
def test_writes_refused_for_others(programme, questions, cast, client_for, who):
    client = client_for(cast[who])
    question = questions[QuestionKind.SINGLE]
    expected = 404 if who == "outsider" else 403
    assert client.post(f"/quizzes/questions/{question.uuid}/archive/").status_code == expected
    assert client.post(f"/quizzes/questions/{question.uuid}/move/", {"direction": "up"}).status_code == expected
    assert client.post(f"/quizzes/programmes/{programme.uuid}/settings/fit/").status_code == expected
    assert Question.objects.get(pk=question.pk).archived_at is None


def _form(**overrides):
    data = {"kind": "single", "difficulty": "medium", "correct": ["1"], "en-prompt": "What first?"}
    data |= {f"en-option_{n}": option for n, option in enumerate(OPTIONS_EN, start=1)}
    data |= {"pl-prompt": "Co najpierw?"} | {f"pl-option_{n}": option for n, option in enumerate(OPTIONS_PL, start=1)}
    return data | overrides


def test_create_page_saves_two_languages(programme, cast, client_for):
    response = client_for(cast["trainer"]).post(f"/quizzes/programmes/{programme.uuid}/questions/new/", _form())
    question = Question.objects.get(programme=programme)
    assert response.status_code == 302
    assert response["Location"] == f"/quizzes/questions/{question.uuid}/edit/"
    assert question.content["pl"] == {"prompt": "Co najpierw?", "explanation": "", "options": OPTIONS_PL}
    assert (question.correct, question.created_by) == ([1], cast["trainer"])


def test_create_page_keeps_the_input_and_says_what_is_wrong(programme, cast, client_for):
    data = _form(**{"pl-option_3": "", "correct": ["0", "1"]})
    response = client_for(cast["trainer"]).post(f"/quizzes/programmes/{programme.uuid}/questions/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give as many options as in English (3), in the same order." in page
    assert "Mark exactly one option as right." in page
    assert "Co najpierw?</textarea>" in page and 'value="Od celu klienta"' in page
    assert not Question.objects.exists()


def test_edit_page_shows_the_question_and_saves_changes(questions, cast, client_for):
    question = questions[QuestionKind.SINGLE]
    client = client_for(cast["admin"])
    page = client.get(f"/quizzes/questions/{question.uuid}/edit/").content.decode()
    assert 'lang="pl"' in page and "Od celu klienta" in page
    response = client.post(f"/quizzes/questions/{question.uuid}/edit/", _form(**{"en-prompt": "Changed?"}))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.content["en"]["prompt"] == "Changed?"


def test_archive_and_move_from_the_list(programme, questions, cast, client_for):
    client = client_for(cast["trainer"])
    single, multiple = questions[QuestionKind.SINGLE], questions[QuestionKind.MULTIPLE]
    assert client.post(f"/quizzes/questions/{single.uuid}/archive/").status_code == 302
    listed = client.get(f"/quizzes/programmes/{programme.uuid}/questions/").content.decode()
    assert "What do you open the call with?" not in listed
    archived = client.get(f"/quizzes/programmes/{programme.uuid}/questions/?archived=archived").content.decode()
    assert "What do you open the call with?" in archived
    client.post(f"/quizzes/questions/{single.uuid}/archive/", {"restore": "1"})
    client.post(f"/quizzes/questions/{multiple.uuid}/move/", {"direction": "up"})
    assert list(Question.objects.filter(programme=programme, archived_at=None))[:2] == [multiple, single]


def test_list_filters_and_shows_the_readers_language(programme, modules, questions, cast, client_for):
    cast["trainer"].user.language = "pl"
    cast["trainer"].user.save()
    client = client_for(cast["trainer"])
    page = client.get(f"/quizzes/programmes/{programme.uuid}/questions/?module={modules[0].pk}").content.decode()
    assert 'lang="pl">Od czego zaczynasz rozmowę?' in page
    assert "A summary should take one sentence." in page  # only in English: shown in English
    assert "Which of these acknowledge an objection?" not in page  # the other module
    only_pl = client.get(f"/quizzes/programmes/{programme.uuid}/questions/?language=pl").content.decode()
    assert "A summary should take one sentence." not in only_pl


def test_list_queries_do_not_grow_with_questions(programme, modules, cast, client_for):
    client = client_for(cast["trainer"])
    make_question(programme, module=modules[0])
    client.get(f"/quizzes/programmes/{programme.uuid}/questions/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/quizzes/programmes/{programme.uuid}/questions/")
    for position in range(2):
        make_question(programme, module=modules[1], position=position + 1)
    with CaptureQueriesContext(connection) as three:
        client.get(f"/quizzes/programmes/{programme.uuid}/questions/")
    assert len(three) == len(one)


def test_settings_page_saves_and_keeps_bad_input(programme, cast, client_for):
    client = client_for(cast["trainer"])
    url = f"/quizzes/programmes/{programme.uuid}/settings/"
    response = client.post(url, {"desired_retention": "0.5", "questions_per_round": "2", "retire_after": "2"})
    assert response.status_code == 200 and 'value="0.5"' in response.content.decode()
    assert not QuizSettings.objects.exists()
    response = client.post(url, {"desired_retention": "0.8", "questions_per_round": "1", "retire_after": "3"})
    assert response.status_code == 302
    assert QuizSettings.objects.get(programme=programme).retire_after == 3
    assert "Fit the scheduling to this programme" not in client.get(url).content.decode()  # admins only


def test_programme_page_links_the_bank_for_authors(programme, cast, client_for):
    page = client_for(cast["trainer"]).get(f"/programmes/{programme.uuid}/").content.decode()
    assert f"/quizzes/programmes/{programme.uuid}/questions/" in page
    assert f"/quizzes/programmes/{programme.uuid}/results/" in page
