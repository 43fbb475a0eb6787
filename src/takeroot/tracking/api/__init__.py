"""The tracking API: one router assembled from its parts."""

from ninja import Router

from . import connections, dashboards, imports, indicators, risk

router = Router()
for part in (connections, imports, indicators, risk, dashboards):
    router.add_router("/", part.router)
