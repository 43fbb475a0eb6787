"""Follow-up designs: the default design, the services' checks, and the design pages (timeline,
step editor, preview with real dates, test send to yourself) with their permissions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope

from takeroot.core.models import AuditEntry
from takeroot.followup import designs, schedule
from takeroot.followup.enums import Anchor, Audience, StepKind, TouchpointState
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment

LAST_SESSION = datetime.datetime(2026, 9, 30, 12, 0, tzinfo=datetime.UTC)  # a Wednesday


@pytest.fixture
def course(cast):
    return programmes.create_programme(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Difficult conversations", currency="PLN"
    )


@pytest.fixture
def run(cast, course):
    """A cohort of the course whose last session is on Wednesday 30 September 2026, with the
    participant (line manager: the manager) enrolled."""
    cohort = programmes.create_cohort(
        programme=course,
        actor=cast["admin"].user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 9, 28),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[cast["trainer"]],
    )
    programmes.save_session(
        cohort=cohort,
        actor=cast["admin"].user,
        title="Day 1",
        starts_at=datetime.datetime(2026, 9, 28, 7, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 9, 28, 15, 0, tzinfo=datetime.UTC),
    )
    programmes.save_session(
        cohort=cohort,
        actor=cast["admin"].user,
        title="Day 2",
        starts_at=LAST_SESSION,
        ends_at=LAST_SESSION + datetime.timedelta(hours=3),
    )
    programmes.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["participant"]])
    return cohort


@pytest.fixture
def enrolment(run, cast):
    return Enrolment.objects.get(cohort=run, person=cast["participant"])


@pytest.fixture
def default_design(course, cast):
    return designs.create_design(programme=course, actor=cast["admin"].user, from_default=True)


def text(subject="Hello {name}", body="Time to check in: {check_in_link}", checklist=()):
    return {"en": {"subject": subject, "body": body, "checklist": list(checklist)}}


# The default design -------------------------------------------------------------------------


def test_default_design_has_its_steps_on_the_right_days(default_design):
    steps = designs.timeline(default_design)
    assert [(s.kind, s.audience, s.anchor, s.offset_days) for s in steps] == [
        (StepKind.ACTION_PLAN, Audience.PARTICIPANT, Anchor.LAST_SESSION, 1),
        (StepKind.SURVEY, Audience.PARTICIPANT, Anchor.LAST_SESSION, 1),
        (StepKind.MATERIAL, Audience.PARTICIPANT, Anchor.LAST_SESSION, 3),
        (StepKind.MATERIAL, Audience.PARTICIPANT, Anchor.LAST_SESSION, 7),
        (StepKind.CHECK_IN, Audience.PARTICIPANT, Anchor.LAST_SESSION, 7),
        (StepKind.QUIZ_ROUND, Audience.PARTICIPANT, Anchor.LAST_SESSION, 7),
        (StepKind.SESSION_INVITATION, Audience.PARTICIPANT, Anchor.LAST_SESSION, 14),
        (StepKind.MANAGER_TALK, Audience.MANAGER, Anchor.LAST_SESSION, 21),
        (StepKind.MESSAGE, Audience.TRAINER, Anchor.LAST_SESSION, 28),
        (StepKind.SURVEY, Audience.PARTICIPANT, Anchor.LAST_SESSION, 75),
        (StepKind.MESSAGE, Audience.PARTICIPANT, Anchor.LAST_SESSION, 90),
        (StepKind.MESSAGE, Audience.MANAGER, Anchor.LAST_SESSION, 90),
    ]
    assert [s.material_kind for s in steps[2:4]] == ["checklist", "text"]
    check_in = steps[4]
    assert (check_in.repeat_every_days, check_in.repeat_for_days) == (None, 84)
    quiz = steps[5]  # weekly for seven weeks
    assert (quiz.repeat_every_days, quiz.repeat_for_days, quiz.stop_when_plan_done) == (7, 49, False)
    assert [s.essential for s in steps] == [
        True, False, False, False, True, False, True, True, False, False, False, False
    ]  # fmt: skip
    assert steps[0].only_if_plan_not_approved is True
    assert steps[8].if_no_check_in_days == 14
    # The reaction survey comes in the afternoon, after the action plan's morning message.
    assert {s.send_at for s in steps} == {datetime.time(9, 0), datetime.time(14, 0)}
    assert steps[1].send_at == datetime.time(14, 0)
    assert [(s.instrument.template, s.instrument.programme) for s in (steps[1], steps[9])] == [
        ("reaction", default_design.programme),
        ("behaviour", default_design.programme),
    ]
    assert default_design.name == "Follow-up for Difficult conversations"


def test_default_design_content_is_stored_in_every_language(default_design):
    steps = designs.timeline(default_design)
    for step in steps:
        assert set(step.content) == {"en", "pl", "sv", "zh-hans"}
        for code in ("pl", "sv", "zh-hans"):
            assert set(step.content[code]) == {"subject", "body", "checklist"}
            assert step.content[code]["subject"] and step.content[code]["body"]
    assert steps[0].content["en"]["subject"] == "{programme}: write down what you will do differently"
    assert "{plan_link}" in steps[0].content["en"]["body"]
    assert "{check_in_link}" in steps[4].content["en"]["body"]
    assert steps[5].content["en"]["subject"] == "{programme}: a few quick questions"
    assert steps[7].content["en"]["subject"] == "{programme}: a conversation with {participant}"
    assert steps[7].content["en"]["checklist"] == [
        "What did you learn, and what have you tried since?",
        "Walk through the action plan and its goals together.",
        "What support do you need from me, and by when?",
    ]
    assert steps[8].content["en"]["subject"] == "{programme}: {participant} has gone quiet"


def test_a_programme_has_one_design(default_design, course, cast):
    with pytest.raises(designs.ValidationError):
        designs.create_design(programme=course, actor=cast["admin"].user, from_default=False)
    assert Design.objects.filter(programme=course).count() == 1


def test_copy_design_copies_the_steps_and_wording(default_design, cast):
    other = programmes.create_programme(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Feedback", currency="PLN"
    )
    copy = designs.copy_design(design=default_design, programme=other, actor=cast["admin"].user)
    pairs = [(s.kind, s.offset_days, s.content) for s in designs.timeline(copy)]
    assert pairs == [(s.kind, s.offset_days, s.content) for s in designs.timeline(default_design)]
    assert copy.programme == other


def test_empty_design_has_no_steps(course, cast):
    design = designs.create_design(programme=course, actor=cast["admin"].user, from_default=False)
    assert not design.steps.exists()


def test_changes_plan_the_touchpoints_on_commit(course, run, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        design = designs.create_design(programme=course, actor=cast["admin"].user, from_default=True)
    planned = Touchpoint.objects.filter(step__design=design, state=TouchpointState.SCHEDULED)
    assert planned.filter(recipient=cast["participant"]).exists()
    assert planned.filter(recipient=cast["manager"], step__kind=StepKind.MANAGER_TALK).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        step = designs.add_step(
            design=design, actor=cast["admin"].user, kind=StepKind.MESSAGE, offset_days=45, content=text()
        )
    assert Touchpoint.objects.filter(step=step, recipient=cast["participant"]).count() == 1


def test_re_planning_after_the_commit_works_with_the_workspace_guard_on(
    course, run, cast, django_capture_on_commit_callbacks
):
    # The demo and commands commit outside any request: the re-planning enters the scope itself.
    with django_capture_on_commit_callbacks() as callbacks:
        design = designs.create_design(programme=course, actor=cast["admin"].user, from_default=True)
    with scope():  # the guard on, no workspace entered
        for callback in callbacks:
            callback()
    assert Touchpoint.objects.filter(step__design=design, recipient=cast["participant"]).exists()


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": StepKind.MESSAGE, "content": text(body="")}, "content"),
        ({"kind": StepKind.MESSAGE, "content": {}}, "content"),
        ({"kind": StepKind.MESSAGE, "content": {"xx": {"subject": "a", "body": "b"}}}, "content"),
        ({"kind": StepKind.MESSAGE, "content": text(), "offset_days": 800}, "offset_days"),
        ({"kind": StepKind.MESSAGE, "content": text(), "offset_days": -400}, "offset_days"),
        ({"kind": StepKind.MATERIAL, "content": text(), "material_kind": "video"}, "material_url"),
        ({"kind": StepKind.MATERIAL, "content": text()}, "material_kind"),
        ({"kind": StepKind.MESSAGE, "content": text(), "material_kind": "text"}, "material_kind"),
        ({"kind": StepKind.MESSAGE, "content": text(), "repeat_every_days": 7}, "repeat_every_days"),
        ({"kind": StepKind.CHECK_IN, "content": text(), "repeat_every_days": 0}, "repeat_every_days"),
        ({"kind": StepKind.MANAGER_TALK, "content": text(), "audience": Audience.PARTICIPANT}, "audience"),
        ({"kind": StepKind.CHECK_IN, "content": text(), "audience": Audience.MANAGER}, "audience"),
        ({"kind": StepKind.QUIZ_ROUND, "content": text(), "audience": Audience.MANAGER}, "audience"),
        ({"kind": StepKind.QUIZ_ROUND, "content": text(), "if_quiz_score_below": 0}, "if_quiz_score_below"),
        ({"kind": "quiz", "content": text()}, "kind"),
    ],
)
def test_add_step_refuses_what_cannot_work(default_design, cast, fields, field):
    with pytest.raises(designs.ValidationError) as error:
        designs.add_step(design=default_design, actor=cast["admin"].user, **fields)
    assert field in error.value.message_dict
    assert default_design.steps.count() == 12


def test_add_step_keeps_tidy_content_and_writes_the_audit(default_design, cast):
    step = designs.add_step(
        design=default_design,
        actor=cast["admin"].user,
        kind=StepKind.MATERIAL,
        material_kind="video",
        material_url="https://video.example/lesson",
        offset_days=10,
        content={"en": {"subject": " Watch ", "body": "Five minutes", "checklist": "one\n\n two "}, "pl": {}},
    )
    assert step.content == {"en": {"subject": "Watch", "body": "Five minutes", "checklist": ["one", "two"]}}
    assert step.position == 13
    entry = AuditEntry.objects.get(object_uuid=step.uuid)
    assert entry.action == "created"


def test_update_step_changes_what_is_given_and_refuses_nonsense(default_design, cast):
    step = designs.timeline(default_design)[7]
    changed = designs.update_step(step=step, actor=cast["admin"].user, offset_days=25)
    assert changed == {"offset_days": (21, 25)}
    with pytest.raises(designs.ValidationError):
        designs.update_step(step=step, actor=cast["admin"].user, audience=Audience.PARTICIPANT)
    step.refresh_from_db()
    assert (step.offset_days, step.audience) == (25, Audience.MANAGER)


def test_move_step_swaps_only_within_a_day(default_design, cast):
    steps = designs.timeline(default_design)
    lesson, check_in = steps[3], steps[4]
    assert designs.move_step(step=check_in, actor=cast["admin"].user, up=True) is True
    assert [s.pk for s in designs.timeline(default_design)[3:5]] == [check_in.pk, lesson.pk]
    assert designs.move_step(step=steps[2], actor=cast["admin"].user, up=False) is False
    assert designs.move_step(step=steps[2], actor=cast["admin"].user, up=True) is False


def test_sent_steps_and_designs_stay(default_design, enrolment, cast):
    step = designs.timeline(default_design)[0]
    Touchpoint.objects.create(
        workspace=step.workspace,
        step=step,
        enrolment=enrolment,
        recipient=cast["participant"],
        due_at=timezone.now(),
        state=TouchpointState.SENT,
    )
    with pytest.raises(designs.ValidationError):
        designs.delete_step(step=step, actor=cast["admin"].user)
    with pytest.raises(designs.ValidationError):
        designs.delete_design(design=default_design, actor=cast["admin"].user)
    other = designs.timeline(default_design)[1]
    designs.delete_step(step=other, actor=cast["admin"].user)
    assert not Step.objects.filter(pk=other.pk).exists()


def test_default_preview_cohort_is_the_next_else_the_latest(run, course, cast):
    later = programmes.create_cohort(
        programme=course,
        actor=cast["admin"].user,
        name="Later",
        starts_on=datetime.date(2027, 1, 10),
        ends_on=datetime.date(2027, 1, 12),
    )
    cohorts = [run, later]
    assert designs.default_preview_cohort(cohorts, today=datetime.date(2026, 9, 1)) == run
    assert designs.default_preview_cohort(cohorts, today=datetime.date(2026, 10, 1)) == later
    assert designs.default_preview_cohort(cohorts, today=datetime.date(2027, 2, 1)) == later
    assert designs.default_preview_cohort([], today=datetime.date(2027, 2, 1)) is None


# Pages --------------------------------------------------------------------------------------


def url(course, tail=""):
    return f"/programmes/{course.uuid}/follow-up/{tail}"


@pytest.mark.parametrize("role", ["admin", "trainer"])
def test_designers_start_from_the_default(course, cast, client_for, role):
    client = client_for(cast[role])
    page = client.get(url(course)).content.decode()
    assert "Start from the default design" in page and "Start empty" in page
    response = client.post(url(course, "start/"), {"start": "default"})
    assert response.status_code == 302
    page = client.get(url(course)).content.decode()
    assert "Day 21 from the last session" in page
    assert "Difficult conversations: a conversation with {participant}" not in page  # placeholders stay as written
    assert "{programme}: a conversation with {participant}" in page
    assert "if no check-in in 14 days" in page


def test_start_empty(course, cast, client_for):
    client = client_for(cast["admin"])
    client.post(url(course, "start/"), {"start": "empty"})
    design = Design.objects.get(programme=course)
    assert not design.steps.exists()
    assert "No steps yet" in client.get(url(course)).content.decode()


@pytest.mark.parametrize("role", ["participant", "manager", "mentor"])
def test_other_roles_are_refused(default_design, course, cast, client_for, role):
    client = client_for(cast[role])
    step = default_design.steps.first()
    assert client.get(url(course)).status_code == 403
    assert client.get(url(course, "preview/")).status_code == 403
    assert client.get(url(course, f"steps/{step.uuid}/")).status_code == 403
    assert client.post(url(course, "start/"), {"start": "default"}).status_code == 403
    assert client.post(url(course, f"steps/{step.uuid}/delete/")).status_code == 403
    assert Step.objects.filter(pk=step.pk).exists()


def test_another_workspace_is_not_found(default_design, course, cast, client_for):
    client = client_for(cast["outsider"])
    step = default_design.steps.first()
    assert client.get(url(course)).status_code == 404
    assert client.get(url(course, "preview/")).status_code == 404
    assert client.get(url(course, f"steps/{step.uuid}/")).status_code == 404
    assert client.post(url(course, "start/"), {"start": "default"}).status_code == 404
    assert client.post(url(course, f"steps/{step.uuid}/move/"), {"direction": "up"}).status_code == 404


def step_post(**overrides):
    data = {
        "kind": "message",
        "audience": "participant",
        "channel": "mail",
        "anchor": "last_session",
        "offset_days": "45",
        "send_at": "10:30",
        "stop_when_plan_done": "on",
        "subject_en": "Six weeks on, {name}",
        "body_en": "What has changed?",
        "checklist_en": "",
    }
    for code in ("pl", "sv", "zh-hans"):
        data |= {f"subject_{code}": "", f"body_{code}": "", f"checklist_{code}": ""}
    return data | overrides


def test_step_form_keeps_input_on_errors(default_design, course, cast, client_for):
    client = client_for(cast["admin"])
    response = client.post(url(course, "steps/new/"), step_post(body_en="", subject_pl="Sześć tygodni"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write a subject and a message in at least one language." in page
    assert 'value="Six weeks on, {name}"' in page and 'value="Sześć tygodni"' in page
    response = client.post(url(course, "steps/new/"), step_post(kind="manager_talk"))
    assert "Manager conversation prompt goes to: Line manager." in response.content.decode()
    response = client.post(url(course, "steps/new/"), step_post(offset_days="1000"))
    assert response.status_code == 200 and 'value="1000"' in response.content.decode()
    assert default_design.steps.count() == 12


def test_step_form_adds_and_edits(default_design, course, cast, client_for):
    client = client_for(cast["trainer"])
    page = client.get(url(course, "steps/new/")).content.decode()
    for name in ("English", "Polski", "Svenska", "简体中文", "{check_in_link}", "{participant}"):
        assert name in page
    response = client.post(url(course, "steps/new/"), step_post(subject_sv="Sex veckor", body_sv="Vad har ändrats?"))
    step = default_design.steps.get(offset_days=45)
    assert response.status_code == 302 and response["Location"].endswith(f"#step-{step.uuid}")
    assert step.send_at == datetime.time(10, 30)
    assert step.content["sv"] == {"subject": "Sex veckor", "body": "Vad har ändrats?", "checklist": []}
    assert set(step.content) == {"en", "sv"}
    page = client.get(url(course, f"steps/{step.uuid}/")).content.decode()
    assert 'value="Sex veckor"' in page
    client.post(url(course, f"steps/{step.uuid}/"), step_post(offset_days="50", checklist_en="one\ntwo"))
    step.refresh_from_db()
    assert (step.offset_days, step.content["en"]["checklist"]) == (50, ["one", "two"])


def test_timeline_shows_the_subject_in_the_viewers_language(default_design, course, cast, client_for):
    step = designs.timeline(default_design)[0]
    designs.update_step(
        step=step,
        actor=None,
        content=step.content | {"pl": {"subject": "Zapisz swój plan", "body": "Treść", "checklist": []}},
    )
    user = cast["admin"].user
    user.language = "pl"
    user.save()
    page = client_for(cast["admin"]).get(url(course)).content.decode()
    assert "Zapisz swój plan" in page


def test_move_and_delete_pages(default_design, course, cast, client_for):
    client = client_for(cast["admin"])
    steps = designs.timeline(default_design)
    response = client.post(url(course, f"steps/{steps[4].uuid}/move/"), {"direction": "up"})
    assert response.status_code == 302
    assert [s.pk for s in designs.timeline(default_design)[3:5]] == [steps[4].pk, steps[3].pk]
    assert "Delete the step" in client.get(url(course, f"steps/{steps[2].uuid}/delete/")).content.decode()
    assert client.post(url(course, f"steps/{steps[2].uuid}/delete/")).status_code == 302
    assert not Step.objects.filter(pk=steps[2].pk).exists()
    assert client.post(url(course, "delete/")).status_code == 302
    assert not Design.objects.filter(pk=default_design.pk).exists()


# Preview and test send -----------------------------------------------------------------------


def test_preview_without_participants_explains_what_to_do(default_design, course, cast, client_for):
    page = client_for(cast["admin"]).get(url(course, "preview/")).content.decode()
    assert "has participants yet" in page
    assert "enrol people" in page


def test_preview_shows_real_dates_in_the_viewers_time_zone(default_design, course, enrolment, cast, client_for):
    participant = cast["participant"].user
    participant.timezone = "Europe/Warsaw"
    participant.save()
    viewer = cast["admin"].user
    viewer.timezone = "Asia/Shanghai"
    viewer.save()
    planned = schedule.plan_enrolment(enrolment)
    action_plan = next(p for p in planned if p.step.kind == StepKind.ACTION_PLAN)
    # Day 1 after Wednesday's last session: Thursday 1 October, 09:00 in Warsaw is 15:00 in Shanghai.
    assert action_plan.due_at == datetime.datetime(2026, 10, 1, 7, 0, tzinfo=datetime.UTC)
    page = client_for(cast["admin"]).get(url(course, "preview/")).content.decode()
    assert 'datetime="2026-10-01T15:00:00+08:00"' in page
    assert "Difficult conversations: write down what you will do differently" in page
    assert "Pia Participant" in page and "Magnus Manager" in page
    for item in planned:
        local = item.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
        assert f'datetime="{local.isoformat()}"' in page


def test_preview_for_a_chosen_participant(default_design, course, run, enrolment, cast, client_for):
    programmes.enrol_people(cohort=run, actor=cast["admin"].user, people=[cast["other_participant"]])
    other = Enrolment.objects.get(cohort=run, person=cast["other_participant"])
    client = client_for(cast["admin"])
    page = client.get(url(course, "preview/")).content.decode()
    assert "Every step Olek Other" in page  # the first by name
    page = client.get(url(course, f"preview/?cohort={run.uuid}&enrolment={enrolment.uuid}")).content.decode()
    assert "Every step Pia Participant" in page
    page = client.get(url(course, f"preview/?enrolment={other.uuid}")).content.decode()
    assert "Every step Olek Other" in page


def test_test_send_arrives_addressed_to_you(default_design, course, enrolment, cast, client_for, smtp_sink):
    client = client_for(cast["trainer"])
    step = designs.timeline(default_design)[0]
    response = client.post(url(course, "preview/send/"), {"step": str(step.uuid), "enrolment": str(enrolment.uuid)})
    assert response.status_code == 302
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "trainer@acme.test"
    assert "Difficult conversations: write down what you will do differently" in message["Subject"]
    page = client.get(response["Location"]).content.decode()
    assert "Sent to trainer@acme.test." in page
    assert not Touchpoint.objects.exists()


def test_test_send_refuses_unknown_things(default_design, course, enrolment, cast, client_for, smtp_sink):
    client = client_for(cast["admin"])
    step = designs.timeline(default_design)[0]
    assert client.post(url(course, "preview/send/"), {"step": "nonsense"}).status_code == 404
    assert client.post(url(course, "preview/send/"), {"step": str(step.uuid), "enrolment": ""}).status_code == 404
    participant = client_for(cast["participant"])
    assert (
        participant.post(url(course, "preview/send/"), {"step": str(step.uuid), "enrolment": str(enrolment.uuid)})
    ).status_code == 403
    assert smtp_sink.messages == []
