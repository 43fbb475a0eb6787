"""Phrases the plan pages, the home panel and the API share, so translators see them once."""

from django.utils import formats
from django.utils.translation import gettext as _

from .enums import Recurrence
from .models import LearningTimeBlock


def describe_block(block: LearningTimeBlock) -> str:
    """ "Friday, every week, 12:00–13:00 (Europe/Warsaw)", with the dates when it does not run all
    year. The day comes first, as a name: "every" before it would need a different case or
    gender per day in Polish."""
    values = {
        "day": block.get_weekday_display(),
        "start": block.starts_at.strftime("%H:%M"),
        "end": block.ends_at.strftime("%H:%M"),
        "zone": block.plan.timezone,
    }
    if block.every_weeks == Recurrence.FORTNIGHTLY:
        text = _("%(day)s, every other week, %(start)s–%(end)s (%(zone)s)") % values
    elif block.every_weeks == Recurrence.FOUR_WEEKLY:
        text = _("%(day)s, every fourth week, %(start)s–%(end)s (%(zone)s)") % values
    else:
        text = _("%(day)s, every week, %(start)s–%(end)s (%(zone)s)") % values
    if (block.starts_on, block.ends_on) != (block.plan.first_day, block.plan.last_day):
        text += ", " + _("from %(first)s to %(last)s") % {
            "first": formats.date_format(block.starts_on, "DATE_FORMAT"),
            "last": formats.date_format(block.ends_on, "DATE_FORMAT"),
        }
    return text


def hours(value: float) -> str:
    """Hours with at most one decimal, in the active language's number format."""
    rounded = round(float(value), 1)
    return formats.number_format(rounded, decimal_pos=0 if rounded.is_integer() else 1)
