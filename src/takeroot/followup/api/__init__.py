"""The follow-up engine over JSON: designs and steps, touchpoints, holds, preferences and sessions."""

from ninja import Router

router = Router(tags=["Follow-up"])
