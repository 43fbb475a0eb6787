from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "takeroot.competence"
    label = "competence"
    verbose_name = _("Competence-development plans")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.home import register_home_panel
        from takeroot.programmes.calendar import register_feed_events

        from .calendar import feed_events
        from .demo import build_plans_demo
        from .views.plans import home_panel

        register_demo_extension(build_plans_demo)
        register_home_panel(home_panel)
        register_feed_events(feed_events)
