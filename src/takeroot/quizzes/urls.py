from django.urls import path

from .views import bank, participant, results

app_name = "quizzes"
urlpatterns = [
    # Participants: answering on the web (mail links go through followup's link view).
    path("quizzes/", participant.mine, name="mine"),
    path("quizzes/enrolments/<uuid:uuid>/start/", participant.start, name="start"),
    path("quizzes/rounds/<uuid:uuid>/", participant.round_detail, name="round"),
    # The item bank and its settings.
    path("quizzes/programmes/<uuid:uuid>/questions/", bank.question_list, name="bank"),
    path("quizzes/programmes/<uuid:uuid>/questions/new/", bank.question_create, name="question_create"),
    path("quizzes/programmes/<uuid:uuid>/questions/import/", bank.bank_import, name="bank_import"),
    path(
        "quizzes/programmes/<uuid:uuid>/questions/import/preview/",
        bank.bank_import_preview,
        name="bank_import_preview",
    ),
    path(
        "quizzes/programmes/<uuid:uuid>/questions/import/errors.csv", bank.bank_import_errors, name="bank_import_errors"
    ),
    path("quizzes/programmes/<uuid:uuid>/questions.csv", bank.bank_export, {"file_format": "csv"}, name="bank_csv"),
    path("quizzes/programmes/<uuid:uuid>/questions.xlsx", bank.bank_export, {"file_format": "xlsx"}, name="bank_xlsx"),
    path("quizzes/programmes/<uuid:uuid>/settings/", bank.bank_settings, name="bank_settings"),
    path("quizzes/programmes/<uuid:uuid>/settings/fit/", bank.bank_fit, name="bank_fit"),
    path("quizzes/questions/<uuid:uuid>/edit/", bank.question_edit, name="question_edit"),
    path("quizzes/questions/<uuid:uuid>/archive/", bank.question_archive, name="question_archive"),
    path("quizzes/questions/<uuid:uuid>/move/", bank.question_move, name="question_move"),
    # Results.
    path("quizzes/cohorts/<uuid:uuid>/results/", results.cohort_results, name="cohort_results"),
    path("quizzes/cohorts/<uuid:uuid>/results.xlsx", results.cohort_results_xlsx, name="cohort_results_xlsx"),
    path("quizzes/programmes/<uuid:uuid>/results/", results.programme_results, name="programme_results"),
    path("quizzes/enrolments/<uuid:uuid>/progress/", results.progress, name="progress"),
    path("quizzes/team/", results.team_summary, name="team_summary"),
]
