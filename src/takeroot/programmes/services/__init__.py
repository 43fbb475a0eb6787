"""Every write to programmes, cohorts, sessions and enrolments. Each records its audit entry."""

from .alignment import answer_midpoint_review, decide_midpoint_review, propose_cohort_goal, toggle_goal_confirmation
from .cohorts import cancel_session, copy_cohort, create_cohort, save_session, update_cohort
from .common import ACCOMMODATION_FIELDS, COHORT_FIELDS, PROGRAMME_FIELDS, SESSION_FIELDS
from .design import (
    copy_programme,
    create_programme,
    delete_module,
    delete_programme,
    delete_programme_goal,
    move_module,
    save_module,
    save_programme_goal,
    update_programme,
)
from .enrolments import enrol_people, enrol_team, set_enrolment_status, update_enrolment

__all__ = [
    "ACCOMMODATION_FIELDS",
    "COHORT_FIELDS",
    "PROGRAMME_FIELDS",
    "SESSION_FIELDS",
    "answer_midpoint_review",
    "cancel_session",
    "copy_cohort",
    "copy_programme",
    "create_cohort",
    "create_programme",
    "decide_midpoint_review",
    "delete_module",
    "delete_programme",
    "delete_programme_goal",
    "enrol_people",
    "enrol_team",
    "move_module",
    "propose_cohort_goal",
    "save_module",
    "save_programme_goal",
    "save_session",
    "set_enrolment_status",
    "toggle_goal_confirmation",
    "update_cohort",
    "update_enrolment",
    "update_programme",
]
