from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "takeroot.catalogue"
    label = "catalogue"
    verbose_name = _("Initiative catalogue")

    def ready(self):
        from takeroot.core.demo import register_demo_extension

        from .demo import build_catalogue_demo

        register_demo_extension(build_catalogue_demo)
