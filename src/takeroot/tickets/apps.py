from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "takeroot.tickets"
    label = "tickets"
    verbose_name = _("Learner tickets")

    def ready(self):
        from . import rules  # noqa: F401 (permissions)

        # == core ==
        # == queue ==
