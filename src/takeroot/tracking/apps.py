from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "takeroot.tracking"
    label = "tracking"
    verbose_name = _("Tracking")

    def ready(self):
        from . import periodic, receivers, rules  # noqa: F401 (jobs, signal receivers, permissions)
