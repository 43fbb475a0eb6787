from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "takeroot.practice"
    label = "practice"
    verbose_name = _("Practice tasks")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.digest import register_digest_section
        from takeroot.core.home import register_home_panel

        from .demo import build_practice_demo
        from .digest import reports_to_review_section, tasks_due_section
        from .views.participant import home_panel

        register_demo_extension(build_practice_demo)
        register_home_panel(home_panel)
        register_digest_section(reports_to_review_section)
        register_digest_section(tasks_due_section)
