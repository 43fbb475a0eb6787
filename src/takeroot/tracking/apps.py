from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "takeroot.tracking"
    label = "tracking"
    verbose_name = _("Tracking")

    def ready(self):
        from takeroot.core.demo import register_demo_extension

        from . import periodic, receivers, rules  # noqa: F401 (jobs, signal receivers, permissions)
        from .demo import build_tracking_demo

        register_demo_extension(build_tracking_demo)
