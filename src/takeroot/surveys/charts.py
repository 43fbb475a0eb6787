"""Survey charts in the house style of ``core.charts``: a shown question's distribution (or the
options chosen, or a matrix's mean per statement) and a question's trend across cohorts or months.
Only shown results are drawn; the page and the PDF put the same numbers in a table next to each."""

from django.utils import formats
from django.utils.translation import gettext as _

from takeroot.core.charts import Chart, accessible_svg, house_style

from .enums import SurveyQuestionKind
from .results import QuestionResult, QuestionTrend

BAR = "#2a5a8c"
LINE = "#b5530b"


def _svg(chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def _number(value: float) -> str:
    return formats.number_format(value, 1)


def _bars(values: list[dict], *, title: str, x_title: str, domain=None):
    """Horizontal bars: counts (whole-number ticks) without ``domain``, else a scale's means whose
    bars are cut at the scale's lowest point."""
    import altair as alt  # heavy; loaded by the first chart, not by every request

    labels = [value["label"] for value in values]
    if domain:
        x = alt.X("value:Q", title=x_title, scale=alt.Scale(domain=domain))
    else:
        most = max((value["value"] for value in values), default=0)
        ticks = list(range(most + 1)) if most <= 10 else alt.Undefined  # no 0.5 of an answer
        x = alt.X("value:Q", title=x_title, axis=alt.Axis(format="d", values=ticks))
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_bar(color=BAR, clip=True)
        .encode(y=alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=260)), x=x)
        .properties(width=320, height=max(60, 24 * len(values)))
    )
    return house_style(chart)


def distribution_chart(result: QuestionResult) -> Chart | None:
    """Bars of a shown question: answers per scale point or option; a matrix's mean per statement.
    None for free text and for results that are not shown."""
    if not result.shown or result.kind == SurveyQuestionKind.TEXT:
        return None
    if result.kind == SurveyQuestionKind.MATRIX:
        rows = [row for row in result.rows if row.shown]
        if not rows:
            return None
        values = [{"label": row.label, "value": row.mean.mean} for row in rows]
        points = result.question.scale_points
        chart = _bars(values, title=_("Mean per statement"), x_title=_("Mean"), domain=[1, points])
        label = _("Bar chart: mean per statement of “%(prompt)s”") % {"prompt": result.prompt}
        description = "; ".join(f"{row.label}: {_number(row.mean.mean)}" for row in rows) + "."
    else:
        values = [{"label": bar.label, "value": bar.count} for bar in result.bars]
        chart = _bars(values, title=_("Answers"), x_title=_("Number of answers"))
        label = _("Bar chart: answers to “%(prompt)s”") % {"prompt": result.prompt}
        description = "; ".join(f"{bar.label}: {bar.count}" for bar in result.bars) + "."
    return Chart(accessible_svg(_svg(chart), label=label, description=description), label, description)


def trend_chart(trend: QuestionTrend, *, by: str = "cohorts") -> Chart | None:
    """The mean of a scale question per cohort (``by="cohorts"``) or per month, shown points only,
    with the programme average as a rule. None when fewer than one point has a mean."""
    import altair as alt

    points = trend.cohorts if by == "cohorts" else trend.months
    shown = [point for point in points if point.result.mean is not None]
    if not shown or trend.overall.mean is None:
        return None

    def name(point) -> str:
        return point.label or formats.date_format(point.key, "YEAR_MONTH_FORMAT")

    order = [name(point) for point in shown]
    values = [{"point": name(point), "mean": point.result.mean.mean} for point in shown]
    x_title = _("Cohort") if by == "cohorts" else _("Month")
    line = (
        alt.Chart(alt.Data(values=values))
        .mark_line(color=LINE, point={"size": 60, "filled": True, "color": LINE})
        .encode(
            x=alt.X("point:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=140)),
            y=alt.Y("mean:Q", title=_("Mean"), scale=alt.Scale(zero=False)),
        )
    )
    average = (
        alt.Chart(alt.Data(values=[{"average": trend.overall.mean.mean}]))
        .mark_rule(color=BAR, strokeDash=[4, 3])
        .encode(y="average:Q")
    )
    title = _("Mean per cohort") if by == "cohorts" else _("Mean per month")
    chart = house_style(alt.layer(line, average, title=title).properties(width=420, height=200))
    label = (
        _("Line chart: mean per cohort of “%(prompt)s”")
        if by == "cohorts"
        else _("Line chart: mean per month of “%(prompt)s”")
    ) % {"prompt": trend.prompt}
    description = "; ".join(f"{n}: {_number(v['mean'])}" for n, v in zip(order, values, strict=True))
    description += ". " + _("Programme average (dashed line): %(mean)s.") % {"mean": _number(trend.overall.mean.mean)}
    return Chart(accessible_svg(_svg(chart), label=label, description=description), label, description)
