from django.urls import path

from .views import calendar, cohorts, imports, mine, programmes

app_name = "programmes"
urlpatterns = [
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<uuid:uuid>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<uuid:uuid>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<uuid:uuid>/copy/", programmes.programme_copy, name="programme_copy"),
    path("programmes/<uuid:uuid>/delete/", programmes.programme_delete, name="programme_delete"),
    path("programmes/<uuid:uuid>/modules/new/", programmes.module_edit, name="module_create"),
    path("programmes/<uuid:uuid>/modules/<uuid:module>/", programmes.module_edit, name="module_edit"),
    path("programmes/<uuid:uuid>/modules/<uuid:module>/move/", programmes.module_move, name="module_move"),
    path("programmes/<uuid:uuid>/modules/<uuid:module>/delete/", programmes.module_delete, name="module_delete"),
    path("programmes/<uuid:uuid>/goals/new/", programmes.goal_edit, name="goal_create"),
    path("programmes/<uuid:uuid>/goals/<uuid:goal>/", programmes.goal_edit, name="goal_edit"),
    path("programmes/<uuid:uuid>/goals/<uuid:goal>/delete/", programmes.goal_delete, name="goal_delete"),
    path("programmes/<uuid:uuid>/cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("cohorts/<uuid:uuid>/", cohorts.cohort_detail, name="cohort_detail"),
    path("cohorts/<uuid:uuid>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<uuid:uuid>/copy/", cohorts.cohort_copy, name="cohort_copy"),
    path("cohorts/<uuid:uuid>/sessions/new/", cohorts.session_edit, name="session_create"),
    path("cohorts/<uuid:uuid>/sessions/<uuid:session>/", cohorts.session_edit, name="session_edit"),
    path("cohorts/<uuid:uuid>/sessions/<uuid:session>/cancel/", cohorts.session_cancel, name="session_cancel"),
    path("cohorts/<uuid:uuid>/enrol/", cohorts.enrol, name="enrol"),
    path("cohorts/<uuid:uuid>/enrolments/<uuid:enrolment>/", cohorts.enrolment_edit, name="enrolment_edit"),
    path("cohorts/<uuid:uuid>/goals/", cohorts.goal_propose, name="cohort_goal_propose"),
    path("cohorts/<uuid:uuid>/goals/<uuid:goal>/confirm/", cohorts.goal_confirm, name="cohort_goal_confirm"),
    path("cohorts/<uuid:uuid>/review/", cohorts.review, name="review"),
    path("cohorts/<uuid:uuid>/calendar.ics", calendar.cohort_ics, name="cohort_ics"),
    path("cohorts/<uuid:uuid>/import/", imports.enrolment_import_upload, name="enrolment_import"),
    path(
        "cohorts/<uuid:uuid>/import/<uuid:import_uuid>/",
        imports.enrolment_import_preview,
        name="enrolment_import_preview",
    ),
    path("my/programmes/", mine.my_programmes, name="my_programmes"),
    path("my/team/training/", mine.team_training, name="team_training"),
    path("calendar/<str:token>.ics", calendar.personal_feed, name="personal_feed"),
    path("calendar/reset/", calendar.reset_feed, name="reset_feed"),
]
