"""Ridge regression on lagged values and calendar features.

An example solution for the portal's forecasting suites. Nothing is trained
in advance: each call fits the model on the history it is given (which ends
at the forecast origin) and predicts the horizon. Lags shorter than the
distance from the origin to the last horizon timestamp would need values
from the future, so they are left out.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

LAG_DAYS = (1, 2, 7, 14)
HARMONICS = 3
ALPHA = 1.0
# Fewer training rows than this and the model falls back to last week.
MIN_TRAINING_ROWS = 48
DAY = pd.Timedelta(days=1)
WEEK = pd.Timedelta(days=7)


def predict(
    history: pd.DataFrame,
    exogenous: pd.DataFrame | None,
    horizon: pd.DatetimeIndex,
) -> list[float]:
    """Return one forecast per timestamp of ``horizon``."""
    series = _target_series(history)
    lags = _usable_lags(horizon.max() - series.index.max())
    exog = _exogenous_columns(exogenous, horizon)

    train = _features(series, series.index, lags, exog)
    has_lag = train[[f"lag_{lag}" for lag in lags]].notna().any(axis=1).to_numpy()
    if has_lag.sum() < MIN_TRAINING_ROWS:
        return _fallback(series, horizon, lags[0])
    model = make_pipeline(
        SimpleImputer(strategy="mean"), StandardScaler(), Ridge(alpha=ALPHA)
    )
    model.fit(train[has_lag], series.to_numpy()[has_lag])
    future = _features(series, horizon, lags, exog)
    return model.predict(future).tolist()


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


def _usable_lags(lead: pd.Timedelta) -> list[pd.Timedelta]:
    lags = [d * DAY for d in LAG_DAYS if d * DAY >= lead]
    if not lags:
        weeks = math.ceil(lead / WEEK)
        lags = [weeks * WEEK, (weeks + 1) * WEEK]
    return lags


def _exogenous_columns(
    exogenous: pd.DataFrame | None, horizon: pd.DatetimeIndex
) -> pd.DataFrame | None:
    """Numeric exogenous columns known at every horizon timestamp."""
    if exogenous is None or exogenous.empty:
        return None
    frame = exogenous.select_dtypes("number")
    frame = frame[~frame.index.duplicated(keep="last")]
    known = frame.reindex(horizon).notna().all()
    frame = frame.loc[:, known[known].index]
    return frame if frame.shape[1] else None


def _features(
    series: pd.Series,
    index: pd.DatetimeIndex,
    lags: list[pd.Timedelta],
    exog: pd.DataFrame | None,
) -> pd.DataFrame:
    columns: dict[str, np.ndarray] = {}
    for lag in lags:
        columns[f"lag_{lag}"] = series.reindex(index - lag).to_numpy()
    seconds = index.hour * 3600 + index.minute * 60 + index.second
    angle = 2 * np.pi * np.asarray(seconds, dtype=float) / 86_400
    for k in range(1, HARMONICS + 1):
        columns[f"sin_{k}"] = np.sin(k * angle)
        columns[f"cos_{k}"] = np.cos(k * angle)
    for day in range(7):
        columns[f"weekday_{day}"] = np.asarray(index.day_of_week == day, dtype=float)
    if exog is not None:
        for name in exog.columns:
            columns[f"exog_{name}"] = exog[name].reindex(index).to_numpy(dtype=float)
    return pd.DataFrame(columns, index=index)


def _fallback(
    series: pd.Series, horizon: pd.DatetimeIndex, lag: pd.Timedelta
) -> list[float]:
    values = series.reindex(horizon - lag).to_numpy()
    values[np.isnan(values)] = series.iloc[-1]
    return values.tolist()
