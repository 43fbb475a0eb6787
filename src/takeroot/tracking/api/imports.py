"""The imports API."""

from ninja import Router

router = Router(tags=["tracking"])
