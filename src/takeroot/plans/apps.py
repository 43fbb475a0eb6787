from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "takeroot.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.digest import register_digest_section
        from takeroot.core.home import register_home_panel

        from .demo import build_action_plans_demo
        from .digest import participant_section, support_section, team_section
        from .views.pages import home_panel

        register_demo_extension(build_action_plans_demo)
        register_home_panel(home_panel)
        for section in (team_section, support_section, participant_section):
            register_digest_section(section)
