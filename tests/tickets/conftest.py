"""The course of ``tests/course_support.py``; its cohort runs until the end of October and the
mentor mentors the participant (on the enrolment). Clocks are fixed: services take
``now`` and tests pass ``NOW`` (a Monday, 09:00 UTC) or times after it."""

import datetime

import pytest

from takeroot.programmes.models import Enrolment
from tests.course_support import DAY, HOUR, NOW, make_cohort  # noqa: F401 (the tests import the clock from here)


@pytest.fixture
def cohort(cast, programme):
    """The course's cohort running until the end of October, the participant mentored."""
    cohort = make_cohort(cast, programme, ends_on=datetime.date(2026, 10, 30))
    Enrolment.objects.filter(cohort=cohort, person=cast["participant"]).update(mentor=cast["mentor"])
    return cohort
