"""Horizontal bar charts of the dashboards, drawn as inline SVG (no script).

Labels are the translated stage names passed in, so the chart reads in the
active language; a table with the same numbers sits next to each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

register = template.Library()

LABEL_WIDTH = 230
BAR_WIDTH = 300
VALUE_WIDTH = 70
BAR_HEIGHT = 14
ROW_GAP = 10
TOP = 24


@register.inclusion_tag("lifecycle/_bar_chart.html")
def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
) -> dict[str, Any]:
    """``series`` are (name, one value per label or None, CSS class).

    Bars share one scale; a missing value draws no bar and reads "—".
    """
    values = [v for _name, row, _css in series for v in row if v is not None]
    top = max(values, default=0) or 1
    group = BAR_HEIGHT * len(series) + ROW_GAP
    rows = []
    for index, label in enumerate(labels):
        y = TOP + index * group
        bars = []
        for offset, (name, row, css) in enumerate(series):
            value = row[index] if index < len(row) else None
            width = 0.0 if value is None else round(BAR_WIDTH * value / top, 1)
            bars.append(
                {
                    "name": name,
                    "css": css,
                    "value": value,
                    "y": y + offset * BAR_HEIGHT,
                    "width": width,
                    "text_x": LABEL_WIDTH + width + 4,
                }
            )
        rows.append(
            {"label": label, "y": y + BAR_HEIGHT * len(series) / 2, "bars": bars}
        )
    legend = [
        {"name": name, "css": css, "x": LABEL_WIDTH + i * 150}
        for i, (name, _row, css) in enumerate(series)
    ]
    return {
        "chart_id": chart_id,
        "title": title,
        "desc": desc,
        "rows": rows,
        "legend": legend,
        "label_x": LABEL_WIDTH - 6,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT - 2,
        "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "height": TOP + group * len(labels),
    }
