"""The results pages: the role × page matrix (wrong role 403, other workspace 404), what each
reader sees (flags in words, the manager never the answers), low-data states and the XLSX copy."""

import io

import pytest
from openpyxl import load_workbook

from takeroot.quizzes.enums import QuestionKind
from tests.factories import PersonFactory, UserFactory

from .conftest import NOW
from .test_analytics import answer, answered, people_of_cohort  # noqa: F401 (fixtures)

PAGES = {
    "cohort": "/quizzes/cohorts/{cohort}/results/",
    "xlsx": "/quizzes/cohorts/{cohort}/results.xlsx",
    "programme": "/quizzes/programmes/{programme}/results/",
    "progress": "/quizzes/enrolments/{enrolment}/progress/",
    "team": "/quizzes/team/",
}
COHORT = {"cohort", "xlsx"}
EXPECTED = {
    # who: pages answering 200; in the workspace, the others answer 403
    "admin": set(PAGES),
    "trainer": COHORT | {"programme", "progress"},
    "other_trainer": {"programme"},
    "manager": {"progress", "team"},
    "participant": {"progress"},
    "other_participant": set(),
    "mentor": set(),
}


@pytest.fixture
def other_trainer(workspace):
    user = UserFactory(email="trainer2@acme.test", name="Tina Trainer")
    return PersonFactory(workspace=workspace, user=user, is_trainer=True, is_participant=False)


@pytest.fixture
def people(cast, other_trainer):
    return cast | {"other_trainer": other_trainer}


@pytest.fixture
def ids(cohort, programme, enrolment):
    return {"cohort": cohort.uuid, "programme": programme.uuid, "enrolment": enrolment.uuid}


@pytest.mark.parametrize("who", [*sorted(EXPECTED), "outsider"])
def test_role_page_matrix(ids, people, client_for, who):
    client = client_for(people[who])
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in PAGES.items()}
    if who == "outsider":
        # Their own workspace's team page; everything of another workspace does not exist.
        assert statuses == dict.fromkeys(set(PAGES) - {"team"}, 404) | {"team": 200}
    else:
        assert statuses == {name: 200 if name in EXPECTED[who] else 403 for name in PAGES}


@pytest.mark.usefixtures("answered")
def test_cohort_page_flags_weak_spots_in_words(cohort, client_for, cast):
    page = client_for(cast["trainer"]).get(f"/quizzes/cohorts/{cohort.uuid}/results/").content.decode()
    assert "<strong>Weak spot</strong>" in page
    assert "First-attempt accuracy 20 % is below 60 %." in page
    assert "at least 5 people have answered it for the first time" in page
    assert "Changing the subject (3); Repeating the price (3)" in page
    assert "Confidently wrong answers" in page and ">Eve</a>" in page
    assert "<svg" in page and 'role="img"' in page


def test_cohort_page_without_answers_says_so(cohort, questions, client_for, cast):
    page = client_for(cast["trainer"]).get(f"/quizzes/cohorts/{cohort.uuid}/results/").content.decode()
    assert "No answers yet. Results appear here once participants answer their first quiz round." in page
    assert "No confidently wrong answers." in page
    assert "<svg" not in page


@pytest.mark.usefixtures("answered")
def test_programme_page_compares_cohorts(programme, client_for, cast):
    page = client_for(cast["admin"]).get(f"/quizzes/programmes/{programme.uuid}/results/").content.decode()
    assert "Accuracy per cohort" in page and "Kraków spring" in page
    assert ">Eve<" not in page  # no names at the programme level


def test_progress_shows_answers_to_the_participant(enrolment, questions, client_for, cast):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=False, choices=[0], stability=2.0)
    page = client_for(cast["participant"]).get(f"/quizzes/enrolments/{enrolment.uuid}/progress/").content.decode()
    assert "My quiz progress" in page
    assert "The customer&#x27;s goal frames the whole call." in page
    assert "<strong>Wrong</strong>" in page
    assert "Predicted recall per module, week by week" in page


def test_progress_shows_the_manager_the_summary_only(enrolment, questions, client_for, cast):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=False, choices=[0], stability=2.0)
    page = client_for(cast["manager"]).get(f"/quizzes/enrolments/{enrolment.uuid}/progress/").content.decode()
    assert "Quiz progress of Pia Participant" in page
    assert "Accuracy and predicted recall per module" in page
    assert "What do you open the call with?" not in page
    assert "frames the whole call" not in page


def test_team_summary_lists_the_managers_people(enrolment, other_enrolment, questions, client_for, cast):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=True, choices=[1], stability=2.0)
    page = client_for(cast["manager"]).get("/quizzes/team/").content.decode()
    assert "Quiz summary of Pia Participant in Kraków spring" in page
    assert "Olek Other" not in page
    assert "What do you open the call with?" not in page


def test_team_summary_without_people(client_for, cast):
    page = client_for(cast["admin"]).get("/quizzes/team/").content.decode()
    assert "None of your people takes part in a programme with quizzes yet." in page


@pytest.mark.usefixtures("answered")
def test_xlsx_has_the_tables(cohort, client_for, cast):
    response = client_for(cast["trainer"]).get(f"/quizzes/cohorts/{cohort.uuid}/results.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Modules", "Learning objectives", "Questions", "Participants"]
    modules = [[cell.value for cell in row] for row in workbook["Modules"].iter_rows()]
    assert modules[2][:4] == ["Handling objections", 8, 3, 0.375]
    assert modules[2][-1] == "First-attempt accuracy 20 % is below 60 %."


def test_cohort_page_offers_the_quiz_results_button(cohort, client_for, cast):
    assert "Quiz results" in client_for(cast["trainer"]).get(f"/cohorts/{cohort.uuid}/").content.decode()
    assert "Quiz results" not in client_for(cast["participant"]).get(f"/cohorts/{cohort.uuid}/").content.decode()


def test_home_panel_leads_the_manager_to_the_team_summary(enrolment, questions, client_for, cast):
    client = client_for(cast["manager"])
    assert "Quizzes of my team" not in client.get("/").content.decode()
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=True, choices=[1])
    page = client.get("/").content.decode()
    assert "See how 1 of your people does in the spaced quizzes" in page
    assert "Quizzes of my team" not in client_for(cast["participant"]).get("/").content.decode()
