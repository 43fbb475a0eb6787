from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "takeroot.programmes"
    label = "programmes"
    verbose_name = _("Programmes and cohorts")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.home import register_home_panel

        from .demo import build_programmes_demo
        from .views.mine import home_panel

        register_demo_extension(build_programmes_demo)
        register_home_panel(home_panel)
