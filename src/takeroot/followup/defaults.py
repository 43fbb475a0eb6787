"""The default follow-up design that ships with Takeroot, described in code.

Days count from the cohort's last session. The texts are written in English with placeholders
(``{name}``, ``{programme}``, ``{plan_link}``, ``{goal}``, ``{check_in_link}``, ``{participant}``)
that delivery fills in; a copy stores them rendered in every language of the site
(``Step.content[code]``), so each workspace can then edit its own wording.

Essential steps (the action plan, check-in reminders, the session invitation, the manager's
conversation) reach even people who unsubscribed from optional mail; material, the weekly quiz
rounds, the surveys and the impact check are optional.

The two survey steps (the reaction survey the day after the last session, the behaviour follow-up
around day 75) send questionnaires made for the programme from the library's templates
(``surveys.library``) when the design is created; without a programme they are left out.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import Anchor, Audience, MaterialKind, StepKind

MORNING = datetime.time(9, 0)


@dataclass(frozen=True)
class DefaultStep:
    kind: str
    audience: str
    offset_days: int
    subject: Promise
    body: Promise
    checklist: tuple[Promise, ...] = ()
    anchor: str = Anchor.LAST_SESSION
    send_at: datetime.time = MORNING
    material_kind: str = ""
    repeat_every_days: int | None = None
    repeat_for_days: int | None = None
    if_no_check_in_days: int | None = None
    only_if_plan_not_approved: bool = False
    stop_when_plan_done: bool = True
    essential: bool = False
    # Survey steps: the key of the library template their questionnaire is made from.
    instrument_template: str = ""


DEFAULT_STEPS: tuple[DefaultStep, ...] = (
    DefaultStep(
        kind=StepKind.ACTION_PLAN,
        audience=Audience.PARTICIPANT,
        offset_days=1,
        subject=_("{programme}: write down what you will do differently"),
        body=_(
            "Hello {name},\n\n"
            "The training is behind you; now it pays off at work. Take fifteen minutes today to write "
            "your action plan: one to three goals you can measure, the first steps, and when you will "
            "check in.\n\n"
            "Write your plan: {plan_link}"
        ),
        only_if_plan_not_approved=True,
        essential=True,
    ),
    DefaultStep(
        kind=StepKind.SURVEY,
        audience=Audience.PARTICIPANT,
        offset_days=1,
        # In the afternoon: the action plan's message comes in the morning.
        send_at=datetime.time(14, 0),
        instrument_template="reaction",
        subject=_("{programme}: how was the training?"),
        body=_(
            "Hello {name},\n\n"
            "Three minutes of your time help us make this training and its follow-up more useful. "
            "Tell us how useful and relevant it was, and how confident you feel to apply it."
        ),
        stop_when_plan_done=False,
    ),
    DefaultStep(
        kind=StepKind.MATERIAL,
        audience=Audience.PARTICIPANT,
        offset_days=3,
        material_kind=MaterialKind.CHECKLIST,
        subject=_("{programme}: a checklist for your first week"),
        body=_(
            "Hello {name},\n\n"
            "Three days after the training is when most of it starts to fade. Tick off what you have "
            "already done, and do one more thing today.\n\n"
            "Your plan: {plan_link}"
        ),
        checklist=(
            _("I reread my notes from the training"),
            _("I wrote my action plan"),
            _("I told my manager what I want to try"),
            _("I tried one new technique at work"),
        ),
    ),
    DefaultStep(
        kind=StepKind.MATERIAL,
        audience=Audience.PARTICIPANT,
        offset_days=7,
        material_kind=MaterialKind.TEXT,
        subject=_("{programme}: five minutes to bring it back"),
        body=_(
            "Hello {name},\n\n"
            "A week has passed. Recall the one idea from the training you found most useful, and "
            "think of a situation this week where you can use it. Small steps, repeated, are what "
            "make a skill stick.\n\n"
            "Your goal: {goal}"
        ),
    ),
    DefaultStep(
        kind=StepKind.CHECK_IN,
        audience=Audience.PARTICIPANT,
        offset_days=7,
        # Empty: at the participant's own check-in cadence, for twelve weeks.
        repeat_for_days=84,
        subject=_("{programme}: how is it going?"),
        body=_(
            "Hello {name},\n\n"
            "Time for a short check-in on your goal “{goal}”. What did you do, what got in the way, "
            "and how confident are you? It takes a minute.\n\n"
            "Check in: {check_in_link}"
        ),
        essential=True,
    ),
    DefaultStep(
        kind=StepKind.QUIZ_ROUND,
        audience=Audience.PARTICIPANT,
        offset_days=7,
        # Weekly for seven weeks: spaced retrieval while forgetting is fastest.
        repeat_every_days=7,
        repeat_for_days=49,
        subject=_("{programme}: a few quick questions"),
        body=_(
            "Hello {name},\n\n"
            "Recalling what you learned is what makes it stay. Answer with one click; you will see "
            "the explanation right away."
        ),
        stop_when_plan_done=False,
    ),
    DefaultStep(
        kind=StepKind.SESSION_INVITATION,
        audience=Audience.PARTICIPANT,
        offset_days=14,
        subject=_("{programme}: join the follow-up session"),
        body=_(
            "Hello {name},\n\n"
            "Two weeks on, let us meet again: share what worked, what got in the way, and agree the "
            "next steps with the group. Please say whether you will attend."
        ),
        stop_when_plan_done=False,
        essential=True,
    ),
    DefaultStep(
        kind=StepKind.MANAGER_TALK,
        audience=Audience.MANAGER,
        offset_days=21,
        subject=_("{programme}: a conversation with {participant}"),
        body=_(
            "Hello {name},\n\n"
            "{participant} finished “{programme}” three weeks ago. A short conversation with you now "
            "is what most helps the training turn into changed work. A suggested agenda:\n\n"
            "The action plan: {plan_link}"
        ),
        checklist=(
            _("What did you learn, and what have you tried since?"),
            _("Walk through the action plan and its goals together."),
            _("What support do you need from me, and by when?"),
        ),
        stop_when_plan_done=False,
        essential=True,
    ),
    DefaultStep(
        kind=StepKind.MESSAGE,
        audience=Audience.TRAINER,
        offset_days=28,
        if_no_check_in_days=14,
        subject=_("{programme}: {participant} has gone quiet"),
        body=_(
            "Hello {name},\n\n"
            "{participant} has not checked in for two weeks. A short personal message from you often "
            "brings someone back: ask what got in the way and whether they need help.\n\n"
            "Their action plan: {plan_link}"
        ),
        stop_when_plan_done=False,
    ),
    DefaultStep(
        kind=StepKind.SURVEY,
        audience=Audience.PARTICIPANT,
        offset_days=75,
        instrument_template="behaviour",
        subject=_("{programme}: how often do you use what you learned?"),
        body=_(
            "Hello {name},\n\n"
            "Some ten weeks have passed since “{programme}”. Tell us how often you now use what you "
            "learned at work, and what helps or gets in the way. It takes about five minutes."
        ),
        stop_when_plan_done=False,
    ),
    DefaultStep(
        kind=StepKind.MESSAGE,
        audience=Audience.PARTICIPANT,
        offset_days=90,
        subject=_("{programme}: what has changed in three months?"),
        body=_(
            "Hello {name},\n\n"
            "Three months ago you finished “{programme}”. What has changed in your work since? Think "
            "of one concrete example and what it made better. Your answer helps us make the next "
            "training more useful.\n\n"
            "Your plan: {plan_link}"
        ),
        stop_when_plan_done=False,
    ),
    DefaultStep(
        kind=StepKind.MESSAGE,
        audience=Audience.MANAGER,
        offset_days=90,
        subject=_("{programme}: what has changed for {participant}?"),
        body=_(
            "Hello {name},\n\n"
            "Three months ago {participant} finished “{programme}”. What have you seen change in their "
            "work since? One concrete observation is enough, and it shows whether the training was "
            "worth it.\n\n"
            "Their action plan: {plan_link}"
        ),
        stop_when_plan_done=False,
    ),
)

STEP_FIELDS = (
    "kind",
    "audience",
    "anchor",
    "offset_days",
    "send_at",
    "material_kind",
    "repeat_every_days",
    "repeat_for_days",
    "if_no_check_in_days",
    "only_if_plan_not_approved",
    "stop_when_plan_done",
    "essential",
)


def localised_content(subject: Promise, body: Promise, checklist=()) -> dict:
    """``{code: {"subject", "body", "checklist"}}`` for every language of the site, each rendered
    in that language."""
    content = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            content[code] = {
                "subject": str(subject),
                "body": str(body),
                "checklist": [str(line) for line in checklist],
            }
    return content


def _instrument(programme, key: str, actor):
    """The programme's questionnaire made from the library template ``key``: the one made before
    (not archived), else a new copy."""
    from takeroot.surveys.library import create_from_template
    from takeroot.surveys.models import Instrument

    found = Instrument.objects.filter(
        workspace_id=programme.workspace_id, programme=programme, template=key, archived=False
    ).first()
    return found or create_from_template(workspace=programme.workspace, key=key, actor=actor, programme=programme)


def default_steps(*, programme=None, actor=None) -> list[dict]:
    """The default design's steps as field values for ``Step``, in timeline order. With a
    ``programme``, the survey steps get its questionnaires (made from the library's templates
    when it has none yet: a side effect); without one they are left out."""
    steps = [step for step in DEFAULT_STEPS if programme is not None or not step.instrument_template]
    return [
        {name: getattr(step, name) for name in STEP_FIELDS}
        | {"position": position, "content": localised_content(step.subject, step.body, step.checklist)}
        | ({"instrument": _instrument(programme, step.instrument_template, actor)} if step.instrument_template else {})
        for position, step in enumerate(steps, start=1)
    ]


def create_design(**kwargs):
    """``designs.create_design``, for callers that look for it next to the default."""
    from .designs import create_design as create

    return create(**kwargs)


def copy_design(**kwargs):
    """``designs.copy_design``, for callers that look for it next to the default."""
    from .designs import copy_design as copy

    return copy(**kwargs)
