from django.urls import include, path

from .api import api
from .core.views import account, api_docs

urlpatterns = [
    # First: an LMS posts statements many times a second, and each pattern above it costs a match.
    path("xapi/", include("takeroot.tracking.xapi.urls")),
    path("", include("takeroot.core.urls")),
    path("", include("takeroot.programmes.urls")),
    path("", include("takeroot.catalogue.urls")),
    path("", include("takeroot.retrospectives.urls")),
    path("", include("takeroot.competence.urls")),
    path("", include("takeroot.plans.urls")),
    path("", include("takeroot.practice.urls")),
    path("", include("takeroot.peers.urls")),
    path("", include("takeroot.wins.urls")),
    path("", include("takeroot.followup.urls")),
    path("", include("takeroot.quizzes.urls")),
    path("", include("takeroot.surveys.urls")),
    path("", include("takeroot.tickets.urls")),
    path("", include("takeroot.tracking.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account.set_language, name="set_language"),
    path("api/v1/docs", api_docs.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
]

handler403 = "takeroot.core.views.errors.permission_denied"
handler404 = "takeroot.core.views.errors.page_not_found"
