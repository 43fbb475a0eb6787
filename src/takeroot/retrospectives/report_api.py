"""The "what stuck and why" report over JSON: the same statistics as the page and the exports."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Schema

from takeroot.catalogue.enums import InitiativeKind
from takeroot.core.api_support import READ_ERRORS, api_workspace, require_api_perm
from takeroot.core.rules import API_KEY_SCOPES

from .enums import RetrospectiveState, StuckLevel, WhyTag
from .queries import retrospectives_for_workspace
from .report import Verdict, build_report

router = Router(tags=["retrospectives"])

API_KEY_SCOPES.update({"retrospectives.view_report": "retrospectives:read"})


class InitiativeRefOut(Schema):
    id: UUID = Field(alias="uuid")
    title: str
    kind: InitiativeKind


class RankingOut(Schema):
    """``rank`` is null for initiatives nobody rated; ``per_level`` counts ratings at level 0, 1, 2 and 3."""

    rank: int | None
    initiative: InitiativeRefOut
    ratings: int
    per_level: list[int]
    mean_level: float | None
    changed: int = Field(description="Raters who say it changed how they or the team work (level 2 or 3).")
    share_changed: float | None
    verdict: Verdict


class FactorOut(Schema):
    """How often ratings of sticky (level 2–3) and forgotten (level 0) initiatives give a reason.
    Shares are 0–1; ``difference_points`` is in percentage points; ``p_value`` is Fisher's exact test."""

    tag: WhyTag
    label: str
    stuck_count: int
    stuck_share: float | None
    forgotten_count: int
    forgotten_share: float | None
    difference_points: float | None
    p_value: float | None
    clear_difference: bool


class OtherReasonOut(Schema):
    initiative: InitiativeRefOut
    level: StuckLevel
    text: str


class CostOut(Schema):
    initiative: InitiativeRefOut
    cost: Decimal | None
    currency: str
    verdict: Verdict
    changed: int
    cost_per_changed_rater: Decimal | None


class CurrencyCostOut(Schema):
    currency: str
    initiatives: int
    total: Decimal
    stuck: int
    cost_per_stuck: Decimal | None
    forgotten: int
    spent_on_forgotten: Decimal


class RepeatOut(Schema):
    initiative: InitiativeRefOut
    votes: int
    ratings: int
    share: float
    comments: list[str]


class IndicatorOut(Schema):
    name: str
    value: Decimal
    unit: str
    source: str
    from_takeroot: bool


class IndicatorGroupOut(Schema):
    initiative: InitiativeRefOut
    indicators: list[IndicatorOut]


class ResponseOut(Schema):
    group: str = Field(description='"leadership", "participant" or "all".')
    label: str
    invited: int
    submitted: int
    rate: float | None


class ReportOut(Schema):
    """The report of one retrospective; ``interim`` while it is still open for ratings. Raters are anonymous."""

    id: UUID
    title: str
    period_start: datetime.date
    period_end: datetime.date
    state: RetrospectiveState
    interim: bool
    generated_on: datetime.date
    response: list[ResponseOut]
    ranking: list[RankingOut]
    stuck_ratings: int
    forgotten_ratings: int
    factors: list[FactorOut]
    other_reasons: list[OtherReasonOut]
    costs: list[CostOut]
    currencies: list[CurrencyCostOut]
    repeat: list[RepeatOut]
    indicators: list[IndicatorGroupOut]


@router.get(
    "/retrospectives/{retrospective_id}/report",
    response={200: ReportOut, **READ_ERRORS},
    summary='The "what stuck and why" report of a retrospective',
)
def get_report(request, retrospective_id: UUID):
    workspace = api_workspace(request)
    retrospective = retrospectives_for_workspace(workspace).filter(uuid=retrospective_id).first()
    if retrospective is None:
        raise Http404
    require_api_perm(request, "retrospectives.view_report", workspace)
    report = build_report(retrospective)
    return {
        "id": retrospective.uuid,
        "title": retrospective.title,
        "period_start": retrospective.period_start,
        "period_end": retrospective.period_end,
        "state": retrospective.state,
        "interim": report.interim,
        "generated_on": report.generated_on,
        "response": [{**row.__dict__, "rate": row.rate} for row in report.response],
        "ranking": report.ranking,
        "stuck_ratings": report.stuck_ratings,
        "forgotten_ratings": report.forgotten_ratings,
        "factors": [{**row.__dict__, "clear_difference": row.clear_difference} for row in report.factors],
        "other_reasons": report.other_reasons,
        "costs": report.costs,
        "currencies": report.currencies,
        "repeat": report.repeat,
        "indicators": report.indicators,
    }
