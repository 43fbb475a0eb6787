from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "takeroot.peers"
    label = "peers"
    verbose_name = _("Peer learning")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.digest import register_digest_section
        from takeroot.core.home import register_home_panel

        from .demo import build_peers_demo
        from .digest import discussions_section
        from .views.community import home_panel

        register_demo_extension(build_peers_demo)
        register_digest_section(discussions_section)
        register_home_panel(home_panel)
