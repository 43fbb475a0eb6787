from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetrospectivesConfig(AppConfig):
    name = "takeroot.retrospectives"
    label = "retrospectives"
    verbose_name = _("Retrospectives")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.home import register_home_panel

        from .demo import build_retrospectives_demo
        from .views.rater import home_panel

        register_demo_extension(build_retrospectives_demo)
        register_home_panel(home_panel)
