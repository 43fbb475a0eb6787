"""The report's charts, drawn on the server as SVG (altair → Vega-Lite → vl-convert).

The SVG goes into the page inline and into the PDF, so it must stand on its own: one ``role="img"``
with a label and a description, no inner ARIA that a screen reader would read as loose shapes,
and no ``style`` attributes (the site's CSP refuses inline styles; presentation attributes are fine).
"""

import base64
import re
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from .report import Report

# Fonts installed with the server, so the widths vl-convert measures are the widths drawn.
FONT = '"DejaVu Sans", "WenQuanYi Micro Hei", sans-serif'
INK = "#1f2933"
STUCK_COLOUR = "#1b6e4f"  # dark green and a warm orange: apart for common colour blindness too
FORGOTTEN_COLOUR = "#b5530b"
RANK_COLOUR = "#2a5a8c"
FEW_COLOUR = "#6b7486"  # grey, still 3:1 against white

_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_ROOT = re.compile(r"<svg\b([^>]*)>")


@dataclass(frozen=True)
class Chart:
    svg: str  # labelled, ready to place inline
    label: str
    description: str  # the same numbers in words, for the alt text of the PDF's image

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _presentation(match: re.Match) -> str:
    """``style="fill: red; opacity: .5"`` → ``fill="red" opacity=".5"``: the same look, allowed by the CSP."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{escape(value.strip())}"')
    return "".join(attributes)


def accessible_svg(svg: str, *, label: str, description: str) -> str:
    """One labelled image: inner ARIA removed, styles as attributes, a title and a description."""
    svg = _STYLE.sub(_presentation, _ARIA.sub("", svg))
    svg = re.sub(r"<style\b.*?</style>", "", svg, flags=re.DOTALL)
    attributes = _ROOT.search(svg).group(1)
    root = f'<svg{attributes} role="img" aria-label="{escape(label)}" focusable="false">'
    return _ROOT.sub(lambda _m: f"{root}<title>{escape(label)}</title><desc>{escape(description)}</desc>", svg, count=1)


def _config(chart):
    return (
        chart.configure(font=FONT, background="white")
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12, gridColor="#d9dde3")
        .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12, orient="bottom")
    )


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
    svg = vl_convert.vegalite_to_svg(_config(chart).to_dict())
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
    svg = vl_convert.vegalite_to_svg(_config(chart).to_dict())
    parts = [
        (_("%(initiative)s: %(mean)s (too few ratings)") if row.too_few else _("%(initiative)s: %(mean)s"))
        % {"initiative": row.initiative.title, "mean": f"{row.mean_level:.1f}"}
        for row in rated
    ]
    label = _("Bar chart: mean level per initiative")
    description = "; ".join(parts) + "."
    return Chart(accessible_svg(svg, label=label, description=description), label, description)
