"""Turbine anomaly flags from power-curve residuals and a frozen anemometer.

An example solution for suite C2b (turbine SCADA event detection). Per
turbine, from ``power_curves.json`` (fitted on 2014 by
``train_scada_power_curve.py``):

1. The expected power and its spread at the measured wind speed, by linear
   interpolation between the wind-speed bins' medians and standard
   deviations.
2. The residual z-score (power − expected) / spread, averaged over the
   trailing six hours (missing values left out); a turbine whose average
   is below −1 produces less than it should and is flagged.
3. A frozen anemometer: a wind-speed reading repeated unchanged for an
   hour or more (the seventh identical reading onwards) is flagged too.

Both rules look back only, so a flag never depends on later data. A row
without its power or wind speed is not flagged.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

MODEL = json.loads((Path(__file__).parent / "power_curves.json").read_text())
TIME, UNIT = "timestamp", "turbine"
POWER, SPEED = "power_kw", "wind_speed"
WINDOW = "6h"
Z_LIMIT = -1.0
FROZEN_READINGS = 6  # repeats after the first reading: one hour of 10-minute data


def detect(series: pd.DataFrame) -> list[float]:
    """Return a flag (1 anomalous, 0 normal) per row of ``series``."""
    missing = {TIME, UNIT, POWER, SPEED} - set(series.columns)
    if missing:
        raise ValueError(f"the series lacks the columns {sorted(missing)}")
    flags = np.zeros(len(series))
    rows = series.assign(_row=np.arange(len(series)))
    for turbine, part in rows.groupby(UNIT, sort=False):
        curve = MODEL["turbines"].get(str(turbine))
        if curve is None:
            raise ValueError(f"no power curve for turbine {turbine!r}")
        part = part.sort_values(TIME, kind="stable")
        speed = part[SPEED].to_numpy(dtype=float)
        power = part[POWER].to_numpy(dtype=float)
        expected = np.interp(speed, curve["speed"], curve["median_kw"])
        spread = np.interp(speed, curve["speed"], curve["sigma_kw"])
        z = pd.Series((power - expected) / spread, index=part[TIME].to_numpy())
        low = z.rolling(WINDOW, min_periods=1).mean().to_numpy() < Z_LIMIT
        low &= np.isfinite(z.to_numpy())
        flags[part["_row"].to_numpy()] = (low | frozen(speed)).astype(float)
    return flags.tolist()


def frozen(speed: np.ndarray) -> np.ndarray:
    """Mark readings that repeat the previous one for FROZEN_READINGS steps."""
    same = np.zeros(speed.size, dtype=bool)
    same[1:] = speed[1:] == speed[:-1]  # NaN never equals, so a gap resets
    # Length of the run of repeats ending at each reading.
    starts = np.flatnonzero(~same)
    run = (
        np.arange(speed.size)
        - starts[np.searchsorted(starts, np.arange(speed.size), "right") - 1]
    )
    return run >= FROZEN_READINGS
