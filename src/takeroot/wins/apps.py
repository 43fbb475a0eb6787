from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WinsConfig(AppConfig):
    name = "takeroot.wins"
    label = "wins"
    verbose_name = _("Wins")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.digest import register_digest_section
        from takeroot.core.home import register_home_panel
        from takeroot.plans.signals import goal_reached

        from . import periodic  # noqa: F401 (registers the job)
        from .demo import build_wins_demo
        from .receivers import on_goal_reached, wins_digest_section
        from .views.pages import home_panel

        goal_reached.connect(on_goal_reached, dispatch_uid="wins.on_goal_reached")
        register_demo_extension(build_wins_demo)
        register_home_panel(home_panel)
        register_digest_section(wins_digest_section)
