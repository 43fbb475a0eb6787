"""The risk API."""

from ninja import Router

router = Router(tags=["tracking"])
