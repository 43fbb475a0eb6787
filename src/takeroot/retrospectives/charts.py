"""The report's charts: the reasons behind initiatives that stuck or were forgotten, and the
ranking. Drawn with the house style of ``core.charts``; the same SVG serves the page and the PDF."""

from django.utils.translation import gettext as _

from takeroot.core.charts import Chart, accessible_svg, house_style

from .report import Report

# Dark green and a warm orange: apart for common colour blindness too.
STUCK_COLOUR = "#1b6e4f"
FORGOTTEN_COLOUR = "#b5530b"
RANK_COLOUR = "#2a5a8c"
FEW_COLOUR = "#6b7486"  # grey, still 3:1 against white


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def factors_chart(report: Report) -> Chart | None:
    """Per reason: the share of "stuck" ratings and of "forgotten" ratings that cite it; None
    while there is no rating in either group."""
    if not (report.stuck_ratings or report.forgotten_ratings):
        return None
    import altair as alt  # heavy; loaded by the first chart, not by every request
    import vl_convert

    stuck, forgotten = _("Ratings of initiatives that stuck"), _("Ratings of forgotten initiatives")
    values = []
    for row in report.factors:
        values.append({"factor": row.label, "group": stuck, "share": row.stuck_share or 0})
        values.append({"factor": row.label, "group": forgotten, "share": row.forgotten_share or 0})
    order = [row.label for row in report.factors]
    chart = (
        alt.Chart(alt.Data(values=values), title=_("Why initiatives stuck or were forgotten"))
        .mark_bar()
        .encode(
            # No axis title: long labels measured in another font would run into it; the chart's
            # title and the figure's caption say what the rows are.
            y=alt.Y("factor:N", title=None, sort=order, axis=alt.Axis(labelLimit=280)),
            x=alt.X(
                "share:Q",
                title=_("Share of ratings that cite the reason"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", tickCount=5),
            ),
            yOffset=alt.YOffset("group:N", sort=[stuck, forgotten]),
            color=alt.Color(
                "group:N",
                title=_("Group"),
                sort=[stuck, forgotten],
                scale=alt.Scale(domain=[stuck, forgotten], range=[STUCK_COLOUR, FORGOTTEN_COLOUR]),
                legend=alt.Legend(direction="vertical", labelLimit=0),
            ),
        )
        .properties(width=420, height=alt.Step(14))
    )
    svg = vl_convert.vegalite_to_svg(house_style(chart).to_dict())
    parts = [
        _("%(reason)s: %(stuck)s of the ratings that stuck, %(forgotten)s of the forgotten ones")
        % {"reason": row.label, "stuck": _percent(row.stuck_share), "forgotten": _percent(row.forgotten_share)}
        for row in report.factors
    ]
    label = _("Bar chart: why initiatives stuck or were forgotten")
    description = "; ".join(parts) + "."
    return Chart(accessible_svg(svg, label=label, description=description), label, description)


def ranking_chart(report: Report) -> Chart | None:
    """The mean level per rated initiative, best first; None when nobody rated anything."""
    rated = [row for row in report.ranking if row.mean_level is not None]
    if not rated:
        return None
    import altair as alt
    import vl_convert

    enough, too_few = _("Enough ratings"), _("Too few ratings")
    # The rank in the label keeps two initiatives with the same title apart.
    values = [
        {
            "initiative": f"{row.rank}. {row.initiative.title}",
            "mean": round(row.mean_level, 2),
            "ratings": too_few if row.too_few else enough,
        }
        for row in rated
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=_("How well each initiative stuck"))
        .mark_bar()
        .encode(
            y=alt.Y("initiative:N", title=None, sort=[v["initiative"] for v in values], axis=alt.Axis(labelLimit=280)),
            x=alt.X(
                "mean:Q",
                title=_("Mean level (0 forgotten – 3 changed how we work)"),
                scale=alt.Scale(domain=[0, 3]),
                axis=alt.Axis(tickCount=3, format="d"),
            ),
            color=alt.Color(
                "ratings:N",
                title=None,
                scale=alt.Scale(domain=[enough, too_few], range=[RANK_COLOUR, FEW_COLOUR]),
                legend=alt.Legend(direction="vertical", labelLimit=0),
            ),
        )
        .properties(width=420, height=alt.Step(22))
    )
    svg = vl_convert.vegalite_to_svg(house_style(chart).to_dict())
    parts = [
        (_("%(initiative)s: %(mean)s (too few ratings)") if row.too_few else _("%(initiative)s: %(mean)s"))
        % {"initiative": row.initiative.title, "mean": f"{row.mean_level:.1f}"}
        for row in rated
    ]
    label = _("Bar chart: mean level per initiative")
    description = "; ".join(parts) + "."
    return Chart(accessible_svg(svg, label=label, description=description), label, description)
