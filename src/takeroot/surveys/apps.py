from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "takeroot.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from . import rules  # noqa: F401 (permissions)

        # == instruments ==
        # == responding ==
        # == distribution ==
        # == results ==
