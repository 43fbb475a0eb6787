from django.urls import path

from .views import community, grouping, teams

app_name = "peers"
urlpatterns = [
    path("peers/", community.my_communities, name="mine"),
    path("peers/ambassadors/", teams.ambassadors, name="ambassadors"),
    path("peers/teams/<uuid:team_uuid>/", teams.team_page, name="team_page"),
    path("peers/teams/<uuid:team_uuid>/ambassador/", teams.team_ambassador, name="team_ambassador"),
    path("peers/cohort/<uuid:cohort_uuid>/", community.cohort_page, name="cohort_page"),
    path("peers/cohort/<uuid:cohort_uuid>/groups/", grouping.groups_page, name="groups_page"),
    path("peers/cohort/<uuid:cohort_uuid>/groups/auto/", grouping.auto_groups, name="auto_groups"),
    path("peers/groups/<uuid:group_uuid>/", community.group_page, name="group_page"),
    path("peers/groups/<uuid:group_uuid>/edit/", grouping.group_edit, name="group_edit"),
    path("peers/groups/<uuid:group_uuid>/members/<uuid:person_uuid>/", grouping.member_change, name="member_change"),
    path("peers/threads/<uuid:thread_uuid>/", community.thread_page, name="thread_detail"),
    path("peers/threads/<uuid:thread_uuid>/moderate/", community.thread_moderate, name="thread_moderate"),
    path("peers/threads/<uuid:thread_uuid>/hide/", community.thread_hide, name="thread_hide"),
    path("peers/posts/<uuid:post_uuid>/edit/", community.post_edit, name="post_edit"),
    path("peers/posts/<uuid:post_uuid>/hide/", community.post_hide, name="post_hide"),
    path("peers/posts/<uuid:post_uuid>/show/", community.post_show, name="post_show"),
]
