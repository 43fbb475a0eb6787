"""Creating, opening, closing and extending surveys: who is asked for each kind of survey, the
invitations that are queued and that actually arrive over SMTP, and what the audit log keeps."""

import re

import pytest
from django.core.exceptions import ValidationError

from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.links import read_link
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.surveys import distribution
from takeroot.surveys.enums import Anonymity, RaterGroup, SurveyState
from takeroot.surveys.models import Recipient

from ..factories import PersonFactory, UserFactory
from .conftest import DAY, NOW

LINK = re.compile(r"http://\S+/l/\S+/")


def draft(instrument, actor, **fields):
    fields.setdefault("title", "After the training")
    fields.setdefault("anonymity", Anonymity.CONFIDENTIAL)
    fields.setdefault("closes_at", NOW + 14 * DAY)
    return distribution.create_survey(instrument=instrument, actor=actor, now=NOW, **fields)


def asked(survey) -> list[tuple[str, str]]:
    return sorted(Recipient.objects.filter(survey=survey).values_list("person__user__name", "rater_group"))


@pytest.fixture
def colleagues(cast):
    """Two peers of the participant and two people reporting to them."""
    workspace = cast["participant"].workspace

    def person(email, name, manager=None):
        return PersonFactory(workspace=workspace, user=UserFactory(email=email, name=name), manager=manager)

    return {
        "peer": person("peer@acme.test", "Piotr Peer"),
        "report_1": person("r1@acme.test", "Rita Report", manager=cast["participant"]),
        "report_2": person("r2@acme.test", "Rafał Report", manager=cast["participant"]),
    }


def test_a_cohort_survey_asks_the_participants_taking_part(instrument, cohort, cast):
    Enrolment.objects.filter(cohort=cohort, person=cast["other_participant"]).update(status=EnrolmentStatus.WITHDRAWN)
    survey = draft(instrument, cast["trainer"].user, cohort=cohort)
    assert survey.state == SurveyState.DRAFT
    assert survey.programme == cohort.programme
    assert asked(survey) == [("Pia Participant", RaterGroup.PARTICIPANT)]
    assert OutgoingMail.objects.count() == 0  # nobody is mailed before opening


def test_a_360_survey_asks_self_manager_peers_and_direct_reports(instrument, cast, colleagues):
    subject = cast["participant"]
    recipients = distribution.subject_recipients(subject, peers=[colleagues["peer"], cast["other_participant"]])
    survey = draft(instrument, cast["admin"].user, subject=subject, recipients=recipients)
    assert asked(survey) == [
        ("Magnus Manager", RaterGroup.MANAGER),
        ("Olek Other", RaterGroup.PEER),
        ("Pia Participant", RaterGroup.SELF),
        ("Piotr Peer", RaterGroup.PEER),
        ("Rafał Report", RaterGroup.REPORT),
        ("Rita Report", RaterGroup.REPORT),
    ]


def test_a_survey_about_someone_without_recipients_asks_self_manager_and_reports(instrument, cast, colleagues):
    survey = draft(instrument, cast["admin"].user, subject=cast["participant"])
    assert [group for _name, group in asked(survey)] == [
        RaterGroup.MANAGER,
        RaterGroup.SELF,
        RaterGroup.REPORT,
        RaterGroup.REPORT,
    ]


def test_nobody_is_asked_twice(instrument, cast):
    people = [(cast["participant"], RaterGroup.PEER), (cast["participant"], RaterGroup.MANAGER)]
    survey = draft(instrument, cast["admin"].user, recipients=people)
    assert asked(survey) == [("Pia Participant", RaterGroup.PEER)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("past", "closes_at"),
        ("archived", "instrument"),
        ("outsider", "recipients"),
        ("no_title", "title"),
        ("reminders", "remind_every_days"),
    ],
)
def test_create_refuses_what_cannot_work_and_saves_nothing(instrument, cohort, cast, change, field):
    fields = {"cohort": cohort}
    if change == "past":
        fields["closes_at"] = NOW - DAY
    if change == "archived":
        instrument.archived = True
        instrument.save()
    if change == "outsider":
        fields = {"recipients": [(cast["outsider"], RaterGroup.PARTICIPANT)]}
    if change == "no_title":
        fields["title"] = "  "
    if change == "reminders":
        fields["remind_every_days"] = 0
    with pytest.raises(ValidationError) as error:
        draft(instrument, cast["admin"].user, **fields)
    assert field in error.value.message_dict
    assert not instrument.surveys.exists()


def test_opening_mails_each_recipient_a_one_click_link(instrument, cohort, cast):
    survey = draft(instrument, cast["trainer"].user, cohort=cohort)
    assert distribution.open_survey(survey=survey, actor=cast["trainer"].user, now=NOW) == 2
    survey.refresh_from_db()
    assert (survey.state, survey.opened_at) == (SurveyState.OPEN, NOW)
    mails = OutgoingMail.objects.filter(template="survey_invitation").order_by("to_email")
    assert [m.to_email for m in mails] == ["other@acme.test", "participant@acme.test"]
    link = read_link(mails[1].context["url"].rstrip("/").rsplit("/", 1)[1], now=NOW)
    assert (link.purpose, link.person, link.target) == (LinkPurpose.SURVEY, cast["participant"], str(survey.uuid))
    assert mails[1].context["anonymity"] == Anonymity.CONFIDENTIAL
    assert set(Recipient.objects.filter(survey=survey).values_list("invited_at", flat=True)) == {NOW}


def test_the_invitation_arrives_saying_when_it_closes_and_what_anonymity_means(
    instrument, cohort, cast, smtp_sink, django_capture_on_commit_callbacks
):
    survey = draft(instrument, cast["trainer"].user, cohort=cohort, anonymity=Anonymity.ANONYMOUS)
    user = cast["participant"].user
    user.language, user.timezone = "en", "Europe/Warsaw"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        distribution.open_survey(survey=survey, actor=cast["trainer"].user, now=NOW)
    [message] = [m for m in smtp_sink.messages if m["To"] == "participant@acme.test"]
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Your view is asked: After the training"
    assert "It closes on Oct. 19, 2026 11 a.m." in text  # 09:00 UTC in Warsaw
    assert "Nothing links you to your answers" in text
    [url] = LINK.findall(text)
    assert read_link(url.rstrip("/").rsplit("/", 1)[1]).target == str(survey.uuid)
    assert url in message.get_body(("html",)).get_content()


def test_opening_refuses_a_survey_with_nobody_or_opened_already(instrument, cast, cohort):
    empty = draft(instrument, cast["admin"].user)
    with pytest.raises(ValidationError, match="Add the people to ask"):
        distribution.open_survey(survey=empty, actor=cast["admin"].user, now=NOW)
    survey = draft(instrument, cast["admin"].user, cohort=cohort)
    distribution.open_survey(survey=survey, actor=cast["admin"].user, now=NOW)
    with pytest.raises(ValidationError, match="Only a draft"):
        distribution.open_survey(survey=survey, actor=cast["admin"].user, now=NOW)
    assert OutgoingMail.objects.filter(template="survey_invitation").count() == 2


def test_people_added_to_an_open_survey_are_invited_at_once(survey, cast):
    added = distribution.add_recipients(survey, [(cast["manager"], RaterGroup.MANAGER)], now=NOW)
    assert [r.person for r in added] == [cast["manager"]]
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == ["manager@acme.test"]
    assert distribution.add_recipients(survey, [(cast["manager"], RaterGroup.PEER)], now=NOW) == []


def test_close_extend_and_reopen(survey, cast):
    actor = cast["trainer"].user
    distribution.extend_survey(survey=survey, actor=actor, closes_at=NOW + 20 * DAY, now=NOW)
    assert survey.closes_at == NOW + 20 * DAY
    with pytest.raises(ValidationError) as error:
        distribution.extend_survey(survey=survey, actor=actor, closes_at=NOW - DAY, now=NOW)
    assert "closes_at" in error.value.message_dict
    distribution.close_survey(survey=survey, actor=actor, now=NOW + DAY)
    survey.refresh_from_db()
    assert (survey.state, survey.closed_at) == (SurveyState.CLOSED, NOW + DAY)
    with pytest.raises(ValidationError):
        distribution.close_survey(survey=survey, actor=actor, now=NOW + DAY)
    distribution.reopen_survey(survey=survey, actor=actor, closes_at=NOW + 30 * DAY, now=NOW + 2 * DAY)
    survey.refresh_from_db()
    assert (survey.state, survey.closes_at, survey.closed_at) == (SurveyState.OPEN, NOW + 30 * DAY, None)


def test_the_audit_log_keeps_the_survey_actions_never_who_answered(instrument, cohort, cast):
    survey = draft(instrument, cast["trainer"].user, cohort=cohort)
    distribution.open_survey(survey=survey, actor=cast["trainer"].user, now=NOW)
    Recipient.objects.filter(survey=survey, person=cast["participant"]).update(has_answered=True)
    distribution.remind(survey=survey, now=NOW + 3 * DAY)
    distribution.close_survey(survey=survey, actor=cast["trainer"].user, now=NOW + 4 * DAY)
    entries = AuditEntry.objects.filter(object_uuid=survey.uuid).order_by("pk")
    assert [(e.action, e.changes) for e in entries] == [
        ("created", {"recipients": [None, 2]}),
        ("changed", {"state": ["draft", "open"]}),
        ("changed", {"reminded": [None, 1]}),
        ("changed", {"state": ["open", "closed"]}),
    ]
    assert not AuditEntry.objects.filter(object_type="recipient").exists()
