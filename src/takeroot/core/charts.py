"""Charts drawn on the server as SVG (altair → Vega-Lite → vl-convert), for pages and PDFs.

An SVG goes into a page inline and into a PDF, so it must stand on its own: one ``role="img"``
with a label and a description, no inner ARIA that a screen reader would read as loose shapes,
and no ``style`` attributes (the site's CSP refuses inline styles; presentation attributes are fine).
"""

import base64
import re
from dataclasses import dataclass
from html import escape

# Fonts installed with the server, so the widths vl-convert measures are the widths drawn.
FONT = '"DejaVu Sans", "WenQuanYi Micro Hei", sans-serif'
INK = "#1f2933"

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


def house_style(chart):
    """Fonts, ink and grid shared by every chart, so pages and PDFs look alike."""
    return (
        chart.configure(font=FONT, background="white")
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12, gridColor="#d9dde3")
        .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12, orient="bottom")
    )
