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
        from .views import mine, respond

        respond.register()  # the one-click survey links of invitations and reminders
        mine.register()  # the home panel
        # == distribution ==
        from . import delivery

        delivery.register()  # the follow-up engine's survey step
        # == results ==
        from takeroot.core.demo import register_demo_extension

        from .demo import build_surveys_demo

        register_demo_extension(build_surveys_demo)
