"""The follow-up engine over JSON: designs and steps, touchpoints, holds, preferences and sessions."""

from ninja import Router

from . import designs, preferences, sessions, touchpoints

router = Router(tags=["Follow-up"])
router.add_router("/", designs.router)
router.add_router("/", touchpoints.router)
router.add_router("/", preferences.router)
router.add_router("/", sessions.router)
