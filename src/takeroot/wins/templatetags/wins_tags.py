"""Template helpers for wins: mail contexts are JSON, so dates arrive as ISO text."""

import datetime

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    """``"2026-10-01"`` → a date, for the ``date`` filter to show in the reader's language."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
