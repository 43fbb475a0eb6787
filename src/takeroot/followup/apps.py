from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "takeroot.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from takeroot.core.demo import register_demo_extension
        from takeroot.core.digest import register_digest_section
        from takeroot.core.home import register_home_panel
        from takeroot.core.mail import register_optional_mail_policy
        from takeroot.programmes.calendar import register_feed_events

        from . import invites, receivers  # noqa: F401 (receivers connect the scheduler to the signals)
        from .demo import build_followup_demo
        from .digest import followup_section
        from .enums import LinkPurpose
        from .links import register_link_handler
        from .preferences import optional_mail_headers
        from .views.links import register_handlers
        from .views.people import home_panel
        from .views.sessions import attendance_link, attendance_next

        register_digest_section(followup_section)
        register_handlers()
        register_link_handler(LinkPurpose.CONFIRM_ATTENDANCE, attendance_link, next_url=attendance_next)
        register_feed_events(invites.feed_events)
        register_demo_extension(build_followup_demo)
        register_home_panel(home_panel)
        register_optional_mail_policy(optional_mail_headers)
