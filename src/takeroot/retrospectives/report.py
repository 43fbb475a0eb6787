"""The "what stuck and why" statistics of one retrospective, read from the database.

Pure reads: one query per kind of row (initiatives, ratings, raters, indicators, enrolments, and
the catalogue's facts), whatever the number of initiatives. The page, the exports and the API all
show what ``build_report`` returns.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Count, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takeroot.catalogue.queries import initiative_facts
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from .enums import RaterGroup, StuckLevel, WhyTag
from .models import EffectIndicator, Rater, Rating, Retrospective

MIN_RATINGS = 3  # fewer ratings than this say too little to rank an initiative with the others
SIGNIFICANCE = 0.05
CENTS = Decimal("0.01")


def percent(share: float | None) -> float | None:
    """A share (0–1) as a percentage with one decimal, for display."""
    return None if share is None else round(share * 100, 1)


class Verdict(TextChoices):
    STUCK = "stuck", _("Stuck")
    REMEMBERED = "remembered", _("Remembered")
    FORGOTTEN = "forgotten", _("Forgotten")
    TOO_FEW = "too_few", _("Too few ratings")
    UNRATED = "unrated", _("Nobody rated it")


@dataclass(frozen=True)
class InitiativeRef:
    uuid: UUID
    title: str
    kind: str
    kind_label: str


@dataclass(frozen=True)
class RankingRow:
    """How well one initiative stuck. ``rank`` is None for initiatives nobody rated."""

    rank: int | None
    initiative: InitiativeRef
    ratings: int
    per_level: tuple[int, int, int, int]  # count of ratings at level 0, 1, 2, 3
    mean_level: float | None
    changed: int  # raters who say it changed how they or the team work (level 2 or 3)
    share_changed: float | None
    verdict: Verdict

    @property
    def too_few(self) -> bool:
        return self.verdict == Verdict.TOO_FEW

    @property
    def verdict_label(self) -> str:
        return str(self.verdict.label)

    @property
    def share_changed_percent(self) -> float | None:
        return percent(self.share_changed)


@dataclass(frozen=True)
class FactorRow:
    """One reason: how often the ratings of sticky and of forgotten initiatives cite it."""

    tag: str
    label: str
    stuck_count: int
    stuck_share: float | None
    forgotten_count: int
    forgotten_share: float | None
    difference_points: float | None  # stuck share minus forgotten share, in percentage points
    p_value: float | None  # Fisher's exact test on the 2 × 2 table; None when a group is empty

    @property
    def clear_difference(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE

    @property
    def stuck_percent(self) -> float | None:
        return percent(self.stuck_share)

    @property
    def forgotten_percent(self) -> float | None:
        return percent(self.forgotten_share)


@dataclass(frozen=True)
class OtherReason:
    initiative: InitiativeRef
    level: int
    level_label: str
    text: str


@dataclass(frozen=True)
class CostRow:
    initiative: InitiativeRef
    cost: Decimal | None
    currency: str
    verdict: Verdict
    changed: int
    cost_per_changed_rater: Decimal | None  # only for initiatives that stuck and whose cost is known


@dataclass(frozen=True)
class CurrencyCost:
    currency: str
    initiatives: int  # initiatives under review with a known cost in this currency
    total: Decimal
    stuck: int
    cost_per_stuck: Decimal | None
    forgotten: int
    spent_on_forgotten: Decimal


@dataclass(frozen=True)
class RepeatRow:
    initiative: InitiativeRef
    votes: int
    ratings: int
    share: float
    comments: list[str]

    @property
    def share_percent(self) -> float | None:
        return percent(self.share)


@dataclass(frozen=True)
class Indicator:
    name: str
    value: Decimal
    unit: str
    source: str
    from_takeroot: bool


@dataclass(frozen=True)
class IndicatorGroup:
    initiative: InitiativeRef
    indicators: list[Indicator]


@dataclass(frozen=True)
class ResponseRow:
    group: str  # a RaterGroup value, or "all"
    label: str
    invited: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    @property
    def rate_percent(self) -> float | None:
        return percent(self.rate)


@dataclass(frozen=True)
class Report:
    retrospective: Retrospective
    generated_on: date
    response: list[ResponseRow]
    ranking: list[RankingRow]
    stuck_ratings: int
    forgotten_ratings: int
    factors: list[FactorRow]
    other_reasons: list[OtherReason]
    costs: list[CostRow]
    currencies: list[CurrencyCost]
    repeat: list[RepeatRow]
    indicators: list[IndicatorGroup] = field(default_factory=list)

    @property
    def interim(self) -> bool:
        return self.retrospective.is_open

    @property
    def filename_stem(self) -> str:
        return f"what-stuck-and-why-{self.generated_on.isoformat()}"


def _verdict(per_level: list[int], ratings: int) -> Verdict:
    if ratings == 0:
        return Verdict.UNRATED
    if ratings < MIN_RATINGS:
        return Verdict.TOO_FEW
    # Both halves can hold at once only when no rating sits at level 1 and the split is even;
    # then "stuck" wins, as half the raters say it changed their work.
    if 2 * (per_level[2] + per_level[3]) >= ratings:
        return Verdict.STUCK
    if 2 * per_level[0] >= ratings:
        return Verdict.FORGOTTEN
    return Verdict.REMEMBERED


def _ranking(initiatives: list[InitiativeRef], ratings: list[dict]) -> list[RankingRow]:
    levels: dict[UUID, list[int]] = {i.uuid: [0, 0, 0, 0] for i in initiatives}
    for rating in ratings:
        levels[rating["initiative__uuid"]][rating["level"]] += 1
    rows = []
    for initiative in initiatives:
        per_level = levels[initiative.uuid]
        count = sum(per_level)
        changed = per_level[2] + per_level[3]
        rows.append(
            RankingRow(
                rank=None,
                initiative=initiative,
                ratings=count,
                per_level=tuple(per_level),
                mean_level=sum(level * n for level, n in enumerate(per_level)) / count if count else None,
                changed=changed,
                share_changed=changed / count if count else None,
                verdict=_verdict(per_level, count),
            )
        )

    def key(row: RankingRow):
        tier = 2 if row.verdict == Verdict.UNRATED else 1 if row.too_few else 0
        return (tier, -(row.mean_level or 0), -(row.share_changed or 0), -row.ratings, row.initiative.title.casefold())

    rows.sort(key=key)
    return [
        RankingRow(**{**row.__dict__, "rank": None if row.verdict == Verdict.UNRATED else place})
        for place, row in enumerate(rows, start=1)
    ]


def fisher_p_value(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact test on [[a, b], [c, d]]."""
    from scipy.stats import fisher_exact  # heavy; only the report needs it

    return float(fisher_exact([[a, b], [c, d]]).pvalue)


def _factors(ratings: list[dict]) -> tuple[int, int, list[FactorRow]]:
    stuck = [r for r in ratings if r["level"] >= StuckLevel.CHANGED_MY_WORK]
    forgotten = [r for r in ratings if r["level"] == StuckLevel.FORGOTTEN]
    rows = []
    for tag in WhyTag:
        in_stuck = sum(1 for r in stuck if tag.value in (r["reasons"] or []))
        in_forgotten = sum(1 for r in forgotten if tag.value in (r["reasons"] or []))
        stuck_share = in_stuck / len(stuck) if stuck else None
        forgotten_share = in_forgotten / len(forgotten) if forgotten else None
        both = stuck_share is not None and forgotten_share is not None
        rows.append(
            FactorRow(
                tag=tag.value,
                label=str(tag.label),
                stuck_count=in_stuck,
                stuck_share=stuck_share,
                forgotten_count=in_forgotten,
                forgotten_share=forgotten_share,
                difference_points=round((stuck_share - forgotten_share) * 100, 1) if both else None,
                p_value=fisher_p_value(in_stuck, len(stuck) - in_stuck, in_forgotten, len(forgotten) - in_forgotten)
                if both
                else None,
            )
        )
    # Largest difference first; where one group is empty, by how often the sticky ones cite it.
    rows.sort(
        key=lambda r: (
            r.difference_points is None,
            -(r.difference_points or 0),
            -(r.stuck_share or 0),
            r.forgotten_share or 0,
            r.label.casefold(),
        )
    )
    return len(stuck), len(forgotten), rows


def _money(value: Decimal | None) -> Decimal | None:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP) if value is not None else None


def _costs(ranking: list[RankingRow], facts: dict[UUID, tuple]) -> tuple[list[CostRow], list[CurrencyCost]]:
    rows = []
    by_currency: dict[str, dict] = defaultdict(
        lambda: {"initiatives": 0, "total": Decimal(0), "stuck": 0, "forgotten": 0, "spent_on_forgotten": Decimal(0)}
    )
    for row in ranking:
        cost, currency = facts[row.initiative.uuid]
        cost = _money(cost)
        stuck = row.verdict == Verdict.STUCK
        rows.append(
            CostRow(
                initiative=row.initiative,
                cost=cost,
                currency=currency,
                verdict=row.verdict,
                changed=row.changed,
                cost_per_changed_rater=_money(cost / row.changed) if stuck and cost is not None else None,
            )
        )
        if cost is None:
            continue
        money = by_currency[currency]
        money["initiatives"] += 1
        money["total"] += cost
        if stuck:
            money["stuck"] += 1
        if row.verdict == Verdict.FORGOTTEN:
            money["forgotten"] += 1
            money["spent_on_forgotten"] += cost
    currencies = [
        CurrencyCost(
            currency=currency,
            cost_per_stuck=_money(money["total"] / money["stuck"]) if money["stuck"] else None,
            **money,
        )
        for currency, money in sorted(by_currency.items())
    ]
    return rows, currencies


def _repeat(ranking: list[RankingRow], ratings: list[dict]) -> list[RepeatRow]:
    votes: dict[UUID, list[str]] = defaultdict(list)
    counted: dict[UUID, int] = defaultdict(int)
    for rating in ratings:
        if rating["repeat"]:
            counted[rating["initiative__uuid"]] += 1
            if rating["comment"].strip():
                votes[rating["initiative__uuid"]].append(rating["comment"].strip())
    rows = [
        RepeatRow(
            initiative=row.initiative,
            votes=counted[row.initiative.uuid],
            ratings=row.ratings,
            share=counted[row.initiative.uuid] / row.ratings,
            comments=votes[row.initiative.uuid],
        )
        for row in ranking
        if counted.get(row.initiative.uuid)
    ]
    rows.sort(key=lambda r: (-r.votes, -r.share, r.initiative.title.casefold()))
    return rows


def _takeroot_indicators(retrospective: Retrospective, programmes: dict[int, list[InitiativeRef]]) -> dict:
    """Completion and participants of the linked programmes' cohorts that overlap the period."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Enrolment.objects.filter(
            cohort__programme_id__in=list(programmes),
            cohort__starts_on__lte=retrospective.period_end,
            cohort__ends_on__gte=retrospective.period_start,
        )
        .values("cohort__programme_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["cohort__programme_id"]][row["status"]] += row["n"]
    found: dict[UUID, list[Indicator]] = defaultdict(list)
    source = str(_("Takeroot"))
    for programme_id, by_status in counts.items():
        enrolled = sum(by_status.values())
        started = enrolled - by_status[EnrolmentStatus.INVITED]
        participants = enrolled - by_status[EnrolmentStatus.WITHDRAWN]
        indicators = []
        if started:
            rate = Decimal(100 * by_status[EnrolmentStatus.COMPLETED]) / Decimal(started)
            indicators.append(Indicator(str(_("Completion rate")), _money(rate), "%", source, True))
        indicators.append(Indicator(str(_("Participants")), Decimal(participants), "", source, True))
        for initiative in programmes[programme_id]:
            found[initiative.uuid].extend(indicators)
    return found


def _response(retrospective: Retrospective) -> list[ResponseRow]:
    counts = {
        row["group"]: row
        for row in Rater.objects.filter(retrospective=retrospective)
        .values("group")
        .annotate(invited=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
        .order_by()
    }
    rows = [
        ResponseRow(group.value, str(group.label), counts[group]["invited"], counts[group]["submitted"])
        for group in RaterGroup
        if group.value in counts
    ]
    rows.append(ResponseRow("all", str(_("All raters")), sum(r.invited for r in rows), sum(r.submitted for r in rows)))
    return rows


def build_report(retrospective: Retrospective) -> Report:
    """Everything the report shows, for the retrospective as it stands now (an open one gives an
    interim report). Every saved rating counts, submitted or not; raters stay anonymous."""
    initiatives = list(
        retrospective.initiatives.select_related("programme").prefetch_related("people").order_by("title", "pk")
    )
    refs = {i.pk: InitiativeRef(i.uuid, i.title, i.kind, str(i.get_kind_display())) for i in initiatives}
    by_uuid = {ref.uuid: ref for ref in refs.values()}
    ratings = list(
        Rating.objects.filter(rater__retrospective=retrospective, initiative__in=list(refs))
        .values("initiative__uuid", "level", "reasons", "other_reason", "repeat", "comment")
        .order_by("initiative__title", "-level", "pk")
    )
    ranking = _ranking(list(refs.values()), ratings)
    stuck_ratings, forgotten_ratings, factors = _factors(ratings)
    other_reasons = [
        OtherReason(
            by_uuid[r["initiative__uuid"]], r["level"], str(StuckLevel(r["level"]).label), r["other_reason"].strip()
        )
        for r in ratings
        if r["other_reason"].strip()
    ]
    facts = initiative_facts(initiatives)
    costs, currencies = _costs(
        ranking, {refs[pk].uuid: (fact.cost, fact.currency) for pk, fact in facts.items() if pk in refs}
    )
    programmes: dict[int, list[InitiativeRef]] = defaultdict(list)
    for initiative in initiatives:
        if initiative.programme_id:
            programmes[initiative.programme_id].append(refs[initiative.pk])
    found = _takeroot_indicators(retrospective, programmes) if programmes else {}
    for indicator in EffectIndicator.objects.filter(retrospective=retrospective, initiative__in=list(refs)).values(
        "initiative__uuid", "name", "value", "unit", "source"
    ):
        found.setdefault(indicator["initiative__uuid"], []).append(
            Indicator(indicator["name"], indicator["value"], indicator["unit"], indicator["source"], False)
        )
    indicators = [
        IndicatorGroup(ref, sorted(found[ref.uuid], key=lambda i: (not i.from_takeroot, i.name.casefold())))
        for ref in refs.values()
        if found.get(ref.uuid)
    ]
    return Report(
        retrospective=retrospective,
        generated_on=timezone.localdate(),
        response=_response(retrospective),
        ranking=ranking,
        stuck_ratings=stuck_ratings,
        forgotten_ratings=forgotten_ratings,
        factors=factors,
        other_reasons=other_reasons,
        costs=costs,
        currencies=currencies,
        repeat=_repeat(ranking, ratings),
        indicators=indicators,
    )
