"""The questionnaire library's pages: who may open what (wrong role 403, other workspace 404),
templates, the preview in four languages and per rater group, forms that keep what was typed, and
the kind-dependent question form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.surveys import instruments
from takeroot.surveys.enums import SurveyQuestionKind
from takeroot.surveys.library import create_from_template
from takeroot.surveys.models import Instrument, SurveyQuestion

from .conftest import add_response

ROLES = ["admin", "trainer", "mentor", "manager", "participant", "outsider"]


def _pages(instrument, programme):
    question = instrument.questions.get(position=5)
    i = f"/surveys/questionnaires/{instrument.uuid}"
    q = f"/surveys/questions/{question.uuid}"
    return {
        "programme_library": ("get", f"/surveys/programmes/{programme.uuid}/questionnaires/", {}, 200),
        "detail": ("get", f"{i}/", {}, 200),
        "edit": ("get", f"{i}/edit/", {}, 200),
        "question_create": ("get", f"{i}/questions/new/", {}, 200),
        "question_edit": ("get", f"{q}/edit/", {}, 200),
        "move": ("post", f"{q}/move/", {"direction": "up"}, 302),
        "copy": ("post", f"{i}/copy/", {}, 302),
        "archive": ("post", f"{i}/archive/", {}, 302),
        "delete": ("post", f"{q}/delete/", {}, 302),
    }


@pytest.mark.parametrize("who", ROLES)
def test_role_page_matrix(instrument, programme, cast, client_for, who):
    client = client_for(cast[who])
    pages = _pages(instrument, programme)
    statuses = {
        name: getattr(client, method)(path, data).status_code for name, (method, path, data, _ok) in pages.items()
    }
    if who in ("admin", "trainer"):
        expected = {name: page[3] for name, page in pages.items()}
    else:
        expected = dict.fromkeys(statuses, 404 if who == "outsider" else 403)
    assert statuses == expected


@pytest.mark.parametrize("who", ROLES)
def test_workspace_pages_by_role(workspace, cast, client_for, who):
    client = client_for(cast[who])
    statuses = {
        "library": client.get("/surveys/questionnaires/").status_code,
        "create": client.get("/surveys/questionnaires/new/").status_code,
        "template": client.post("/surveys/questionnaires/from-template/", {"template": "pulse"}).status_code,
    }
    # The outsider is an admin of their own workspace: they see its (empty) library, never acme's.
    allowed = who in ("admin", "trainer", "outsider")
    assert statuses == ({"library": 200, "create": 200, "template": 302} if allowed else dict.fromkeys(statuses, 403))
    assert Instrument.objects.filter(workspace=workspace).count() == (1 if who in ("admin", "trainer") else 0)


def test_library_lists_the_workspaces_questionnaires_and_templates(
    instrument, workspace, other_workspace, client_for, cast
):
    create_from_template(workspace=other_workspace, key="360", actor=None)
    page = client_for(cast["trainer"]).get("/surveys/questionnaires/").content.decode()
    assert "How was the training?" in page
    assert "360° feedback" in page  # the template card, in the reader's language
    assert page.count("/surveys/questionnaires/" + str(instrument.uuid)) == 1
    assert "Use this template" in page
    assert Instrument.objects.filter(workspace=other_workspace).get().uuid.hex not in page.replace("-", "")


def test_library_list_has_no_n_plus_one(workspace, programme, client_for, cast):
    client = client_for(cast["admin"])
    create_from_template(workspace=workspace, key="pulse", actor=None, programme=programme)
    client.get("/surveys/questionnaires/")
    with CaptureQueriesContext(connection) as one:
        client.get("/surveys/questionnaires/")
    for key in ("reaction", "360"):
        create_from_template(workspace=workspace, key=key, actor=None, programme=programme)
    with CaptureQueriesContext(connection) as three:
        client.get("/surveys/questionnaires/")
    assert len(three) == len(one)


def test_start_from_a_template_for_a_programme(programme, client_for, cast):
    response = client_for(cast["trainer"]).post(
        "/surveys/questionnaires/from-template/", {"template": "reaction", "programme": str(programme.uuid)}
    )
    instrument = Instrument.objects.get()
    assert response.url == f"/surveys/questionnaires/{instrument.uuid}/"
    assert (instrument.programme, instrument.kind, instrument.questions.count()) == (programme, "reaction", 7)


def test_unknown_template_is_refused_with_a_message(client_for, cast, workspace):
    response = client_for(cast["admin"]).post(
        "/surveys/questionnaires/from-template/", {"template": "nps"}, follow=True
    )
    assert "Choose one of the ready templates." in response.content.decode()
    assert not Instrument.objects.exists()


def test_preview_in_each_language_and_per_rater_group(workspace, client_for, cast):
    instrument = create_from_template(workspace=workspace, key="360", actor=None)
    client = client_for(cast["trainer"])
    url = f"/surveys/questionnaires/{instrument.uuid}/"
    page = client.get(url, {"lang": "pl"}).content.decode()
    assert "Informacja zwrotna 360°" in page
    assert "Ta osoba komunikuje się jasno i aktywnie słucha." in page
    assert "Zdecydowanie się zgadzam" in page
    page = client.get(url, {"lang": "zh-hans", "group": "self"}).content.decode()
    assert "我沟通清晰，并积极倾听。" in page
    assert "此人沟通清晰" not in page  # the others' wording is not shown to Self
    page = client.get(url, {"lang": "sv", "group": "peer"}).content.decode()
    assert "Personen kommunicerar tydligt och lyssnar aktivt." in page
    assert "Jag kommunicerar tydligt" not in page


def test_preview_falls_back_to_english_for_a_question_without_the_language(instrument, client_for, cast):
    page = client_for(cast["trainer"]).get(f"/surveys/questionnaires/{instrument.uuid}/", {"lang": "pl"})
    text = page.content.decode()
    assert "Szkolenie było przydatne w mojej pracy." in text
    assert '<span lang="en">Would you recommend it to a colleague?</span>' in text


def test_create_questionnaire_keeps_typed_text_on_error(client_for, cast, programme):
    client = client_for(cast["trainer"])
    response = client.post(
        "/surveys/questionnaires/new/",
        {"anonymity": "confidential", "sv-introduction": "Tack för att du svarar.", "programme": str(programme.pk)},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Give a title in this language, or leave its introduction empty too." in text
    assert "Tack för att du svarar." in text
    response = client.post(
        "/surveys/questionnaires/new/",
        {"anonymity": "anonymous", "sv-title": "Efter kursen", "programme": str(programme.pk)},
    )
    instrument = Instrument.objects.get()
    assert response.url == f"/surveys/questionnaires/{instrument.uuid}/"
    assert (instrument.content, instrument.anonymity, instrument.programme) == (
        {"sv": {"title": "Efter kursen", "introduction": ""}},
        "anonymous",
        programme,
    )


def test_question_form_shows_the_fields_of_its_kind(instrument, client_for, cast):
    client = client_for(cast["trainer"])
    url = f"/surveys/questionnaires/{instrument.uuid}/questions/new/"
    page = client.get(url).content.decode()
    assert 'name="en-low"' in page and 'type="text" name="en-option_1"' not in page
    typed = {"kind": "single", "en-prompt": "Which day suits you?", "show_kind": "1"}
    page = client.post(url, typed).content.decode()
    assert 'type="text" name="en-option_1"' in page
    assert "Which day suits you?" in page
    assert "was not saved" not in page
    assert SurveyQuestion.objects.filter(instrument=instrument).count() == 6


def test_question_form_errors_keep_what_was_typed(instrument, client_for, cast):
    client = client_for(cast["trainer"])
    url = f"/surveys/questionnaires/{instrument.uuid}/questions/new/"
    data = {
        "kind": "matrix",
        "scale_points": "5",
        "en-prompt": "The coach",
        "pl-prompt": "Coach",
        "en-row_1": "listens",
    }
    page = client.post(url, data).content.decode()
    assert "A matrix needs between 1 and 12 statements." in page  # Polish has none
    assert "listens" in page and "The coach" in page
    data |= {"pl-row_1": "słucha", "rater_groups": ["manager", "peer"], "required": "on"}
    response = client.post(url, data)
    question = SurveyQuestion.objects.get(instrument=instrument, position=6)
    assert response.url == f"/surveys/questionnaires/{instrument.uuid}/#question-{question.uuid}"
    assert question.content == {
        "en": {"prompt": "The coach", "rows": ["listens"]},
        "pl": {"prompt": "Coach", "rows": ["słucha"]},
    }
    assert (question.rater_groups, question.required) == (["manager", "peer"], True)


def test_edit_an_answered_question_says_what_cannot_change(instrument, survey, client_for, cast):
    add_response(survey, {2: 0})
    question = instrument.questions.get(position=2)
    client = client_for(cast["admin"])
    page = client.get(f"/surveys/questions/{question.uuid}/edit/").content.decode()
    assert "This question has already been answered." in page
    page = client.post(
        f"/surveys/questions/{question.uuid}/edit/", {"kind": "text", "en-prompt": "The pace was"}
    ).content.decode()
    assert "its kind cannot change" in page
    response = client.post(f"/surveys/questions/{question.uuid}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()


def test_archive_from_the_page(instrument, client_for, cast, workspace):
    client = client_for(cast["trainer"])
    client.post(f"/surveys/questionnaires/{instrument.uuid}/archive/")
    assert list(instruments.instruments_in(workspace)) == []
    link = f"/surveys/questionnaires/{instrument.uuid}/"
    assert link not in client.get("/surveys/questionnaires/").content.decode()
    assert link in client.get("/surveys/questionnaires/?archived=archived").content.decode()
    client.post(f"/surveys/questionnaires/{instrument.uuid}/archive/", {"restore": "1"})
    instrument.refresh_from_db()
    assert instrument.archived is False


def test_move_puts_the_question_first(instrument, client_for, cast):
    last = instrument.questions.get(position=5)
    client = client_for(cast["trainer"])
    for _step in range(5):
        client.post(f"/surveys/questions/{last.uuid}/move/", {"direction": "up"})
    last.refresh_from_db()
    assert last.position == 0
    assert SurveyQuestion.objects.filter(instrument=instrument, kind=SurveyQuestionKind.LIKERT_5).get().position == 1
