"""The differencing attack: with every number the page, the API and the exports give out, nobody
can subtract one result from another to isolate fewer than N people (N = 5 here)."""

import io
import itertools

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from takeroot.surveys.enums import SurveyState
from takeroot.surveys.results import ResultStatus, survey_results
from tests.factories import TeamFactory

from .conftest import add_response, make_survey

SHOWN, TOO_FEW = ResultStatus.SHOWN, ResultStatus.NOT_ENOUGH


@pytest.fixture
def teams(workspace, team):
    return {
        "Sales": team,
        "Support": TeamFactory(workspace=workspace, name="Support"),
        "Ops": TeamFactory(workspace=workspace, name="Ops"),
    }


def answered_by(survey, teams, sizes: dict, answers=None):
    for name, size in sizes.items():
        for index in range(size):
            add_response(survey, answers or {0: 1 + (index + len(name)) % 5, 1: 7}, team=teams[name])


@pytest.fixture
def cohort_survey(instrument, cohort, cast, teams):
    """Twelve answers: Sales 6, Support 5, Ops 2."""
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["trainer"].user)
    answered_by(survey, teams, {"Sales": 6, "Support": 5, "Ops": 2})
    return survey


def visible_sets(survey, teams) -> dict[frozenset, int]:
    """Every group of teams whose figures for the first question anything shows: the survey
    total, each shown group of the breakdown, each filter that is not refused."""
    by_pk = {team.pk: name for name, team in teams.items()}
    everyone = frozenset(teams)
    seen = {}
    overall = survey_results(survey)
    if overall.questions[0].shown:
        seen[everyone] = overall.questions[0].n
    for group in survey_results(survey, breakdown="team").breakdown.groups:
        if group.shown and group.questions[0].shown:
            seen[frozenset([by_pk[group.key]])] = group.questions[0].n
    for team in teams.values():
        filtered = survey_results(survey, team=team)
        if not filtered.refused and filtered.questions[0].shown:
            seen[frozenset([team.name])] = filtered.questions[0].n
    return seen


def derivable(seen: dict[frozenset, int]) -> dict[frozenset, int]:
    """What subtraction yields: the difference of any set and a part of it, and again."""
    found = dict(seen)
    while True:
        more = {}
        for (a, n_a), (b, n_b) in itertools.product(found.items(), repeat=2):
            if b < a and (a - b) not in found:
                more[a - b] = n_a - n_b
        for (a, n_a), (b, n_b) in itertools.combinations(found.items(), 2):
            if not a & b and (a | b) not in found:  # disjoint sums are derivable too
                more[a | b] = n_a + n_b
        if not more:
            return found
        found |= more


def test_cohort_total_minus_a_team_breakdown_reveals_no_small_group(cohort_survey, teams):
    breakdown = survey_results(cohort_survey, breakdown="team").breakdown
    statuses = {group.label: group.status for group in breakdown.groups}

    # Sales and Support both have enough, but together they would leave Ops (2) as total minus
    # the two: Support, the smaller, is held back with Ops.
    assert statuses == {"Ops": TOO_FEW, "Sales": SHOWN, "Support": TOO_FEW}
    for group_set, n in derivable(visible_sets(cohort_survey, teams)).items():
        assert n == 0 or n >= 5, f"{sorted(group_set)} is derivable with {n} responses"


def test_a_filter_never_undoes_what_the_breakdown_held_back(cohort_survey, teams):
    assert survey_results(cohort_survey, team=teams["Ops"]).refused  # too small itself
    # Support has five, but total minus Sales minus Support would be Ops.
    assert survey_results(cohort_survey, team=teams["Support"]).refused
    sales = survey_results(cohort_survey, team=teams["Sales"])
    assert (sales.refused, sales.n) == ("", 6)


def test_a_filter_whose_complement_is_small_is_refused(instrument, cohort, teams):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    answered_by(survey, teams, {"Sales": 6, "Ops": 2})

    refused = survey_results(survey, team=teams["Sales"])
    assert refused.refused.startswith("This filter is not shown")
    assert (refused.n, refused.questions) == (None, [])
    assert survey_results(survey, breakdown="team").breakdown.refused


def test_the_rule_holds_per_question(instrument, cohort, teams):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    answered_by(survey, teams, {"Sales": 5}, answers={0: 4, 1: 8})
    answered_by(survey, teams, {"Support": 3}, answers={0: 2, 1: 3})
    answered_by(survey, teams, {"Support": 2}, answers={0: 2})

    groups = {g.label: g for g in survey_results(survey, breakdown="team").breakdown.groups}

    assert groups["Sales"].status == groups["Support"].status == SHOWN
    # Question 2: Sales 5 of 8 answers; showing Sales would make "all minus Sales" Support's 3.
    assert [q.status for q in groups["Sales"].questions[:2]] == [SHOWN, TOO_FEW]
    assert survey_results(survey).questions[1].status == SHOWN  # the total itself is fine
    assert survey_results(survey, team=teams["Sales"]).questions[1].status == TOO_FEW


def test_a_breakdown_and_a_filter_are_not_combined(cohort_survey, teams):
    assert survey_results(cohort_survey, breakdown="team", team=teams["Sales"]).refused


# The API and the exports hold the same line --------------------------------------------------


def test_the_api_refuses_the_same_filter_and_hides_the_same_groups(cohort_survey, teams, cast, client_for):
    client = client_for(cast["trainer"])
    url = f"/api/v1/surveys/{cohort_survey.uuid}/results"

    refused = client.get(url, {"team": str(teams["Support"].uuid)})
    assert refused.status_code == 400
    assert refused.json()["detail"] == survey_results(cohort_survey, team=teams["Support"]).refused
    groups = client.get(url, {"breakdown": "team"}).json()["breakdown"]["groups"]
    assert [(g["label"], g["status"], g["n"]) for g in groups] == [
        ("Ops", "not_enough_responses", None),
        ("Sales", "shown", 6),
        ("Support", "not_enough_responses", None),
    ]
    assert [g["questions"] for g in groups if g["status"] != "shown"] == [[], []]
    assert client.get(url, {"team": str(teams["Sales"].uuid)}).json()["n"] == 6


def test_the_spreadsheet_says_not_enough_responses_where_the_page_does(cohort_survey, teams, cast, client_for):
    client = client_for(cast["trainer"])
    url = reverse("surveys:survey_results_xlsx", args=[cohort_survey.uuid])

    workbook = load_workbook(io.BytesIO(client.get(url, {"breakdown": "team"}).content))
    rows = list(workbook["by team"].iter_rows(values_only=True))[1:]
    assert [row[:3] for row in rows if row[0] != "Sales"] == [
        ("Ops", None, "not enough responses"),
        ("Support", None, "not enough responses"),
    ]
    refused = load_workbook(io.BytesIO(client.get(url, {"team": str(teams["Support"].uuid)}).content))
    about = {row[0]: row[1] for row in refused["Survey"].iter_rows(values_only=True)}
    assert about["Status"].startswith("This filter is not shown")
    assert list(refused["Summary"].iter_rows(values_only=True))[1:] == []
