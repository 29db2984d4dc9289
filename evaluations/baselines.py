"""Naive forecasts that every forecasting submission must beat.

The scorer builds these from the same history the submission saw and
scores both with ``evaluations.metrics`` (``skill_rmse``). They are pure
numpy and run in O(n) memory, so they scale to long histories.

Capacity-normalised accuracy alone can be passed by a naive forecast at a
low-capacity-factor site (see docs/metrics.md), which is why every
forecasting suite also gates on skill against one of these.
"""

from __future__ import annotations

import numbers

import numpy as np
import numpy.typing as npt

__all__ = ["climatology", "persistence", "seasonal_naive"]


def persistence(history: npt.ArrayLike, horizon: int) -> npt.NDArray[np.float64]:
    """Repeat the last observed value for each of the next ``horizon`` steps."""
    values = _history(history)
    steps = _positive_int(horizon, "horizon")
    return np.full(steps, values[-1], dtype=np.float64)


def seasonal_naive(
    history: npt.ArrayLike, season_length: int, horizon: int
) -> npt.NDArray[np.float64]:
    """Repeat the last full season of ``history`` over the horizon.

    Step h (0-based) of the forecast is the value one season before it,
    history[n - m + (h mod m)], so horizons longer than a season repeat the
    last season again ("same day last week" for half-hourly data is
    m = 336).
    """
    values = _history(history)
    season = _positive_int(season_length, "season_length")
    steps = _positive_int(horizon, "horizon")
    if season > values.size:
        raise ValueError(
            f"history has {values.size} points, fewer than one season "
            f"(season_length={season})"
        )
    index = values.size - season + np.arange(steps) % season
    return values[index]


def climatology(
    history: npt.ArrayLike,
    period_index: npt.ArrayLike,
    target_period_index: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    """Forecast each target point as the mean of history in the same period.

    ``period_index`` labels each history point with its period (for example
    hour of day 0-23, or half-hour slot and weekday combined into one
    integer); ``target_period_index`` labels the points to forecast. Every
    target period must occur in the history.
    """
    values = _history(history)
    periods = _labels(period_index, "period_index")
    targets = _labels(target_period_index, "target_period_index")
    if periods.size != values.size:
        raise ValueError(
            f"period_index has {periods.size} labels for {values.size} history points"
        )
    if (periods.dtype.kind in "US") != (targets.dtype.kind in "US"):
        raise ValueError(
            "period_index and target_period_index use different label types"
        )
    labels, codes = np.unique(np.concatenate([periods, targets]), return_inverse=True)
    history_codes = codes[: values.size]
    target_codes = codes[values.size :]
    counts = np.bincount(history_codes, minlength=labels.size)
    sums = np.bincount(history_codes, weights=values, minlength=labels.size)
    missing = np.unique(target_codes[counts[target_codes] == 0])
    if missing.size:
        shown = ", ".join(str(label) for label in labels[missing[:5]].tolist())
        raise ValueError(
            f"{missing.size} target period(s) never occur in the history: {shown}"
        )
    means = sums[target_codes] / counts[target_codes]
    return means.astype(np.float64)


def _history(history: npt.ArrayLike) -> npt.NDArray[np.float64]:
    try:
        values = np.asarray(history, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("history must be numeric") from exc
    if values.ndim != 1:
        raise ValueError(f"history must be one-dimensional, got shape {values.shape}")
    if values.size == 0:
        raise ValueError("history is empty")
    bad = int(values.size - np.count_nonzero(np.isfinite(values)))
    if bad:
        raise ValueError(f"history contains {bad} NaN or infinite value(s)")
    return values


def _labels(values: npt.ArrayLike, name: str) -> npt.NDArray[np.generic]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if array.dtype.kind not in "biuUS":
        raise ValueError(f"{name} must hold integer or string labels")
    return array


def _positive_int(value: int, name: str) -> int:
    # bool is an Integral too, and horizon=True is certainly a slip.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)
