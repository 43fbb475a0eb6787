from django.urls import path

app_name = "surveys"
urlpatterns: list = []
# == instruments ==
from .views import instruments as _instruments  # noqa: E402
from .views import survey_settings as _survey_settings  # noqa: E402

urlpatterns += [
    path("surveys/questionnaires/", _instruments.library, name="library"),
    path("surveys/programmes/<uuid:uuid>/questionnaires/", _instruments.library, name="programme_library"),
    path("surveys/questionnaires/new/", _instruments.instrument_create, name="instrument_create"),
    path("surveys/questionnaires/from-template/", _instruments.from_template, name="instrument_from_template"),
    path("surveys/questionnaires/<uuid:uuid>/", _instruments.instrument_detail, name="instrument_detail"),
    path("surveys/questionnaires/<uuid:uuid>/edit/", _instruments.instrument_edit, name="instrument_edit"),
    path("surveys/questionnaires/<uuid:uuid>/copy/", _instruments.instrument_copy, name="instrument_copy"),
    path("surveys/questionnaires/<uuid:uuid>/archive/", _instruments.instrument_archive, name="instrument_archive"),
    path(
        "surveys/questionnaires/<uuid:uuid>/questions/new/",
        _instruments.question_create,
        name="instrument_question_create",
    ),
    path("surveys/questions/<uuid:uuid>/edit/", _instruments.question_edit, name="instrument_question_edit"),
    path("surveys/questions/<uuid:uuid>/delete/", _instruments.question_delete, name="instrument_question_delete"),
    path("surveys/questions/<uuid:uuid>/move/", _instruments.question_move, name="instrument_question_move"),
    path("surveys/settings/", _survey_settings.survey_settings, name="anonymity_settings"),
]
# == responding ==
from .views import mine as _mine  # noqa: E402
from .views import respond as _respond  # noqa: E402

urlpatterns += [
    path("surveys/mine/", _mine.mine, name="mine"),
    path("surveys/<uuid:uuid>/respond/", _respond.respond, name="respond"),
    path("surveys/<uuid:uuid>/respond/thanks/", _respond.thanks, name="thanks"),
]
# == distribution ==
from .views import manage as _manage  # noqa: E402

urlpatterns += [
    path("surveys/", _manage.survey_list, name="survey_list"),
    path("surveys/new/", _manage.survey_create, name="survey_create"),
    path("surveys/<uuid:uuid>/", _manage.survey_detail, name="survey_detail"),
    path("surveys/<uuid:uuid>/open/", _manage.survey_open, name="survey_open"),
    path("surveys/<uuid:uuid>/remind/", _manage.survey_remind, name="survey_remind"),
    path("surveys/<uuid:uuid>/close/", _manage.survey_close, name="survey_close"),
    path("surveys/<uuid:uuid>/closing-date/", _manage.survey_extend, name="survey_extend"),
    path("surveys/<uuid:uuid>/recipients/", _manage.survey_add_recipients, name="survey_add_recipients"),
]
# == results ==
from .views import results as _results  # noqa: E402

urlpatterns += [
    path("surveys/<uuid:uuid>/results/", _results.survey_results_page, name="survey_results"),
    path("surveys/<uuid:uuid>/results.xlsx", _results.survey_results_xlsx, name="survey_results_xlsx"),
    path("surveys/<uuid:uuid>/results.pdf", _results.survey_results_pdf, name="survey_results_pdf"),
    path("surveys/programmes/<uuid:uuid>/results/", _results.programme_results_page, name="programme_results"),
]
