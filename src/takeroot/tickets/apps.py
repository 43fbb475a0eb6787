from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "takeroot.tickets"
    label = "tickets"
    verbose_name = _("Learner tickets")

    def ready(self):
        # == core ==
        # == queue ==
        from takeroot.core.demo import register_demo_extension

        from . import rules  # noqa: F401 (permissions)
        from .demo import build_tickets_demo

        register_demo_extension(build_tickets_demo)
