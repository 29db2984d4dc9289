"""The radar chart of a scorecard entry, drawn as inline SVG (no script)."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()

SIZE = 240
CENTRE = SIZE / 2
RADIUS = 80.0
LEVELS = (1, 2, 3, 4, 5)


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    # First axis straight up, then clockwise; 0 at the centre, 5 at RADIUS.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / 5
    return (
        round(CENTRE + distance * math.cos(angle), 1),
        round(CENTRE + distance * math.sin(angle), 1),
    )


def _polygon(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


@register.inclusion_tag("reviews/_radar.html")
def radar(
    values: list[tuple[str, float | None]], labels: dict[str, str]
) -> dict[str, Any]:
    """``values`` are (dimension, calibrated score or None) in axis order."""
    count = len(values)
    rings = [
        _polygon([_point(i, count, level) for i in range(count)]) for level in LEVELS
    ]
    axes = []
    for index, (dimension, value) in enumerate(values):
        end = _point(index, count, 5)
        label_x, label_y = _point(index, count, 6.2)
        anchor = "middle"
        if label_x < CENTRE - 5:
            anchor = "end"
        elif label_x > CENTRE + 5:
            anchor = "start"
        axes.append(
            {
                "x": end[0],
                "y": end[1],
                "label": labels.get(dimension, dimension),
                "label_x": label_x,
                "label_y": label_y,
                "anchor": anchor,
                "value": value,
            }
        )
    scored = all(value is not None for _d, value in values)
    shape = (
        _polygon([_point(i, count, value or 0) for i, (_d, value) in enumerate(values)])
        if scored
        else ""
    )
    return {
        "size": SIZE,
        "centre": CENTRE,
        "rings": rings,
        "axes": axes,
        "shape": shape,
        "values": values,
    }
