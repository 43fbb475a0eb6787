"""Dashboard charts in the house style of ``core.charts``: engagement and knowledge over the
period, at each indicator's cadence (lines by week, two weeks or month; bars per module).

Indicators that share a category, a unit and a cadence share a chart, so no chart mixes percentages
with minutes. Every chart comes with the same numbers as a table (``ChartBlock.rows``), which the
page shows under it and a screen reader can read. Drawing an SVG costs about 50 ms (vl-convert
works one chart at a time, threads do not help), so drawings are kept by their content in the
shared cache (every web process, across restarts) and in the process: the same figures are drawn
once, new figures anew. A page fetches all its drawings in one cache read.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from functools import lru_cache

from django.core.cache import cache
from django.utils.translation import gettext as _

from takeroot.core.charts import Chart, accessible_svg, house_style

from .enums import Cadence, Category
from .indicators import Period, Scope, format_value, name_of, series
from .models import Indicator

COLOURS = ["#2a5a8c", "#b5530b", "#3d7a3d", "#7a3d7a"]
KEPT_FOR = 30 * 24 * 3600  # seconds; a drawing depends on its content only, so it never goes stale


@dataclass(frozen=True)
class ChartBlock:
    """A chart and its data table: one column per indicator, one row per point."""

    title: str
    chart: Chart | None  # None when there is nothing to draw yet
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    values: list[tuple[str, list[float | None]]]  # the rows' numbers, for exports and the API
    codes: list[str]


def trend_charts(scope: Scope, indicators: list[Indicator], period: Period) -> list[ChartBlock]:
    """One chart per category, unit and cadence among ``indicators``, in their order."""
    groups: dict[tuple[str, str, str], list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault((indicator.category, indicator.unit, indicator.cadence), []).append(indicator)
    blocks = [_block(scope, members, period) for members in groups.values()]
    wanted = {
        _key(spec_json, per_module): (spec_json, per_module) for _b, (spec_json, per_module, *_r) in blocks if spec_json
    }
    drawn = cache.get_many(list(wanted)) if wanted else {}
    new = {key: _draw(*wanted[key]) for key in wanted if key not in drawn}
    if new:
        cache.set_many(new, KEPT_FOR)
    drawn.update(new)
    charts = []
    for block, (spec_json, per_module, label, description) in blocks:
        if spec_json:
            svg = drawn[_key(spec_json, per_module)]
            block = replace(
                block, chart=Chart(accessible_svg(svg, label=label, description=description), label, description)
            )
        charts.append(block)
    return charts


def _key(spec_json: str, per_module: bool) -> str:
    return "tracking-chart:" + hashlib.sha256(f"{per_module}:{spec_json}".encode()).hexdigest()


def _block(scope: Scope, indicators: list[Indicator], period: Period) -> tuple[ChartBlock, tuple]:
    """The block without its drawing, and what to draw (the spec, per module, label, description)."""
    lines = [(indicator, series(scope, indicator, period)) for indicator in indicators]
    labels = [point.label for point in lines[0][1]]
    names = [name_of(indicator) for indicator in indicators]
    category = str(Category(indicators[0].category).label)
    title = _("%(category)s: %(indicators)s") % {"category": category, "indicators": ", ".join(names)}
    rows, values = [], []
    for index, label in enumerate(labels):
        numbers = [points[index].value if index < len(points) else None for _indicator, points in lines]
        values.append((label, numbers))
        rows.append((label, [format_value(ind, number) for ind, number in zip(indicators, numbers, strict=True)]))
    block = ChartBlock(
        title=title, chart=None, columns=names, rows=rows, values=values, codes=[ind.code for ind in indicators]
    )
    return block, _chart(indicators, names, values, title=title)


def _chart(indicators: list[Indicator], names: list[str], values, *, title: str) -> tuple:
    """(spec as JSON, per module, label, description) of the chart; no spec when there is nothing to draw."""
    percent = indicators[0].unit == "%"
    points = [
        {"order": index, "label": label, "indicator": name, "value": round(number * 100 if percent else number, 2)}
        for index, (label, numbers) in enumerate(values)
        for name, number in zip(names, numbers, strict=True)
        if number is not None
    ]
    if not points:
        return "", False, "", ""
    unit = "%" if percent else indicators[0].unit
    y_title = _("Value (%(unit)s)") % {"unit": unit} if unit else _("Value")
    per_module = indicators[0].cadence == Cadence.MODULE
    spec = {"title": title, "points": points, "labels": [label for label, _n in values], "y": y_title}
    kind = _("Bar chart") if per_module else _("Line chart")
    label = f"{kind}: {title}"
    description = "; ".join(
        f"{label_}: "
        + ", ".join(
            f"{name} {format_value(indicator, number)}"
            for name, indicator, number in zip(names, indicators, numbers, strict=True)
        )
        for label_, numbers in values
    )
    return json.dumps(spec, sort_keys=True), per_module, label, description + "."


@lru_cache(maxsize=512)
def _draw(spec_json: str, per_module: bool) -> str:
    """The SVG of one chart; kept by its content (the figures, labels and language of the titles)."""
    import altair as alt  # heavy; loaded by the first chart, not by every request
    import vl_convert

    spec = json.loads(spec_json)
    names = list(dict.fromkeys(point["indicator"] for point in spec["points"]))
    colour = alt.Color(
        "indicator:N",
        title=None,
        scale=alt.Scale(domain=names, range=COLOURS[: len(names)]),
        legend=alt.Legend(orient="bottom") if len(names) > 1 else None,
    )
    x = alt.X("label:N", title=None, sort=spec["labels"], axis=alt.Axis(labelAngle=-40, labelLimit=160))
    y = alt.Y("value:Q", title=spec["y"])
    base = alt.Chart(alt.Data(values=spec["points"]), title=spec["title"])
    if per_module:
        chart = base.mark_bar().encode(x=x, y=y, color=colour, xOffset="indicator:N")
    else:
        chart = base.mark_line(point=True).encode(x=x, y=y, color=colour)
    width = max(220, 36 * len(spec["labels"]) * (len(names) if per_module else 1))
    # The spec is built here from a fixed shape: validating it on each drawing cost about 8 ms.
    spec = house_style(chart.properties(width=min(width, 640), height=180)).to_dict(validate=False)
    return vl_convert.vegalite_to_svg(spec)
