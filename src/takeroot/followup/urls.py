from django.urls import path

from .views import designs as design_pages
from .views import links as link_pages
from .views import people as person_pages
from .views import preferences as preference_pages
from .views import sessions as session_pages
from .views import settings as delivery_pages
from .views import timeline as timeline_pages

app_name = "followup"
urlpatterns = [
    # Designs (under their programme)
    path("programmes/<uuid:uuid>/follow-up/", design_pages.design, name="design"),
    path("programmes/<uuid:uuid>/follow-up/start/", design_pages.design_create, name="design_create"),
    path("programmes/<uuid:uuid>/follow-up/delete/", design_pages.design_delete, name="design_delete"),
    path("programmes/<uuid:uuid>/follow-up/preview/", design_pages.preview, name="design_preview"),
    path("programmes/<uuid:uuid>/follow-up/preview/send/", design_pages.test_send, name="design_test_send"),
    path("programmes/<uuid:uuid>/follow-up/steps/new/", design_pages.step_edit, name="step_create"),
    path("programmes/<uuid:uuid>/follow-up/steps/<uuid:step>/", design_pages.step_edit, name="step_edit"),
    path("programmes/<uuid:uuid>/follow-up/steps/<uuid:step>/move/", design_pages.step_move, name="step_move"),
    path("programmes/<uuid:uuid>/follow-up/steps/<uuid:step>/delete/", design_pages.step_delete, name="step_delete"),
    # The cohort's timeline, a person's follow-up and holds, delivery settings
    path("cohorts/<uuid:uuid>/follow-up/", timeline_pages.cohort_followup, name="cohort"),
    path("follow-up/touchpoints/<uuid:uuid>/resend/", timeline_pages.touchpoint_resend, name="touchpoint_resend"),
    path("follow-up/touchpoints/<uuid:uuid>/cancel/", timeline_pages.touchpoint_cancel, name="touchpoint_cancel"),
    path("follow-up/", person_pages.my_followup, name="mine"),
    path("people/<uuid:uuid>/follow-up/", person_pages.person_followup, name="person"),
    path("follow-up/holds/<uuid:uuid>/cancel/", person_pages.hold_cancel, name="hold_cancel"),
    path("workspace/follow-up/", delivery_pages.delivery_settings, name="delivery_settings"),
    path("workspace/follow-up/new-secret/", delivery_pages.new_secret, name="new_secret"),
    # One-click links and mail preferences
    path("l/unsubscribe/<str:token>/", link_pages.unsubscribe_link, name="unsubscribe"),
    path("l/<str:token>/", link_pages.open_link, name="link"),
    path("follow-up/preferences/", preference_pages.preferences, name="preferences"),
    # Follow-up sessions
    path("cohorts/<uuid:uuid>/follow-up-sessions/", session_pages.cohort_sessions, name="cohort_sessions"),
    path("cohorts/<uuid:uuid>/follow-up-sessions/new/", session_pages.session_new, name="session_new"),
    path("follow-up-sessions/<uuid:uuid>/", session_pages.session_detail, name="session_detail"),
    path("follow-up-sessions/<uuid:uuid>/edit/", session_pages.session_edit, name="session_edit"),
    path("follow-up-sessions/<uuid:uuid>/cancel/", session_pages.session_cancel, name="session_cancel"),
    path("follow-up-sessions/<uuid:uuid>/answer/", session_pages.session_answer, name="session_answer"),
    path("follow-up-sessions/<uuid:uuid>/attendance/", session_pages.session_attendance, name="session_attendance"),
    path("follow-up-sessions/<uuid:uuid>/notes/", session_pages.session_notes, name="session_notes"),
    path("follow-up-sessions/<uuid:uuid>/steps/", session_pages.session_step, name="session_step"),
]
