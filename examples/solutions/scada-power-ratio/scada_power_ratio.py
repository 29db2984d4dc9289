"""Naive turbine anomaly flags: power well below the 2014 median.

An example solution for suite C2b, the naive baseline. A 10-minute row is
flagged when its power is below 70 % of its turbine's 2014 median power in
the row's 0.5 m/s wind-speed bin (``median_power.json``, fitted by
``train_scada_medians.py``), where that median is at least 100 kW. Each
row is judged on its own: no smoothing, no other signal.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

MODEL = json.loads((Path(__file__).parent / "median_power.json").read_text())
UNIT, POWER, SPEED = "turbine", "power_kw", "wind_speed"
RATIO = 0.7
MIN_MEDIAN_KW = 100.0


def detect(series: pd.DataFrame) -> list[float]:
    """Return a flag (1 anomalous, 0 normal) per row of ``series``."""
    missing = {UNIT, POWER, SPEED} - set(series.columns)
    if missing:
        raise ValueError(f"the series lacks the columns {sorted(missing)}")
    width = MODEL["bin_width"]
    expected = np.full(len(series), np.nan)
    turbines = series[UNIT].astype(str).to_numpy()
    bins = np.floor(series[SPEED].to_numpy(dtype=float) / width)
    for turbine in np.unique(turbines):
        table = MODEL["turbines"].get(turbine)
        if table is None:
            raise ValueError(f"no medians for turbine {turbine!r}")
        lookup = pd.Series(table["median_kw"], index=table["bin"], dtype=float)
        mine = turbines == turbine
        expected[mine] = lookup.reindex(bins[mine]).to_numpy()
    power = series[POWER].to_numpy(dtype=float)
    # NaN compares False: rows without a median or a measurement stay 0.
    low = (expected >= MIN_MEDIAN_KW) & (power < RATIO * expected)
    return low.astype(float).tolist()
