"""Forecasting metrics: errors, capacity-normalised accuracies and skill.

Ratios are in percent (docs/metrics.md, convention 1). Every metric takes an
optional ``exclude`` mask; NaN is allowed at excluded points only.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evaluations.metrics._common import (
    BoolArray,
    FloatArray,
    IntArray,
    _bool_array,
    _check_finite,
    _check_length,
    _float_array,
    _group_codes,
    _positive_number,
)


@dataclass(frozen=True)
class _Points:
    """Validated forecast pairs with the excluded points removed."""

    y_true: FloatArray
    y_pred: FloatArray
    size: int  # points before exclusion, for aligning other arrays
    keep: BoolArray | None  # None when nothing was excluded

    def align(self, values: npt.ArrayLike, name: str) -> npt.NDArray[np.generic]:
        """Validate a per-point array and drop the excluded points from it."""
        array = np.asarray(values)
        if array.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
        _check_length(array, name, self.size)
        return array if self.keep is None else array[self.keep]

    def capacity(self, capacity: npt.ArrayLike) -> FloatArray:
        """Return the capacity as a scalar or per-point array, checked > 0."""
        if isinstance(capacity, numbers.Real) and not isinstance(capacity, bool):
            return np.asarray(_positive_number(capacity, "capacity"))
        cap = _float_array(self.align(capacity, "capacity"), "capacity")
        _check_finite(cap, "capacity")
        if bool(np.any(cap <= 0)):
            raise ValueError("capacity must be positive at every assessed point")
        return cap


def _points(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, exclude: npt.ArrayLike | None
) -> _Points:
    actual = _float_array(y_true, "y_true")
    predicted = _float_array(y_pred, "y_pred")
    _check_length(predicted, "y_pred", actual.size)
    if actual.size == 0:
        raise ValueError("y_true and y_pred are empty")
    keep = None
    if exclude is not None:
        keep = ~_bool_array(exclude, "exclude", actual.size)
        actual = actual[keep]
        predicted = predicted[keep]
        if actual.size == 0:
            raise ValueError("every point is excluded; nothing is left to assess")
    _check_finite(actual, "y_true")
    _check_finite(predicted, "y_pred")
    return _Points(
        actual, predicted, keep.size if keep is not None else actual.size, keep
    )


def _group_mean(codes: IntArray, groups: int, values: FloatArray) -> FloatArray:
    sums = np.bincount(codes, weights=values, minlength=groups)
    counts = np.bincount(codes, minlength=groups)
    return sums / counts


def _group_max(codes: IntArray, groups: int, values: FloatArray) -> FloatArray:
    result = np.full(groups, -np.inf)
    np.maximum.at(result, codes, values)
    return result


# Forecasting -----------------------------------------------------------


def mae(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean absolute error, in the unit of y."""
    points = _points(y_true, y_pred, exclude)
    error = points.y_pred - points.y_true
    return float(np.mean(np.abs(error, out=error)))


def rmse(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the root mean squared error, in the unit of y."""
    points = _points(y_true, y_pred, exclude)
    return _rmse(points.y_true, points.y_pred)


def _rmse(actual: FloatArray, predicted: FloatArray) -> float:
    error = predicted - actual
    return math.sqrt(float(np.dot(error, error)) / error.size)


def mape(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean absolute percentage error, in percent.

    MAPE is undefined where the actual is zero, so a zero actual raises
    instead of being skipped silently; exempt such points with ``exclude``
    if the scenario allows it.
    """
    points = _points(y_true, y_pred, exclude)
    zeros = int(points.y_true.size - np.count_nonzero(points.y_true))
    if zeros:
        raise ValueError(
            f"y_true has {zeros} zero actual(s), where MAPE is undefined; "
            "exclude them with the exclude mask or use smape"
        )
    relative = np.abs(points.y_pred - points.y_true) / np.abs(points.y_true)
    return 100.0 * float(np.mean(relative))


def smape(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the symmetric MAPE, in percent (0 to 200).

    A point where actual and forecast are both zero is a perfect forecast
    and contributes 0.
    """
    points = _points(y_true, y_pred, exclude)
    numerator = 2.0 * np.abs(points.y_pred - points.y_true)
    denominator = np.abs(points.y_true) + np.abs(points.y_pred)
    terms = np.divide(
        numerator,
        denominator,
        out=np.zeros_like(numerator),
        where=denominator > 0,
    )
    return 100.0 * float(np.mean(terms))


def bias(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the total forecast error as a percentage of the total actual."""
    points = _points(y_true, y_pred, exclude)
    total = float(np.sum(points.y_true))
    if total == 0:
        raise ValueError("the actuals sum to zero, so bias in percent is undefined")
    return 100.0 * float(np.sum(points.y_pred - points.y_true)) / total


def peak_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    day: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean relative error of the daily maximum, in percent."""
    points = _points(y_true, y_pred, exclude)
    codes, days = _group_codes(points.align(day, "day"), "day")
    peak_true = _group_max(codes, days, points.y_true)
    peak_pred = _group_max(codes, days, points.y_pred)
    if bool(np.any(peak_true <= 0)):
        raise ValueError("a day's actual peak is zero or negative")
    return 100.0 * float(np.mean(np.abs(peak_pred - peak_true) / peak_true))


def _daily_accuracy(
    points: _Points, scaled_error: FloatArray, day: npt.ArrayLike | None
) -> float:
    """Average 1 - sqrt(mean(scaled_error²)) over days, in percent."""
    squared = scaled_error * scaled_error
    if day is None:
        return 100.0 * (1.0 - math.sqrt(float(np.mean(squared))))
    codes, days = _group_codes(points.align(day, "day"), "day")
    daily = 1.0 - np.sqrt(_group_mean(codes, days, squared))
    return 100.0 * float(np.mean(daily))


def a_cn(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    day: npt.ArrayLike | None = None,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the capacity-normalised accuracy of GB/T 40607 and NB/T 32011.

    1. Drop excluded points (curtailment, missing data, PV night).
    2. Per day (or per forecast run), A_d = 1 - RMSE_d / Cap.
    3. Average A_d over the days that kept at least one point.

    Without ``day`` the whole input is one run.
    """
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    return _daily_accuracy(points, (points.y_pred - points.y_true) / cap, day)


def a_csg(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    day: npt.ArrayLike | None = None,
    exclude: npt.ArrayLike | None = None,
    min_ratio: float = 0.2,
) -> float:
    """Return the CSG contest accuracy: A_CN with max(P, 0.2·Cap) per point.

    Dividing by the actual power where it exceeds ``min_ratio`` of capacity
    punishes errors at low output much harder than A_CN does.
    """
    ratio = _positive_number(min_ratio, "min_ratio")
    if ratio > 1:
        raise ValueError(f"min_ratio must be at most 1, got {min_ratio!r}")
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    denominator = np.maximum(points.y_true, ratio * cap)
    return _daily_accuracy(points, (points.y_pred - points.y_true) / denominator, day)


def qualified_rate(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    tolerance: float,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the share of points with abs(error) / Cap <= tolerance, in %."""
    limit = _positive_number(tolerance, "tolerance")
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    within = np.abs(points.y_pred - points.y_true) / cap <= limit
    return 100.0 * float(np.count_nonzero(within)) / within.size


def nmae(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean absolute error as a percentage of capacity."""
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    error = points.y_pred - points.y_true
    np.abs(error, out=error)
    if cap.ndim == 0:
        return 100.0 * float(np.mean(error)) / float(cap)
    return 100.0 * float(np.mean(error / cap))


def nrmse(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the root mean squared error as a percentage of capacity."""
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    if cap.ndim == 0:
        # One capacity: RMSE / Cap, without a scaled copy of every point.
        return 100.0 * _rmse(points.y_true, points.y_pred) / float(cap)
    scaled = (points.y_pred - points.y_true) / cap
    return 100.0 * math.sqrt(float(np.dot(scaled, scaled)) / scaled.size)


def nbias(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    capacity: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean error as a percentage of capacity (signed)."""
    points = _points(y_true, y_pred, exclude)
    cap = points.capacity(capacity)
    return 100.0 * float(np.mean((points.y_pred - points.y_true) / cap))


def a_rel(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return 1 - RMSPE in percent, the accuracy used for demand (suite C1)."""
    points = _points(y_true, y_pred, exclude)
    zeros = int(points.y_true.size - np.count_nonzero(points.y_true))
    if zeros:
        raise ValueError(
            f"y_true has {zeros} zero actual(s), where the relative error is "
            "undefined; exclude them with the exclude mask"
        )
    relative = (points.y_pred - points.y_true) / points.y_true
    return 100.0 * (1.0 - math.sqrt(float(np.mean(relative * relative))))


def daily_energy_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    day: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the mean absolute daily-energy error over the mean daily energy.

    Sums run over the assessed points of each day, so both numerator and
    denominator use the same samples (suite C4).
    """
    points = _points(y_true, y_pred, exclude)
    codes, days = _group_codes(points.align(day, "day"), "day")
    energy_true = np.bincount(codes, weights=points.y_true, minlength=days)
    energy_pred = np.bincount(codes, weights=points.y_pred, minlength=days)
    mean_energy = float(np.mean(energy_true))
    if mean_energy <= 0:
        raise ValueError("the mean daily actual energy is zero or negative")
    return 100.0 * float(np.mean(np.abs(energy_pred - energy_true))) / mean_energy


def skill_rmse(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    baseline: npt.ArrayLike,
    exclude: npt.ArrayLike | None = None,
) -> float:
    """Return the RMSE skill against a naive baseline, in percent.

    ``baseline`` holds the baseline's predictions for the same points (see
    ``evaluations.baselines``). 0 means no better than the baseline; the
    same exclusion applies to both.
    """
    points = _points(y_true, y_pred, exclude)
    reference = _float_array(points.align(baseline, "baseline"), "baseline")
    _check_finite(reference, "baseline")
    reference_rmse = _rmse(points.y_true, reference)
    if reference_rmse == 0:
        raise ValueError("the baseline is perfect (RMSE 0), so skill is undefined")
    return 100.0 * (1.0 - _rmse(points.y_true, points.y_pred) / reference_rmse)
