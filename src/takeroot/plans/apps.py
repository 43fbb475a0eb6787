from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "takeroot.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.home import register_home_panel

        from .demo import build_action_plans_demo
        from .views.pages import home_panel

        register_demo_extension(build_action_plans_demo)
        register_home_panel(home_panel)
