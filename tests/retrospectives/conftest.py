"""Three initiatives (two in the period, one long before), a retrospective over them with the
manager in the leadership group and the participant among the participants, and API keys."""

import datetime

import pytest

from takeroot.catalogue.services import create_initiative
from takeroot.core.services import create_api_key
from takeroot.retrospectives import services
from takeroot.retrospectives.enums import RaterGroup

START, END = datetime.date(2025, 1, 1), datetime.date(2026, 10, 31)


@pytest.fixture
def initiatives(cast, team):
    admin = cast["admin"]

    def make(title, kind, starts_on, **fields):
        return create_initiative(
            workspace=admin.workspace, actor=admin.user, title=title, kind=kind, starts_on=starts_on, **fields
        )

    return {
        "workshop": make("Feedback workshop", "workshop", datetime.date(2025, 9, 1), teams=[team]),
        "conference": make(
            "Logistics Summit", "conference", datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 3)
        ),
        "old": make("Old habits seminar", "hired_expert", datetime.date(2021, 5, 5)),
    }


@pytest.fixture
def retrospective(cast, initiatives):
    return services.open_retrospective(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        title="What stuck 2025–2026",
        period_start=START,
        period_end=END,
        introduction="Be honest.",
        initiatives=[initiatives["workshop"], initiatives["conference"]],
        leadership=[cast["manager"]],
        participants=[cast["participant"]],
    )


@pytest.fixture
def rater_of(retrospective):
    def find(person):
        return retrospective.raters.get(person=person)

    return find


@pytest.fixture
def key(cast):
    def make(*scopes, workspace=None):
        return create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=None, name="BI export", scopes=list(scopes)
        )[1]

    return make


def answer(level=2, reasons=("practice_tasks",), **fields):
    return {"level": level, "reasons": list(reasons), "other_reason": "", "repeat": False, "comment": "", **fields}


LEADERSHIP, PARTICIPANT = RaterGroup.LEADERSHIP, RaterGroup.PARTICIPANT
