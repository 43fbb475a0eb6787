"""The report's charts: labelled SVG images with nothing the CSP would refuse."""

import re

from django.utils import translation

from takeroot.core.charts import accessible_svg
from takeroot.core.scope import workspace_scope
from takeroot.retrospectives.charts import factors_chart, ranking_chart
from takeroot.retrospectives.report import build_report

from .test_report import make_sample


def test_accessible_svg_turns_styles_into_attributes_and_labels_the_root():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>.a{fill:red}</style>'
        '<g role="graphics-object" aria-roledescription="group" aria-label="x">'
        '<rect style="fill: #123456; opacity: .5" width="5" height="5"/></g></svg>'
    )
    result = accessible_svg(svg, label='Bars & "lines"', description="A < B")
    assert result == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img" '
        'aria-label="Bars &amp; &quot;lines&quot;" focusable="false">'
        "<title>Bars &amp; &quot;lines&quot;</title><desc>A &lt; B</desc>"
        '<g><rect fill="#123456" opacity=".5" width="5" height="5"/></g></svg>'
    )


def test_charts_are_labelled_and_free_of_inline_styles(cast):
    retrospective, _ = make_sample(cast["admin"].workspace)
    with workspace_scope(retrospective.workspace), translation.override("en"):
        report = build_report(retrospective)
        factors, ranking = factors_chart(report), ranking_chart(report)
    for chart in (factors, ranking):
        assert chart.svg.count('role="img"') == 1
        assert "<title>" in chart.svg and "<desc>" in chart.svg
        assert not re.search(r"\sstyle=|<style", chart.svg)
        assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert factors.description.startswith(
        "A real need or problem: 50 % of the ratings that stuck, 20 % of the forgotten ones;"
    )
    assert "Expert talk: 2.5 (too few ratings)" in ranking.description
    assert ">Ratings of initiatives that stuck</text>" in factors.svg


def test_charts_render_in_chinese(cast):
    retrospective, _ = make_sample(cast["admin"].workspace)
    with workspace_scope(retrospective.workspace), translation.override("zh-hans"):
        report = build_report(retrospective)
        assert factors_chart(report).svg.count("<text") > 10
