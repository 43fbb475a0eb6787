"""Surveys sent by the follow-up engine: the survey step makes one survey per step and cohort and
its mail (over real SMTP) carries the one-click link; skipped steps say why; previews write
nothing; the step form and the design API take the questionnaire; the default design has the
reaction survey and the behaviour follow-up."""

import datetime
import re

import pytest
from django.urls import reverse

from takeroot.followup import delivery, designs, rendering
from takeroot.followup.enums import Audience, LinkPurpose, StepKind, TouchpointState
from takeroot.followup.links import read_link
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment
from takeroot.surveys.delivery import (
    REASON_ANSWERED,
    REASON_CLOSED,
    REASON_NO_INSTRUMENT,
    REASON_NO_MANAGER_QUESTIONS,
)
from takeroot.surveys.enums import RaterGroup, SurveyState
from takeroot.surveys.library import create_from_template
from takeroot.surveys.models import Recipient, Survey

from .conftest import DAY, NOW

HOUR = datetime.timedelta(hours=1)
LINK = re.compile(r"http://\S+/l/\S+/")


@pytest.fixture
def design(programme):
    return Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")


def survey_step(design, instrument, **fields) -> Step:
    fields.setdefault("content", {"en": {"subject": "How was it, {name}?", "body": "Three minutes, please."}})
    return Step.objects.create(
        workspace=design.workspace, design=design, kind=StepKind.SURVEY, instrument=instrument, **fields
    )


def touchpoint_for(step, enrolment, recipient=None) -> Touchpoint:
    return Touchpoint.objects.create(
        workspace=step.workspace,
        step=step,
        enrolment=enrolment,
        recipient=recipient or enrolment.person,
        due_at=NOW - HOUR,
    )


def state_of(touchpoint) -> tuple[str, str]:
    touchpoint.refresh_from_db()
    return touchpoint.state, touchpoint.reason


def test_one_survey_per_step_and_cohort_and_the_mail_carries_the_link(design, instrument, cohort, cast, smtp_sink):
    step = survey_step(design, instrument)
    for enrolment in Enrolment.objects.filter(cohort=cohort):
        touchpoint_for(step, enrolment)
    assert delivery.send_due(now=NOW) == 2

    [survey] = Survey.objects.filter(step=step)
    assert (survey.cohort, survey.state, survey.anonymity) == (cohort, SurveyState.OPEN, instrument.anonymity)
    assert (survey.opened_at, survey.closes_at) == (NOW, NOW + 14 * DAY)
    assert sorted(Recipient.objects.filter(survey=survey).values_list("person__user__name", "rater_group")) == [
        ("Olek Other", RaterGroup.PARTICIPANT),
        ("Pia Participant", RaterGroup.PARTICIPANT),
    ]
    assert set(Recipient.objects.filter(survey=survey).values_list("invited_at", flat=True)) == {NOW}
    [message] = [m for m in smtp_sink.messages if m["To"] == "participant@acme.test"]
    text = message.get_body(("plain",)).get_content()
    assert "Answer the survey “How was the training?”" in text
    assert "It closes on Oct. 19, 2026" in text
    links = [read_link(url.rstrip("/").rsplit("/", 1)[1], now=NOW) for url in LINK.findall(text)]
    [link] = [link for link in links if link.purpose == LinkPurpose.SURVEY]
    assert (link.person, link.target) == (cast["participant"], str(survey.uuid))


def test_another_cohort_gets_its_own_survey(design, instrument, cohort, cast, programme, smtp_sink):
    step = survey_step(design, instrument)
    second = programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    programmes.enrol_people(cohort=second, actor=cast["admin"].user, people=[cast["mentor"]])
    touchpoint_for(step, Enrolment.objects.get(cohort=cohort, person=cast["participant"]))
    touchpoint_for(step, Enrolment.objects.get(cohort=second))
    delivery.send_due(now=NOW)
    assert sorted(Survey.objects.filter(step=step).values_list("cohort__name", flat=True)) == [
        "Gdańsk autumn",
        "Kraków spring",
    ]


def test_the_managers_step_asks_the_manager_as_manager(design, enrolment, cast, smtp_sink):
    behaviour = create_from_template(workspace=design.workspace, key="behaviour", actor=None)
    step = survey_step(design, behaviour, audience=Audience.MANAGER)
    touchpoint = touchpoint_for(step, enrolment, recipient=cast["manager"])
    delivery.send_due(now=NOW)
    assert state_of(touchpoint)[0] == TouchpointState.SENT
    recipient = Recipient.objects.get(survey__step=step)
    assert (recipient.person, recipient.rater_group) == (cast["manager"], RaterGroup.MANAGER)


def test_a_behaviour_follow_up_asks_the_participant_about_themselves(design, enrolment, smtp_sink):
    behaviour = create_from_template(workspace=design.workspace, key="behaviour", actor=None)
    touchpoint_for(survey_step(design, behaviour), enrolment)
    delivery.send_due(now=NOW)
    assert Recipient.objects.get().rater_group == RaterGroup.SELF


def test_skips_say_why(design, instrument, cohort, enrolment, cast, smtp_sink):
    no_questionnaire = touchpoint_for(survey_step(design, None), enrolment)
    managers = touchpoint_for(survey_step(design, instrument, audience=Audience.MANAGER), enrolment, cast["manager"])
    instrument.questions.update(rater_groups=[RaterGroup.PARTICIPANT])
    answered_step = survey_step(design, instrument)
    answered = touchpoint_for(answered_step, enrolment)
    survey = Survey.objects.create(
        workspace=cohort.workspace,
        instrument=instrument,
        cohort=cohort,
        step=answered_step,
        title="t",
        state=SurveyState.OPEN,
        closes_at=NOW + DAY,
    )
    Recipient.objects.create(workspace=survey.workspace, survey=survey, person=enrolment.person, has_answered=True)
    closed_step = survey_step(design, instrument)
    closed = touchpoint_for(closed_step, enrolment)
    Survey.objects.create(
        workspace=cohort.workspace,
        instrument=instrument,
        cohort=cohort,
        step=closed_step,
        title="t",
        state=SurveyState.CLOSED,
        closes_at=NOW - DAY,
    )

    delivery.send_due(now=NOW)

    assert state_of(no_questionnaire) == (TouchpointState.SKIPPED, REASON_NO_INSTRUMENT)
    assert state_of(managers) == (TouchpointState.SKIPPED, REASON_NO_MANAGER_QUESTIONS)
    assert state_of(answered) == (TouchpointState.SKIPPED, REASON_ANSWERED)
    assert state_of(closed) == (TouchpointState.SKIPPED, REASON_CLOSED)
    assert smtp_sink.messages == []
    assert Survey.objects.count() == 2  # the skips made no survey


def test_previews_and_test_sends_write_nothing(design, instrument, enrolment, cast, smtp_sink):
    step = survey_step(design, instrument)
    unsaved = Touchpoint(workspace_id=step.workspace_id, step=step, enrolment=enrolment, recipient=enrolment.person)
    text = rendering.render(unsaved).text
    assert "Answer the survey “How was the training?”" in text
    assert "It closes 14 days after it is first sent." in text
    delivery.send_test(step=step, enrolment=enrolment, to=cast["admin"].user)
    assert [m["To"] for m in smtp_sink.messages] == ["admin@acme.test"]
    assert not Survey.objects.exists() and not Recipient.objects.exists()


def test_a_survey_step_needs_a_questionnaire_of_the_workspace_or_programme(design, instrument, cast, programme):
    text = {"en": {"subject": "How was it?", "body": "Tell us."}}
    with pytest.raises(designs.ValidationError) as error:
        designs.add_step(design=design, actor=None, kind=StepKind.SURVEY, content=text)
    assert error.value.message_dict["instrument"] == ["Choose the questionnaire this survey step sends."]
    other = programmes.create_programme(
        workspace=programme.workspace, actor=None, name="Other", format="classroom", currency="PLN"
    )
    foreign = create_from_template(workspace=programme.workspace, key="reaction", actor=None, programme=other)
    with pytest.raises(designs.ValidationError) as error:
        designs.add_step(design=design, actor=None, kind=StepKind.SURVEY, content=text, instrument=foreign)
    assert "instrument" in error.value.message_dict
    with pytest.raises(designs.ValidationError) as error:
        designs.add_step(design=design, actor=None, kind=StepKind.MESSAGE, content=text, instrument=instrument)
    assert error.value.message_dict["instrument"] == ["Only survey steps send a questionnaire."]
    step = designs.add_step(design=design, actor=None, kind=StepKind.SURVEY, content=text, instrument=instrument)
    assert step.instrument == instrument


def test_the_step_form_and_the_design_api_take_the_questionnaire(design, instrument, programme, cast, client_for):
    client = client_for(cast["admin"])
    form_url = reverse("followup:step_create", args=[programme.uuid])
    assert "How was the training? (Customer conversations)" in client.get(form_url).content.decode()
    data = {
        "kind": "survey",
        "audience": "participant",
        "channel": "mail",
        "anchor": "last_session",
        "offset_days": "1",
        "send_at": "14:00",
        "subject_en": "How was it, {name}?",
        "body_en": "Three minutes.",
    }
    page = client.post(form_url, data)
    assert page.status_code == 200  # refused, kept as typed
    assert "Choose the questionnaire this survey step sends." in page.content.decode()
    assert 'value="How was it, {name}?"' in page.content.decode()
    assert client.post(form_url, data | {"instrument": str(instrument.uuid)}).status_code == 302
    assert Step.objects.get(design=design).instrument == instrument

    api = f"/api/v1/followup-designs/{design.uuid}/steps"
    body = {"kind": "survey", "offset_days": 1, "content": {"en": {"subject": "How was it?", "body": "Tell us."}}}
    missing = client.post(api, body, content_type="application/json")
    assert missing.status_code == 400 and "instrument" in missing.json()["errors"]
    unknown = client.post(
        api, body | {"instrument": "00000000-0000-0000-0000-000000000000"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "instrument" in unknown.json()["errors"]
    created = client.post(api, body | {"instrument": str(instrument.uuid)}, content_type="application/json")
    assert created.status_code == 201 and created.json()["instrument"] == str(instrument.uuid)
    read = client.get(f"/api/v1/followup-designs/{design.uuid}").json()
    assert [s["instrument"] for s in read["steps"]] == [str(instrument.uuid)] * 2


def test_the_default_design_sends_the_reaction_survey_and_the_behaviour_follow_up(programme, cast):
    design = designs.create_design(programme=programme, actor=cast["admin"].user, from_default=True)
    steps = [s for s in designs.timeline(design) if s.kind == StepKind.SURVEY]
    assert [(s.offset_days, s.audience, s.instrument.template, s.instrument.programme) for s in steps] == [
        (1, Audience.PARTICIPANT, "reaction", programme),
        (75, Audience.PARTICIPANT, "behaviour", programme),
    ]
    for code in ("en", "pl", "sv", "zh-hans"):
        assert all(s.content[code]["subject"] and s.content[code]["body"] for s in steps)
