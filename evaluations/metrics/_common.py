"""Input validation shared by the metric modules.

Arrays, masks, positive numbers, labels and group numbers, with the
``ValueError`` messages a vendor can act on (docs/metrics.md, convention 2).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
IntArray: TypeAlias = npt.NDArray[np.intp]
LabelArray: TypeAlias = npt.NDArray[np.generic]
Label: TypeAlias = int | float | str
Event: TypeAlias = Sequence[object]


# Input validation ------------------------------------------------------


def _float_array(values: npt.ArrayLike, name: str) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric") from exc
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def _check_finite(array: FloatArray, name: str) -> None:
    # Fast path: a sum is finite only if no value is NaN or infinite (the
    # sum of finite values can still overflow: then count them one by one).
    # It reads the array once and allocates nothing.
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.add.reduce(array))
    if math.isfinite(total):
        return
    bad = int(array.size - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")


def _check_length(array: npt.NDArray[np.generic], name: str, size: int) -> None:
    if array.size != size:
        raise ValueError(f"{name} has {array.size} values, y_true has {size}")


def _bool_array(values: npt.ArrayLike, name: str, size: int) -> BoolArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    _check_length(array, name, size)
    if array.dtype == np.bool_:
        return array.astype(np.bool_, copy=False)
    # Floats too: flags come back from a sandbox as JSON numbers (1.0, 0.0).
    if array.dtype.kind in "iuf" and bool(np.all((array == 0) | (array == 1))):
        return array.astype(np.bool_)
    raise ValueError(f"{name} must be a boolean mask (True/False or 1/0)")


def _positive_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return number


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if int(value) < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def _group_codes(labels: npt.NDArray[np.generic], name: str) -> tuple[IntArray, int]:
    """Return a group number per point (0..k-1) and the number of groups k.

    Integer labels over a modest range and sorted labels take an O(n) pass;
    anything else is numbered by np.unique, which sorts.
    """
    if labels.dtype.kind not in "biuUSM":
        if labels.dtype.kind == "f":
            _check_finite(labels.astype(np.float64), name)
        else:
            raise ValueError(f"{name} must hold numbers, strings or dates")
    if labels.dtype.kind in "iu":
        # Integer labels over a modest range (day numbers, yyyymmdd):
        # number them by presence, in O(n + range) without sorting.
        low, high = int(labels.min()), int(labels.max())
        if high - low <= 4 * labels.size:
            offset = (labels - low).astype(np.intp)
            present = np.bincount(offset, minlength=high - low + 1) > 0
            number = np.cumsum(present, dtype=np.intp) - 1
            return number[offset], int(number[-1]) + 1
    if labels.size > 1 and bool(np.all(np.greater_equal(labels[1:], labels[:-1]))):
        starts = np.empty(labels.size, dtype=np.bool_)
        starts[0] = True
        np.not_equal(labels[1:], labels[:-1], out=starts[1:])
        codes = np.cumsum(starts, dtype=np.intp) - 1
        return codes, int(codes[-1]) + 1
    uniques, inverse = np.unique(labels, return_inverse=True)
    return inverse.astype(np.intp, copy=False), int(uniques.size)


def _label_array(values: npt.ArrayLike, name: str) -> LabelArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind == "f":
        _check_finite(array.astype(np.float64), name)
    elif array.dtype.kind not in "biuUS":
        raise ValueError(f"{name} must hold numbers, booleans or strings")
    return array
