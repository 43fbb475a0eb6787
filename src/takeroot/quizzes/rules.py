"""Who may see and do what with quizzes.

The item bank and a programme's results belong to its authors: admins and trainers. A cohort's
results (answers per person included) are for the admins and the cohort's trainers. A participant
answers their own rounds and sees their own answers with the explanations. A line manager sees a
summary of their people (accuracy and retention per module), never answers to single questions.
Programme-level permissions take the programme, cohort-level ones the cohort, enrolment-level
ones the enrolment, round-level ones the round; ``quizzes.view_quizzes`` and
``quizzes.view_team_summary`` take the workspace.
"""

import rules

from takeroot.core.rules import has_reports, is_admin, is_manager_role, is_member, is_trainer
from takeroot.programmes.rules import is_cohort_trainer, is_own_enrolment, manages_the_enrolled

from .models import QuizRound


@rules.predicate
def owns_the_round(user, round) -> bool:
    return isinstance(round, QuizRound) and round.enrolment.person.user_id == user.pk


@rules.predicate
def trains_the_enrolment(user, enrolment) -> bool:
    return is_cohort_trainer(user, enrolment.cohort)


authors = is_admin | is_trainer

rules.add_perm("quizzes.view_quizzes", is_member)
# The programme.
rules.add_perm("quizzes.view_bank", authors)
rules.add_perm("quizzes.manage_bank", authors)
rules.add_perm("quizzes.change_settings", authors)
rules.add_perm("quizzes.fit_parameters", is_admin)
rules.add_perm("quizzes.view_programme_results", authors)
# The cohort.
rules.add_perm("quizzes.view_cohort_results", is_admin | is_cohort_trainer)
# The enrolment.
rules.add_perm("quizzes.view_answers", is_own_enrolment | is_admin | trains_the_enrolment)
rules.add_perm("quizzes.view_summary", is_own_enrolment | is_admin | trains_the_enrolment | manages_the_enrolled)
# The round.
rules.add_perm("quizzes.answer_round", owns_the_round)
rules.add_perm("quizzes.view_round", owns_the_round | is_admin)
# The workspace.
rules.add_perm("quizzes.view_team_summary", is_admin | is_manager_role | has_reports)
