"""Who may see and do what with questionnaires, surveys and their results.

Admins and trainers keep the questionnaires and send surveys. A survey is run by the admins, its
cohort's trainers and whoever created it; they see its results, and only through ``results``,
which holds back every group under the workspace's threshold. Recipients answer. The person a
360° is about sees their own report (thresholds apply there too). Nobody sees who answered what in
a confidential or anonymous survey: that is not stored. Instrument-level permissions take the
instrument, survey-level ones the survey; the rest take the workspace.
"""

import rules

from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member, is_trainer
from takeroot.programmes.rules import is_cohort_trainer

from .models import Survey


def _me(user, obj):
    return membership(user, obj.workspace_id)


@rules.predicate
def runs_the_survey(user, survey) -> bool:
    if not isinstance(survey, Survey):
        return False
    if survey.created_by_id == user.pk:
        return True
    return bool(survey.cohort_id and is_cohort_trainer(user, survey.cohort))


@rules.predicate
def is_recipient(user, survey) -> bool:
    me = isinstance(survey, Survey) and _me(user, survey)
    return bool(me and survey.recipients.filter(person=me).exists())


@rules.predicate
def is_the_subject(user, survey) -> bool:
    return isinstance(survey, Survey) and survey.subject_id is not None and survey.subject.user_id == user.pk


authors = is_admin | is_trainer

# The workspace.
rules.add_perm("surveys.view_surveys", is_member)
rules.add_perm("surveys.manage_instruments", authors)
rules.add_perm("surveys.send_surveys", authors)
rules.add_perm("surveys.change_settings", is_admin)
# The instrument.
rules.add_perm("surveys.view_instrument", authors)
rules.add_perm("surveys.change_instrument", authors)
# The survey.
rules.add_perm("surveys.manage_survey", is_admin | runs_the_survey)
rules.add_perm("surveys.view_results", is_admin | runs_the_survey | is_the_subject)
rules.add_perm("surveys.respond", is_recipient)
# == results == A programme's survey results across its cohorts (thresholds apply).
rules.add_perm("surveys.view_programme_results", authors)
# The questionnaire library (list and templates), read-only: the workspace.
rules.add_perm("surveys.view_library", authors)
# == distribution == Reading a survey one may manage, and listing them: separate from changing,
# so an API key with surveys:read may read and one with surveys:write may send, remind and close.
rules.add_perm("surveys.view_survey", is_admin | runs_the_survey)
rules.add_perm("surveys.list_surveys", authors)
