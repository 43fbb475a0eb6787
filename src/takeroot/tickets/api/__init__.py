"""Learner tickets over JSON: tickets, comments, metrics."""

from ninja import Router

router = Router(tags=["Tickets"])
# == core ==
from . import tickets  # noqa: E402

router.add_router("/", tickets.router)
# == queue ==
from . import queue  # noqa: E402

router.add_router("/", queue.router)
