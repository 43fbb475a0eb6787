"""Learner tickets over JSON: tickets, comments, metrics."""

from ninja import Router

router = Router(tags=["Tickets"])
# == core ==
# == queue ==
