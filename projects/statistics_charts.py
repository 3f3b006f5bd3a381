"""The statistics page's charts: pygal SVG rendered on the server, shown as <img src="data:image/svg+xml;…">.

The CSP allows no inline <style> or <script> in the page, and pygal's SVG carries its own <style>; as an image
document the SVG keeps its styles and runs no script. Every chart has the data table beside it on the page
(the table is what screen readers and the Excel export use); the image's alt text names the table.
"""

from __future__ import annotations

import base64
import hashlib

import pygal
from django.core.cache import cache
from pygal.style import Style

from .models import GENDERS, Gender

# Bootstrap's primary, a dark teal and a grey: distinguishable and with contrast against white.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    colors=("#0d6efd", "#0f5132", "#6c757d", "#6f42c1", "#b02a37"),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)
OPTIONS = {
    "style": STYLE,
    "js": [],  # no tooltips script: it would be blocked, and the table says the same
    "width": 720,
    "height": 360,
    "print_values": False,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "show_y_guides": True,
    "truncate_legend": -1,
    "truncate_label": -1,
    "disable_xml_declaration": True,
}


# Rendering a chart costs tens of milliseconds; the same figures always give the same SVG, and statistics come
# from submitted reports only, so a chart is kept by a hash of what it shows and reused until it is evicted.
CACHE_SECONDS = 60 * 60 * 24
VERSION = 1  # raise when the look changes


def _render(chart_class, height: int, labels: list[str], named: list[tuple[str, list]]) -> str:
    key = (
        "statistics-chart:"
        + hashlib.sha256(repr((VERSION, chart_class.__name__, height, labels, named)).encode()).hexdigest()
    )
    found = cache.get(key)
    if found is not None:
        return found
    chart = chart_class(**{**OPTIONS, "height": height})
    chart.x_labels = labels
    for name, values in named:
        chart.add(name, values)
    svg = chart.render()
    svg = svg.encode("utf-8") if isinstance(svg, str) else svg
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    cache.set(key, uri, CACHE_SECONDS)
    return uri


def by_gender(labels: list[str], rows: list[dict[str, int]], *, horizontal: bool = False) -> str:
    """One stacked bar per label, split by kön."""
    chart_class = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    height = max(OPTIONS["height"], 60 + 34 * len(labels)) if horizontal else OPTIONS["height"]
    named = [(Gender(gender).label, [row.get(gender, 0) for row in rows]) for gender in GENDERS]
    return _render(chart_class, height, labels, named)


def series(labels: list[str], named: list[tuple[str, list[int | float | None]]], *, horizontal: bool = False) -> str:
    """Grouped bars: one series per name (budgeterat and faktiskt, egen and offentlig försörjning)."""
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(OPTIONS["height"], 60 + 26 * len(labels) * len(named)) if horizontal else OPTIONS["height"]
    return _render(chart_class, height, labels, named)
