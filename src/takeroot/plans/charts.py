"""Per-goal progress charts, drawn on the server as an accessible, CSP-safe inline SVG (altair →
Vega-Lite → vl-convert): the baseline and the target as lines, the check-in values over time."""

from django.utils import formats
from django.utils.translation import gettext as _

from takeroot.core.charts import Chart, accessible_svg, house_style

from .models import ActionGoal
from .queries import goal_series

VALUE_COLOUR = "#2a5a8c"
BASELINE_COLOUR = "#6b7486"
TARGET_COLOUR = "#1b6e4f"


def _number(value) -> str:
    return formats.number_format(value.normalize() if hasattr(value, "normalize") else value, use_l10n=True)


def goal_chart(goal: ActionGoal) -> Chart | None:
    """Baseline, target and check-in values over time; None while the goal has no value yet."""
    series = goal_series(goal)
    if not series:
        return None
    import altair as alt  # heavy; loaded by the first chart, not by every request
    import vl_convert

    points = [{"day": moment.date().isoformat(), "value": float(value)} for moment, value in series]
    value_title = goal.unit or (_("Self-rating") if goal.is_rating else goal.metric)
    base = alt.Chart(alt.Data(values=points))
    line = base.mark_line(point=True, color=VALUE_COLOUR).encode(
        x=alt.X("day:T", title=_("Check-in"), axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=6)),
        y=alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False)),
    )
    rules = (
        alt.Chart(
            alt.Data(
                values=[
                    {"value": float(goal.baseline), "name": _("Baseline")},
                    {"value": float(goal.target), "name": _("Target")},
                ]
            )
        )
        .mark_rule(strokeDash=[6, 4], strokeWidth=2)
        .encode(
            y="value:Q",
            color=alt.Color(
                "name:N",
                title=None,
                scale=alt.Scale(domain=[_("Baseline"), _("Target")], range=[BASELINE_COLOUR, TARGET_COLOUR]),
            ),
        )
    )
    chart = house_style(alt.layer(rules, line).properties(width=420, height=180))
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    label = _("Line chart: %(goal)s") % {"goal": goal.title}
    values = ", ".join(
        _("%(day)s: %(value)s") % {"day": formats.date_format(moment.date(), "SHORT_DATE_FORMAT"), "value": _number(v)}
        for moment, v in series
    )
    description = _("Baseline %(baseline)s, target %(target)s. Check-ins: %(values)s.") % {
        "baseline": _number(goal.baseline),
        "target": _number(goal.target),
        "values": values,
    }
    return Chart(accessible_svg(svg, label=label, description=description), label, description)
