from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "takeroot.core"
    label = "core"
    verbose_name = _("Workspaces and people")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Periodic jobs register themselves when their app's ``periodic`` module is imported.
        autodiscover_modules("periodic")
