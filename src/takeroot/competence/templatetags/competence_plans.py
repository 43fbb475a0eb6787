from django import template

from ..phrases import hours as format_hours

register = template.Library()


@register.simple_tag
def hours(value) -> str:
    """Hours with at most one decimal, in the active language's number format."""
    return format_hours(value or 0)
