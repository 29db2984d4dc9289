"""Seasonal naive forecast: the value at the same time one week earlier.

An example solution for the portal's forecasting suites. It uses numpy and
pandas only and learns nothing: it is the baseline a real model must beat.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEK = pd.Timedelta(days=7)
# How many weeks back to look when the value a week earlier is missing
# (for example in a gap of the history).
MAX_WEEKS_BACK = 4


def predict(
    history: pd.DataFrame,
    exogenous: pd.DataFrame | None,
    horizon: pd.DatetimeIndex,
) -> list[float]:
    """Return one forecast per timestamp of ``horizon``.

    ``history`` is indexed by time (up to the forecast origin) and names its
    target column in ``history.attrs["target"]``. ``exogenous`` is unused.
    """
    series = _target_series(history)
    values = np.full(len(horizon), np.nan)
    for weeks in range(1, MAX_WEEKS_BACK + 1):
        gaps = np.isnan(values)
        if not gaps.any():
            break
        values[gaps] = series.reindex(horizon[gaps] - weeks * WEEK).to_numpy()
    # Anything still missing (a horizon longer than the look-back, or a long
    # gap) gets the last known value.
    values[np.isnan(values)] = series.iloc[-1]
    return values.tolist()


def _target_series(history: pd.DataFrame) -> pd.Series:
    target = history.attrs.get("target")
    if target not in history.columns:
        numeric = history.select_dtypes("number").columns
        if len(numeric) != 1:
            raise ValueError("cannot tell which column of the history is the target")
        target = numeric[0]
    series = history[target].astype(float).dropna()
    series = series[~series.index.duplicated(keep="last")]
    if series.empty:
        raise ValueError("the history has no values of the target")
    return series
