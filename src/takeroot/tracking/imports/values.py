"""Reading one cell: dates in the usual spellings, numbers with decimal commas, yes/no words in
four languages, durations, scores and ratings. Each reader returns the normalised value (see
``enums.Input``) or raises ``CellError`` with a message for the preview."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` says why, in the reader's language."""


# Compared case-folded. An empty cell is "absent", so a register of crosses ("x") reads naturally.
ATTENDED = frozenset(
    {"yes", "y", "true", "1", "x", "✓", "present", "attended", "tak", "obecny", "obecna", "ja", "närvarande", "是"}
    | {"出席", "到"}
)
MISSED = frozenset(
    {"no", "n", "false", "0", "", "absent", "missed", "nie", "nieobecny", "nieobecna", "nej", "frånvarande", "否"}
    | {"缺席", "未到"}
)
MAX_MINUTES = 24 * 60  # one row is one day's time online
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Excel's phantom 29 February 1900
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
YEAR_FIRST = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
CLOCK = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
PERCENT = re.compile(r"^(.*?)\s*%$")


def read_number(text: str) -> float:
    """A number as people type it: "85", "4,5", "4.5", "1 234,5" (a decimal comma, spaces between
    thousands)."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError(_("Not a number: %(value)s") % {"value": text}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(_("Not a number: %(value)s") % {"value": text})
    return number


def read_date(text: str) -> datetime.datetime:
    """A moment from a date cell. A date alone is noon UTC, which is the same day everywhere
    Takeroot's customers work; a date with a time is read in the workspace's time zone."""
    text = text.strip()
    parts = None
    if match := YEAR_FIRST.match(text):
        year, month, day, *clock = match.groups()
        parts = (year, month, day, clock)
    elif match := DAY_FIRST.match(text):
        day, month, year, *clock = match.groups()
        parts = (year, month, day, clock)
    elif match := CHINESE.match(text):
        parts = (*match.groups(), [None, None, None])
    elif re.fullmatch(r"\d{4,5}(?:[.,]\d+)?", text):  # a spreadsheet's day number, e.g. 46300
        serial = read_number(text)
        moment = datetime.datetime.combine(EXCEL_EPOCH, datetime.time(12), tzinfo=datetime.UTC)
        if not 20000 <= serial <= 80000:  # 1954–2119: anything else is not meant as a date
            raise CellError(_("Not a date: %(value)s (write it as 2026-10-05 or 05.10.2026)") % {"value": text})
        return moment + datetime.timedelta(days=int(serial))
    if parts is None:
        raise CellError(_("Not a date: %(value)s (write it as 2026-10-05 or 05.10.2026)") % {"value": text})
    year, month, day, (hour, minute, second) = parts
    if hour is not None and int(hour) == int(minute) == int(second or 0) == 0:
        hour = None  # a spreadsheet's date cell: midnight means "that day", not a moment
    try:
        if hour is None:
            return datetime.datetime(int(year), int(month), int(day), 12, tzinfo=datetime.UTC)
        local = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        return timezone.make_aware(local)
    except ValueError:
        raise CellError(_("Not a date: %(value)s (write it as 2026-10-05 or 05.10.2026)") % {"value": text}) from None


def read_attended(text: str) -> float:
    answer = text.strip().casefold()
    if answer in ATTENDED:
        return 1.0
    if answer in MISSED:
        return 0.0
    raise CellError(_("Not an attendance mark: %(value)s (use yes or no, present or absent, 1 or 0)") % {"value": text})


def read_minutes(text: str) -> float:
    """Minutes from "45", "45,5", "1:30" (hours and minutes) or "01:30:00"."""
    text = text.strip()
    if match := CLOCK.match(text):
        hours, minutes, seconds = match.groups()
        value = int(hours) * 60 + int(minutes) + int(seconds or 0) / 60
    else:
        value = read_number(text)
    if not 0 <= value <= MAX_MINUTES:
        raise CellError(
            _("Out of range: %(value)s (time online is 0 to %(max)s minutes a day)")
            % {"value": text, "max": MAX_MINUTES}
        )
    return round(value, 2)


def read_score(text: str, maximum: str) -> float:
    """A score as a share 0–1: points over the maximum, or a percentage when there is no maximum."""
    if match := PERCENT.match(text.strip()):
        percent = read_number(match.group(1))
        if not 0 <= percent <= 100:
            raise CellError(_("Out of range: %(value)s (a percentage is 0 to 100)") % {"value": text})
        return percent / 100
    if not maximum.strip():
        return read_score(f"{text} %", "")
    return _share(text, maximum, _("Out of range: %(value)s (a score is 0 to the maximum, %(max)s)"))


def read_rating(text: str, scale: str) -> float:
    """A rating as a share 0–1 of the scale's maximum (5 when the file does not say)."""
    return _share(
        text, scale.strip() or "5", _("Out of range: %(value)s (a rating is 0 to the scale maximum, %(max)s)")
    )


def _share(text: str, maximum: str, out_of_range: str) -> float:
    top = read_number(maximum)
    if top <= 0:
        raise CellError(_("The maximum must be more than 0: %(value)s") % {"value": maximum})
    value = read_number(text)
    if not 0 <= value <= top:
        raise CellError(out_of_range % {"value": text, "max": maximum})
    return value / top
