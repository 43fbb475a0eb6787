"""Reminders to those who have not answered, at most every interval and never after closing, and
the hourly job that closes surveys past their date and sends the reminders that are due."""

import pytest

from takeroot.core.models import OutgoingMail
from takeroot.core.periodic import JOBS
from takeroot.surveys import distribution
from takeroot.surveys.enums import Anonymity, RaterGroup, SurveyState
from takeroot.surveys.models import Recipient, Survey
from takeroot.surveys.tasks import task_close_and_remind_surveys

from .conftest import DAY, NOW, make_survey


def reminded() -> list[str]:
    return sorted(OutgoingMail.objects.filter(template="survey_reminder").values_list("to_email", flat=True))


def test_reminders_go_only_to_those_who_have_not_answered(survey, cast):
    Recipient.objects.filter(survey=survey, person=cast["participant"]).update(has_answered=True)
    assert distribution.remind(survey=survey, now=NOW + 3 * DAY) == 1
    assert reminded() == ["other@acme.test"]
    recipient = Recipient.objects.get(survey=survey, person=cast["other_participant"])
    assert (recipient.reminders_sent, recipient.last_reminded_at) == (1, NOW + 3 * DAY)


def test_reminders_wait_for_the_interval(survey):
    assert distribution.remind(survey=survey, now=NOW + 2 * DAY) == 0  # invited 2 days ago, every 3
    assert distribution.remind(survey=survey, now=NOW + 3 * DAY) == 2
    assert distribution.remind(survey=survey, now=NOW + 3 * DAY) == 0  # a second call sends nothing
    assert distribution.remind(survey=survey, now=NOW + 5 * DAY) == 0
    assert distribution.remind(survey=survey, now=NOW + 6 * DAY) == 2
    assert len(reminded()) == 4


def test_no_reminder_after_the_closing_date_or_once_closed(survey, cast):
    assert distribution.remind(survey=survey, now=survey.closes_at) == 0
    distribution.close_survey(survey=survey, actor=None, now=NOW + DAY)
    assert distribution.remind(survey=survey, now=NOW + 5 * DAY) == 0
    assert reminded() == []


def test_anonymous_reminders_skip_those_who_took_their_ballot_and_thank_the_rest(instrument, cohort, cast):
    survey = make_survey(instrument, cohort=cohort, anonymity=Anonymity.ANONYMOUS)
    for person, ballot in ((cast["participant"], True), (cast["other_participant"], False)):
        Recipient.objects.create(
            workspace=survey.workspace, survey=survey, person=person, invited_at=NOW, ballot_issued=ballot
        )
    assert distribution.remind(survey=survey, now=NOW + 3 * DAY) == 1
    mail = OutgoingMail.objects.get(template="survey_reminder")
    assert mail.to_email == "other@acme.test"
    from takeroot.core.mail import render_mail

    text = render_mail(mail).body
    assert "If you already answered, thank you" in text


def test_the_hourly_job_closes_surveys_past_their_date_and_sends_due_reminders(survey, instrument, cohort):
    past = make_survey(instrument, cohort=None, title="Last month", closes_at=NOW - DAY)
    quiet = make_survey(instrument, title="No reminders", remind_every_days=None)
    Recipient.objects.create(workspace=quiet.workspace, survey=quiet, person=cohort.enrolments.first().person)
    Recipient.objects.filter(survey=quiet).update(invited_at=NOW - 10 * DAY)

    assert distribution.close_due_surveys(now=NOW) == 1
    assert distribution.send_due_reminders(now=NOW + 3 * DAY) == 2  # the open survey's two; none for "quiet"
    assert distribution.close_due_surveys(now=NOW) == 0  # idempotent
    assert Survey.objects.get(pk=past.pk).state == SurveyState.CLOSED
    assert Survey.objects.get(pk=survey.pk).state == SurveyState.OPEN
    assert Survey.objects.get(pk=quiet.pk).state == SurveyState.OPEN


def test_the_job_is_registered_hourly_and_its_task_closes_what_is_due(instrument):
    past = make_survey(instrument, closes_at=NOW - DAY)
    job = JOBS["close_and_remind_surveys"]
    assert job.every.total_seconds() == 3600
    assert task_close_and_remind_surveys.call() >= 1
    assert Survey.objects.get(pk=past.pk).state == SurveyState.CLOSED


@pytest.mark.parametrize(("anonymity", "held"), [(Anonymity.CONFIDENTIAL, True), (Anonymity.NAMED, False)])
def test_answers_per_rater_group_are_held_back_for_small_groups(instrument, cast, anonymity, held):
    survey = make_survey(instrument, anonymity=anonymity, subject=cast["participant"])
    for person, group in ((cast["participant"], RaterGroup.SELF), (cast["manager"], RaterGroup.MANAGER)):
        Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person, rater_group=group)
    groups, was_held = distribution.group_counts(survey)
    assert was_held is held
    assert [(g.rater_group, g.recipients, g.responses) for g in groups] == [
        (RaterGroup.SELF, 1, None if held else 0),
        (RaterGroup.MANAGER, 1, None if held else 0),
    ]
