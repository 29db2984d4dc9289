"""Anomaly flags from a rolling z-score of the residual to a median profile.

An example solution for the portal's event-detection suites. Per unit:

1. The profile is the median value per wind-speed bin (0.5 m/s) when the
   series has a ``wind_speed`` column, else per time of day.
2. The residual is value minus profile, scaled by its median absolute
   deviation (a z-score that a few outliers cannot inflate).
3. The z-score is averaged over a rolling time window; a sustained shift
   (a derate, a stuck sensor) survives the averaging, noise does not.
4. Rows whose averaged z-score is beyond ``THRESHOLD`` are flagged 1.

Nothing is trained in advance; the profile comes from the series itself, so
it assumes most of the series is normal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VALUE_COLUMNS = ("power", "active_power", "value")
WIND_COLUMN = "wind_speed"
WIND_BIN = 0.5
WINDOW = "6h"
THRESHOLD = 3.0
# Return the averaged z-scores instead of 0/1 flags.
RETURN_SCORES = False


def detect(series: pd.DataFrame) -> list[float]:
    """Return one flag (or score) per row of ``series``, in row order."""
    time_column = _time_column(series)
    value_column = _value_column(series)
    unit_column = "unit" if "unit" in series.columns else None

    frame = series.assign(_row=np.arange(len(series)))
    parts = frame.groupby(unit_column, sort=False) if unit_column else [(None, frame)]
    scores = np.zeros(len(series))
    for _, part in parts:
        part = part.sort_values(time_column, kind="stable")
        values = part[value_column].astype(float)
        if WIND_COLUMN in part.columns:
            key = (part[WIND_COLUMN].astype(float) // WIND_BIN).fillna(-1)
        else:
            stamps = part[time_column].dt
            key = stamps.hour * 60 + stamps.minute
        profile = values.groupby(key).transform("median")
        residual = values - profile
        spread = 1.4826 * np.nanmedian(np.abs(residual - np.nanmedian(residual)))
        if not np.isfinite(spread) or spread == 0:
            spread = float(np.nanstd(residual)) or 1.0
        z = pd.Series((residual / spread).to_numpy(), index=part[time_column])
        averaged = z.rolling(WINDOW, min_periods=1).mean().abs()
        scores[part["_row"].to_numpy()] = np.nan_to_num(averaged.to_numpy())
    if RETURN_SCORES:
        return scores.tolist()
    return (scores > THRESHOLD).astype(float).tolist()


def _time_column(series: pd.DataFrame) -> str:
    for name in series.columns:
        if pd.api.types.is_datetime64_any_dtype(series[name]):
            return str(name)
    raise ValueError("the series has no datetime column")


def _value_column(series: pd.DataFrame) -> str:
    for name in VALUE_COLUMNS:
        if name in series.columns:
            return name
    raise ValueError(f"the series has none of the value columns {VALUE_COLUMNS}")
