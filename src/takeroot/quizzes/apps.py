from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "takeroot.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from . import rules  # noqa: F401
