from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "takeroot.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.home import register_home_panel

        from . import delivery, receivers, rules  # noqa: F401 (permissions; holds shift the memory states)
        from .demo import build_quizzes_demo
        from .views import answer, participant, results

        delivery.register()  # the quiz round step kind and the last-score condition
        answer.register()  # the one-click answer links
        register_home_panel(participant.home_panel)
        register_home_panel(results.home_panel)
        register_demo_extension(build_quizzes_demo)
