"""``{% module_additions programme as additions %}``: a programme's patches for its pages."""

from django import template

from ..patches import additions_for

register = template.Library()


@register.simple_tag
def module_additions(programme):
    return additions_for(programme) if programme is not None else []
