"""The indicator engine and the indicator set.

``read``, ``read_by`` and ``series`` turn the weekly rollups into readings of the workspace's
indicators for a ``Scope`` (an enrolment, a cohort, a module, a programme, a team, the workspace)
and a ``Period``; ``indicators_for`` gives the set (seed 001's table by default); the services in
``services`` change it. Dashboards, the at-risk rules and the problem finder read through here.
"""

from .catalogue import DEFAULTS, indicators_for, indicators_in, is_cohort_only, name_of, sources_of
from .periods import Period
from .readings import Point, Reading, format_value, light_for, read, read_by, series
from .scopes import Scope

__all__ = [
    "DEFAULTS",
    "Period",
    "Point",
    "Reading",
    "Scope",
    "format_value",
    "indicators_for",
    "indicators_in",
    "is_cohort_only",
    "light_for",
    "name_of",
    "read",
    "read_by",
    "series",
    "sources_of",
]
