"""Benchmark: survey results of a large programme under the anonymity thresholds.

Run from the repository root: ``.venv/bin/python bench/surveys_results.py``. On a fresh SQLite
database it sends the reaction template to 10 cohorts of 400 people in 20 teams and answers every
question of it for each (4,000 confidential responses, 40,000 answers, comments included). It then
times what the results pages compute: one cohort's survey, the same broken down by team (with the
differencing rule over 20 groups), and the programme page over all 10 cohorts (each cohort, the
programme average and the months), after one first computation that pays for loading scipy; each
figure after it is the fastest of three. The targets are under 1 s for a survey page and under 3 s
for the programme page.
"""

import datetime
import random
import time

from _fresh import in_fresh_installation, timed

COHORTS = 10
PER_COHORT = 400
TEAMS = 20
NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
COMMENTS = ["More practice, please.", "The examples were close to my work.", "Shorter breaks.", "Great trainer."]


def _value(question, text: dict, rng: random.Random) -> dict | list[dict]:
    """The answer fields of one question, as the responding service would store them."""
    kind = question.kind
    if kind == "text":
        return {"text": rng.choice(COMMENTS)}
    if kind == "multiple":
        options = len(text.get("options") or []) or 1
        return {"choices": sorted(rng.sample(range(options), k=min(options, 2)))}
    if kind == "single":
        return {"number": rng.randrange(len(text.get("options") or []) or 1)}
    if kind == "scale_10":
        return {"number": rng.randint(5, 10)}
    points = {"likert_5": 5, "likert_7": 7}.get(kind, question.scale_points)
    if kind == "matrix":
        return [{"row": row, "number": rng.randint(2, points)} for row in range(len(text.get("rows") or []))]
    return {"number": rng.randint(2, points)}


def run() -> None:
    from takeroot.core.models import Team
    from takeroot.core.scope import across_workspaces
    from takeroot.core.services import create_workspace
    from takeroot.programmes.models import Cohort, Programme
    from takeroot.surveys.library import create_from_template
    from takeroot.surveys.models import Response, Survey, SurveyAnswer, text_in
    from takeroot.surveys.results import programme_results, survey_results

    rng = random.Random(7)
    workspace = create_workspace(name="Bench", slug="bench")
    with across_workspaces():
        started = time.perf_counter()
        teams = Team.objects.bulk_create(Team(workspace=workspace, name=f"Team {n}") for n in range(TEAMS))
        programme = Programme.objects.create(workspace=workspace, name="Customer conversations")
        instrument = create_from_template(workspace=workspace, key="reaction", actor=None, programme=programme)
        questions = [(question, text_in(question.content, "en")) for question in instrument.questions.all()]
        surveys = []
        for number in range(COHORTS):
            starts = datetime.date(2026, 1, 5) + datetime.timedelta(weeks=4 * number)
            cohort = Cohort.objects.create(
                workspace=workspace,
                programme=programme,
                name=f"Cohort {number + 1}",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=4),
            )
            surveys.append(
                Survey.objects.create(
                    workspace=workspace,
                    instrument=instrument,
                    programme=programme,
                    cohort=cohort,
                    title=f"After cohort {number + 1}",
                    state="closed",
                    closes_at=NOW,
                    opened_at=NOW,
                    closed_at=NOW,
                )
            )
        answers = 0
        for survey in surveys:
            week = survey.cohort.ends_on - datetime.timedelta(days=survey.cohort.ends_on.weekday())
            responses = Response.objects.bulk_create(
                Response(workspace=workspace, survey=survey, team=teams[n % TEAMS], week=week)
                for n in range(PER_COHORT)
            )
            rows = []
            for response in responses:
                for question, text in questions:
                    value = _value(question, text, rng)
                    for fields in value if isinstance(value, list) else [value]:
                        rows.append(SurveyAnswer(workspace=workspace, response=response, question=question, **fields))
            SurveyAnswer.objects.bulk_create(rows, batch_size=5000)
            answers += len(rows)
        setup_seconds = time.perf_counter() - started

        _cold, cold_seconds = timed(lambda: survey_results(surveys[1]), runs=1)  # loads scipy on first use
        one, one_seconds = timed(lambda: survey_results(surveys[0]))
        by_team, team_seconds = timed(lambda: survey_results(surveys[0], breakdown="team"))
        whole, programme_seconds = timed(lambda: programme_results(programme))
        assert one.shown
        assert one.n == PER_COHORT
        assert by_team.breakdown is not None
        assert len(whole.questions) == len(questions)
        assert all(point.result.shown for point in whole.questions[0].cohorts)

    print(f"BENCH surveys_results_first_in_process {cold_seconds:.3f} s")
    print(f"BENCH surveys_results_one_survey_{PER_COHORT} {one_seconds:.3f} s")
    print(f"BENCH surveys_results_by_team_{TEAMS}_teams {team_seconds:.3f} s")
    print(f"BENCH surveys_results_programme_{COHORTS * PER_COHORT} {programme_seconds:.3f} s")
    print(f"BENCH surveys_results_answers {answers} answers")
    print(f"BENCH surveys_results_setup {setup_seconds:.1f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
