from django.urls import path

from .views import digests, pages

app_name = "wins"
urlpatterns = [
    path("wins/", pages.feed, name="feed"),
    path("wins/mine/", pages.my_wins, name="my_wins"),
    path("wins/new/", pages.mark, name="mark"),
    path("wins/team/<uuid:team_uuid>/", pages.team_feed, name="team_feed"),
    path("wins/digests/", digests.digest_list, name="digest_list"),
    path("wins/digests/new/", digests.digest_create, name="digest_create"),
    path("wins/digests/<uuid:uuid>/edit/", digests.digest_edit, name="digest_edit"),
    path("wins/digests/<uuid:uuid>/send/", digests.digest_send, name="digest_send"),
    path("wins/digests/<uuid:uuid>/newsletter/", digests.newsletter, name="digest_newsletter"),
    path("wins/<uuid:uuid>/", pages.win_detail, name="win_detail"),
    path("wins/<uuid:uuid>/share/", pages.win_share, name="win_share"),
    path("wins/<uuid:uuid>/react/", pages.react, name="react"),
]
