"""The "what stuck and why" statistics, checked against numbers worked out by hand.

The sample: seven initiatives, six raters (four leadership, two participants), ratings chosen so
each verdict, the too-few flag, ties in the factor order and three currencies all show up.
"""

import datetime
from decimal import Decimal
from math import comb

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.catalogue.models import Initiative
from takeroot.core.scope import workspace_scope
from takeroot.programmes.models import Cohort, Enrolment, Programme
from takeroot.retrospectives.models import EffectIndicator, Rater, Rating, Retrospective
from takeroot.retrospectives.report import Verdict, build_report, fisher_p_value
from tests.factories import PersonFactory, UserFactory

# Per initiative: (level, reasons, other reason, repeat, comment) by rater 0, 1, 2, 3.
RATINGS = {
    "Book circle": [
        (3, ["real_need", "discussion"], "", True, "Again next spring"),
        (3, ["real_need", "practice_tasks"], "", True, ""),
        (2, ["discussion"], "", False, "Only some chapters"),
        (0, [], "", False, ""),
    ],
    "Study trip": [
        (2, ["real_need"], "", True, "Worth it"),
        (2, ["manager_follow_up"], "", False, ""),
        (1, [], "", False, ""),
    ],
    "Sales conference": [
        (0, ["memorable_delivery"], "", False, ""),
        (0, [], "", False, ""),
        (1, [], "", False, ""),
        (0, ["other"], "Wrong timing", False, ""),
    ],
    "Online course": [(1, [], "", False, ""), (1, [], "", False, ""), (0, ["real_need"], "", False, "")],
    "Expert talk": [(3, ["peer_support"], "", True, ""), (2, ["real_need"], "", False, "")],
    "Leadership programme": [
        (2, ["practice_tasks", "real_need"], "", False, ""),
        (2, ["practice_tasks"], "", False, ""),
        (2, ["manager_follow_up"], "", False, ""),
    ],
}
COSTS = {
    "Book circle": (Decimal("1000"), "EUR"),
    "Study trip": (Decimal("3000"), "EUR"),
    "Sales conference": (Decimal("5000"), "EUR"),
    "Online course": (Decimal("800"), "SEK"),
    "Expert talk": (None, "EUR"),
    "Hackathon": (Decimal("200"), "EUR"),
}


def make_sample(workspace, *, state="closed"):
    """The sample retrospective in ``workspace``; returns it with its initiatives by title."""
    with workspace_scope(workspace):
        people = [
            PersonFactory(workspace=workspace, user=UserFactory(email=f"rater{n}@{workspace.slug}.test"))
            for n in range(11)
        ]
        programme = Programme.objects.create(
            workspace=workspace, name="Leading teams", currency="PLN", price_per_participant=Decimal("100")
        )
        inside = Cohort.objects.create(
            workspace=workspace,
            programme=programme,
            name="Spring 2026",
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 5, 31),
        )
        before = Cohort.objects.create(
            workspace=workspace,
            programme=programme,
            name="Autumn 2023",
            starts_on=datetime.date(2023, 9, 1),
            ends_on=datetime.date(2023, 11, 30),
        )
        for person, status in zip(
            people[6:], ["completed", "completed", "active", "invited", "withdrawn"], strict=True
        ):
            Enrolment.objects.create(workspace=workspace, cohort=inside, person=person, status=status)
        Enrolment.objects.create(workspace=workspace, cohort=before, person=people[0], status="completed")
        initiatives = {}
        for title in [*RATINGS, "Hackathon"]:
            cost, currency = COSTS.get(title, (None, "EUR"))
            initiatives[title] = Initiative.objects.create(
                workspace=workspace,
                title=title,
                cost=cost,
                currency=currency,
                programme=programme if title == "Leadership programme" else None,
            )
        retrospective = Retrospective.objects.create(
            workspace=workspace,
            title="Two years of learning",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 10, 31),
            state=state,
        )
        retrospective.initiatives.set(initiatives.values())
        submitted = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)
        raters = [
            Rater.objects.create(
                workspace=workspace,
                retrospective=retrospective,
                person=people[n],
                group=group,
                submitted_at=submitted if done else None,
            )
            for n, (group, done) in enumerate(
                [
                    ("leadership", True),
                    ("leadership", True),
                    ("leadership", True),
                    ("participant", True),
                    ("leadership", False),
                    ("participant", False),
                ]
            )
        ]
        for title, ratings in RATINGS.items():
            for rater, (level, reasons, other, repeat, comment) in zip(raters, ratings, strict=False):
                Rating.objects.create(
                    workspace=workspace,
                    rater=rater,
                    initiative=initiatives[title],
                    level=level,
                    reasons=reasons,
                    other_reason=other,
                    repeat=repeat,
                    comment=comment,
                )
        EffectIndicator.objects.create(
            workspace=workspace,
            retrospective=retrospective,
            initiative=initiatives["Book circle"],
            name="Books finished",
            value=Decimal("12"),
            unit="books",
            source="Circle attendance sheet",
        )
        EffectIndicator.objects.create(
            workspace=workspace,
            retrospective=retrospective,
            initiative=initiatives["Leadership programme"],
            name="Team engagement",
            value=Decimal("42.50"),
            unit="points",
            source="HR survey 2026",
        )
    return retrospective, initiatives


@pytest.fixture
def sample(cast):
    return make_sample(cast["admin"].workspace)


@pytest.fixture
def report(sample):
    retrospective, _ = sample
    with workspace_scope(retrospective.workspace):
        return build_report(retrospective)


def test_ranking_orders_by_mean_then_share_then_count_with_too_few_and_unrated_last(report):
    rows = [(r.rank, r.initiative.title, r.ratings, r.per_level, r.verdict) for r in report.ranking]
    assert rows == [
        (1, "Leadership programme", 3, (0, 0, 3, 0), Verdict.STUCK),
        (2, "Book circle", 4, (1, 0, 1, 2), Verdict.STUCK),
        (3, "Study trip", 3, (0, 1, 2, 0), Verdict.STUCK),
        (4, "Online course", 3, (1, 2, 0, 0), Verdict.REMEMBERED),
        (5, "Sales conference", 4, (3, 1, 0, 0), Verdict.FORGOTTEN),
        (6, "Expert talk", 2, (0, 0, 1, 1), Verdict.TOO_FEW),
        (None, "Hackathon", 0, (0, 0, 0, 0), Verdict.UNRATED),
    ]
    means = [r.mean_level for r in report.ranking]
    assert means[:6] == [pytest.approx(2.0), 2.0, pytest.approx(5 / 3), pytest.approx(2 / 3), 0.25, 2.5]
    assert means[6] is None
    assert [r.share_changed for r in report.ranking[:3]] == [1.0, 0.75, pytest.approx(2 / 3)]
    assert report.ranking[5].too_few is True
    assert report.ranking[4].too_few is False


def test_verdict_ties_and_half_rules():
    from takeroot.retrospectives.report import _verdict

    assert _verdict([2, 0, 1, 1], 4) == Verdict.STUCK  # half changed, half forgotten: stuck wins
    assert _verdict([2, 1, 1, 0], 4) == Verdict.FORGOTTEN
    assert _verdict([1, 1, 1, 0], 3) == Verdict.REMEMBERED
    assert _verdict([0, 0, 2, 0], 2) == Verdict.TOO_FEW
    assert _verdict([0, 0, 0, 0], 0) == Verdict.UNRATED


def test_factors_count_and_share_each_group_sorted_by_difference(report):
    assert (report.stuck_ratings, report.forgotten_ratings) == (10, 5)
    rows = [(f.tag, f.stuck_count, f.stuck_share, f.forgotten_count, f.forgotten_share) for f in report.factors]
    assert rows == [
        ("real_need", 5, 0.5, 1, 0.2),
        ("practice_tasks", 3, 0.3, 0, 0.0),
        ("discussion", 2, 0.2, 0, 0.0),
        ("manager_follow_up", 2, 0.2, 0, 0.0),
        ("peer_support", 1, 0.1, 0, 0.0),
        ("memorable_delivery", 0, 0.0, 1, 0.2),
        ("other", 0, 0.0, 1, 0.2),
    ]
    assert [f.difference_points for f in report.factors] == [30.0, 30.0, 20.0, 20.0, 10.0, -20.0, -20.0]


def _fisher_by_hand(a, b, c, d):
    """Two-sided: the probability of every table with the same margins no likelier than this one."""
    row, column, total = a + b, a + c, a + b + c + d

    def probability(k):
        return comb(row, k) * comb(total - row, column - k) / comb(total, column)

    observed = probability(a)
    tables = range(max(0, column - (total - row)), min(row, column) + 1)
    return sum(p for p in map(probability, tables) if p <= observed * (1 + 1e-9))


def test_fisher_p_value_matches_a_hand_computation(report):
    real_need = report.factors[0]
    # [[5 of 10 stuck cite it, 5 do not], [1 of 5 forgotten, 4 do not]]. With these margins the
    # tables with 1…6 citations in the stuck row weigh 10, 225, 1200, 2100, 1260 and 210 of 5005;
    # every one no likelier than the observed 1260 counts: (10 + 225 + 1200 + 1260 + 210) / 5005.
    assert real_need.p_value == pytest.approx(2905 / 5005)
    assert real_need.p_value == pytest.approx(_fisher_by_hand(5, 5, 1, 4))
    assert real_need.clear_difference is False
    assert fisher_p_value(9, 1, 0, 10) == pytest.approx(_fisher_by_hand(9, 1, 0, 10))
    assert fisher_p_value(9, 1, 0, 10) < 0.05


def test_other_reasons_are_listed_without_names(report):
    assert [(o.initiative.title, o.level, o.text) for o in report.other_reasons] == [
        ("Sales conference", 0, "Wrong timing")
    ]


def test_cost_per_stuck_initiative_per_currency(report):
    currencies = {c.currency: c for c in report.currencies}
    assert sorted(currencies) == ["EUR", "PLN", "SEK"]
    eur = currencies["EUR"]
    assert (eur.initiatives, eur.total, eur.stuck, eur.cost_per_stuck) == (4, Decimal("9200.00"), 2, Decimal("4600.00"))
    assert (eur.forgotten, eur.spent_on_forgotten) == (1, Decimal("5000.00"))
    # The programme's cost: five participants over both cohorts at 100 PLN each.
    assert (currencies["PLN"].total, currencies["PLN"].cost_per_stuck) == (Decimal("500.00"), Decimal("500.00"))
    assert (currencies["SEK"].stuck, currencies["SEK"].cost_per_stuck) == (0, None)
    per_rater = {c.initiative.title: c.cost_per_changed_rater for c in report.costs}
    assert per_rater == {
        "Leadership programme": Decimal("166.67"),
        "Book circle": Decimal("333.33"),
        "Study trip": Decimal("1500.00"),
        "Online course": None,
        "Sales conference": None,
        "Expert talk": None,
        "Hackathon": None,
    }


def test_repeat_list_by_votes_then_share_with_comments_and_no_names(report):
    rows = [(r.initiative.title, r.votes, r.ratings, r.comments) for r in report.repeat]
    assert rows == [
        ("Book circle", 2, 4, ["Again next spring"]),
        ("Expert talk", 1, 2, []),
        ("Study trip", 1, 3, ["Worth it"]),
    ]
    assert report.repeat[0].share == 0.5


def test_takeroot_completion_counts_cohorts_in_the_period_and_hand_entered_indicators(report):
    groups = {g.initiative.title: g.indicators for g in report.indicators}
    assert sorted(groups) == ["Book circle", "Leadership programme"]
    leadership = [(i.name, i.value, i.unit, i.source, i.from_takeroot) for i in groups["Leadership programme"]]
    # Spring 2026: 2 completed of 4 that started (the invited one has not); 4 not withdrawn.
    # Autumn 2023 lies before the period and does not count.
    assert leadership == [
        ("Completion rate", Decimal("50.00"), "%", "Takeroot", True),
        ("Participants", Decimal("4"), "", "Takeroot", True),
        ("Team engagement", Decimal("42.50"), "points", "HR survey 2026", False),
    ]
    assert [(i.name, i.source) for i in groups["Book circle"]] == [("Books finished", "Circle attendance sheet")]


def test_response_rate_by_group(report):
    rows = [(r.group, r.invited, r.submitted) for r in report.response]
    assert rows == [("leadership", 4, 3), ("participant", 2, 1), ("all", 6, 4)]
    assert report.response[-1].rate == pytest.approx(4 / 6)


def test_report_of_an_open_retrospective_is_interim(cast):
    retrospective, _ = make_sample(cast["admin"].workspace, state="open")
    with workspace_scope(retrospective.workspace):
        assert build_report(retrospective).interim is True


def test_empty_retrospective_gives_an_empty_report(cast):
    workspace = cast["admin"].workspace
    with workspace_scope(workspace):
        retrospective = Retrospective.objects.create(
            workspace=workspace,
            title="Nothing yet",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
        )
        report = build_report(retrospective)
    assert (report.ranking, report.repeat, report.indicators, report.currencies) == ([], [], [], [])
    assert all(f.p_value is None and f.stuck_share is None for f in report.factors)
    assert [(r.group, r.invited) for r in report.response] == [("all", 0)]


def test_query_count_does_not_grow_with_initiatives(cast, sample):
    retrospective, _ = sample
    with workspace_scope(retrospective.workspace), CaptureQueriesContext(connection) as seven:
        build_report(retrospective)
    with workspace_scope(retrospective.workspace):
        for n in range(5):
            extra = Initiative.objects.create(workspace=retrospective.workspace, title=f"Extra {n}", cost=Decimal(1))
            retrospective.initiatives.add(extra)
    with workspace_scope(retrospective.workspace), CaptureQueriesContext(connection) as twelve:
        build_report(retrospective)
    assert len(twelve) == len(seven)
