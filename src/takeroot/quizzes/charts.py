"""The quiz charts, drawn with the house style of ``core.charts``: a cohort's knowledge (accuracy
per module across rounds) and a person's retention per module over time. Each module has its own
colour and point shape, so the lines are told apart without colour; the page puts the same numbers
in a table next to the chart."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from takeroot.core.charts import Chart, accessible_svg, house_style

from .analytics import Results, percent
from .retention import RetentionSeries

# Blue, orange, green, purple, grey, brown: told apart with common colour blindness too.
PALETTE = ["#2a5a8c", "#b5530b", "#1b6e4f", "#6a3d9a", "#6b7486", "#8c510a"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]


def _module_name(module) -> str:
    return module.title if module is not None else _("No module")


def _lines(values: list[dict], names: list[str], *, x, x_title: str, title: str):
    import altair as alt  # heavy; loaded by the first chart, not by every request

    colours = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    shapes = [SHAPES[i % len(SHAPES)] for i in range(len(names))]
    legend = alt.Legend(direction="vertical", labelLimit=0)
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_line(point={"size": 60, "filled": True})
        .encode(
            x=x.title(x_title),
            y=alt.Y(
                "share:Q", title=_("Share"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", tickCount=5)
            ),
            color=alt.Color(
                "module:N", title=_("Module"), sort=names, scale=alt.Scale(domain=names, range=colours), legend=legend
            ),
            shape=alt.Shape(
                "module:N", title=_("Module"), sort=names, scale=alt.Scale(domain=names, range=shapes), legend=legend
            ),
        )
        .properties(width=420, height=200)
    )
    return house_style(chart)


def _svg(chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def knowledge_chart(results: Results, modules: list) -> Chart | None:
    """Accuracy per module in each round (the 1st, 2nd… round of each person); None while
    nobody has answered."""
    if not results.overall.answers:
        return None
    import altair as alt

    names, values, parts = [], [], []
    for module in modules:
        rounds = results.module_rounds.get(module.pk if module else None, {})
        if not rounds:
            continue
        name = _module_name(module)
        names.append(name)
        for number, score in sorted(rounds.items()):
            values.append({"round": number, "module": name, "share": score.accuracy})
        listed = ", ".join(
            _("round %(number)s: %(percent)s %%") % {"number": number, "percent": score.percent}
            for number, score in sorted(rounds.items())
        )
        parts.append(f"{name}: {listed}")
    x = alt.X("round:O", axis=alt.Axis(labelAngle=0))
    chart = _lines(
        values, names, x=x, x_title=pgettext("quiz round", "Round"), title=_("Accuracy per module across rounds")
    )
    label = _("Line chart: accuracy per module across rounds")
    description = "; ".join(parts) + "."
    return Chart(accessible_svg(_svg(chart), label=label, description=description), label, description)


def retention_chart(series: RetentionSeries) -> Chart | None:
    """Predicted recall per module week by week; None before the first answer."""
    if not series.points:
        return None
    import altair as alt

    names = [_module_name(module) for module in series.modules]
    values, parts = [], []
    for module, name in zip(series.modules, names, strict=True):
        key = module.pk if module else None
        listed = []
        for moment, shares in series.points:
            if shares.get(key) is not None:
                values.append({"day": moment.date().isoformat(), "module": name, "share": shares[key]})
                day = formats.date_format(moment.date(), "SHORT_DATE_FORMAT")
                listed.append(_("%(day)s: %(percent)s %%") % {"day": day, "percent": percent(shares[key])})
        parts.append(f"{name}: {', '.join(listed)}")
    x = alt.X("day:T", axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=6))
    chart = _lines(values, names, x=x, x_title=_("Week"), title=_("Predicted recall per module"))
    label = _("Line chart: predicted recall per module over time")
    description = "; ".join(parts) + "."
    return Chart(accessible_svg(_svg(chart), label=label, description=description), label, description)
