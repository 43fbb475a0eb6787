from django.urls import path

from .views import account, admin, home, imports, people, teams

app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    path("workspace/switch/", account.switch_workspace, name="switch_workspace"),
    path("profile/", account.profile, name="profile"),
    path("invitation/<str:token>/", account.accept_invitation, name="accept_invitation"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/invite/", people.invite_pending, name="invite_pending"),
    path("people/import/", imports.import_upload, name="import_upload"),
    path("people/import/<uuid:uuid>/", imports.import_preview, name="import_preview"),
    path("people/<uuid:uuid>/", people.person_detail, name="person_detail"),
    path("people/<uuid:uuid>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:uuid>/invite/", people.person_invite, name="person_invite"),
    path("people/<uuid:uuid>/remove/", people.person_remove, name="person_remove"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<uuid:uuid>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<uuid:uuid>/delete/", teams.team_delete, name="team_delete"),
    path("audit/", admin.audit_log, name="audit_log"),
    path("settings/", admin.workspace_settings, name="workspace_settings"),
    path("settings/api-keys/", admin.api_keys, name="api_keys"),
    path("settings/api-keys/<uuid:uuid>/revoke/", admin.api_key_revoke, name="api_key_revoke"),
]
