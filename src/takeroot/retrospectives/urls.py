from django.urls import path

from . import report_urls
from .views import admin, rater

app_name = "retrospectives"
urlpatterns = [
    path("retrospectives/", admin.retrospective_list, name="retrospective_list"),
    path("retrospectives/new/", admin.retrospective_open, name="retrospective_open"),
    path("retrospectives/<uuid:uuid>/", admin.retrospective_detail, name="retrospective_detail"),
    path("retrospectives/<uuid:uuid>/edit/", admin.retrospective_edit, name="retrospective_edit"),
    path("retrospectives/<uuid:uuid>/delete/", admin.retrospective_delete, name="retrospective_delete"),
    path("retrospectives/<uuid:uuid>/close/", admin.retrospective_close, name="retrospective_close"),
    path("retrospectives/<uuid:uuid>/reopen/", admin.retrospective_reopen, name="retrospective_reopen"),
    path("retrospectives/<uuid:uuid>/remind/", admin.retrospective_remind, name="retrospective_remind"),
    path("retrospectives/<uuid:uuid>/raters/<uuid:rater>/remove/", admin.rater_remove, name="rater_remove"),
    path(
        "retrospectives/<uuid:uuid>/indicators/<uuid:indicator>/remove/",
        admin.indicator_remove,
        name="indicator_remove",
    ),
    path("retrospectives/<uuid:uuid>/rate/", rater.rate, name="rate"),
    *report_urls.urlpatterns,
]
