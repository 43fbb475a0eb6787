from django.urls import path

app_name = "tickets"
urlpatterns: list = []
# == core ==
from .views import learner as learner_views  # noqa: E402
from .views import ticket as ticket_views  # noqa: E402

urlpatterns += [
    path("tickets/new/", learner_views.raise_ticket, name="raise"),
    path("tickets/mine/", learner_views.mine, name="mine"),
    path("tickets/<uuid:uuid>/", ticket_views.ticket_page, name="ticket"),
    path("tickets/<uuid:uuid>/reply/", ticket_views.reply, name="reply"),
    path("tickets/<uuid:uuid>/reassign/", ticket_views.reassign, name="reassign"),
    path("tickets/<uuid:uuid>/confirm/", ticket_views.confirm, name="confirm"),
    path("tickets/<uuid:uuid>/withdraw/", ticket_views.withdraw, name="withdraw"),
    path("tickets/files/<uuid:uuid>/", ticket_views.attachment, name="attachment"),
]
# == queue ==
from .views import metrics as metrics_views  # noqa: E402
from .views import patches as patch_views  # noqa: E402
from .views import queue as queue_views  # noqa: E402
from .views import ticket_settings  # noqa: E402

urlpatterns += [
    path("tickets/queue/", queue_views.queue, name="queue"),
    path("tickets/metrics/", metrics_views.metrics, name="metrics"),
    path("tickets/settings/", ticket_settings.ticket_settings, name="settings"),
    path("tickets/settings/rules/new/", ticket_settings.rule_create, name="routing_rule_create"),
    path("tickets/settings/rules/<uuid:uuid>/", ticket_settings.rule_edit, name="routing_rule_edit"),
    path("tickets/settings/rules/<uuid:uuid>/delete/", ticket_settings.rule_delete, name="routing_rule_delete"),
    path("tickets/<uuid:uuid>/patch/", patch_views.patch_create, name="patch_create"),
    path("tickets/patches/<uuid:uuid>/", patch_views.patch_detail, name="patch"),
    path("tickets/patches/<uuid:uuid>/edit/", patch_views.patch_edit, name="patch_edit"),
    path("tickets/patches/<uuid:uuid>/withdraw/", patch_views.patch_withdraw, name="patch_withdraw"),
]
