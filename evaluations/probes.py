"""Robustness probes: declared, seeded perturbations of a split's inputs.

A probe is a named list of steps applied to the hidden inputs before they
reach a solution; the worker scores the probe like the clean run and
reports the difference (evaluations/scoring.py). This module is the
library suite authors build probes from, in data preparation::

    steps = validate_steps([
        {"kind": "missing", "columns": ["load_mw"], "share": 0.05},
        {"kind": "noise", "columns": ["load_mw"], "sd": 0.01},
    ])
    files = perturb_call_files(call_files, steps, seed=20240101)

Randomness is keyed, not drawn in sequence. Every random choice for a
table row is a hash of the seed, the step and the row's key (its
timestamp, or its id), so a value that is missing or noisy in one call's
history is missing or equally noisy in every later call that contains the
same row, as it would be in a real feed. Images are keyed by file name.

Table steps (pandas DataFrames; ``columns`` lists numeric columns):

``missing``     ``share`` of the values of each column become empty.
``drop_rows``   ``share`` of the rows are lost.
``gap``         time is cut into blocks of ``hours``; ``share`` of the
                blocks are lost whole (logger outages, timestamp gaps).
``noise``       Gaussian noise with standard deviation ``sd``: relative
                (value × (1 + ε), the default) or absolute (``relative``
                false).
``offset``      ``value`` added (a miscalibrated sensor, +1.5 K say).
``scale``       values multiplied by ``factor`` (soiling: 0.95).
``drift``       a drift of ``per_day`` added per day since ``start``
                (ISO timestamp); rows before ``start`` are unchanged.
``clock_shift`` timestamps moved by ``minutes``.
``duplicate``   ``share`` of the rows appear twice.

Image steps (numpy arrays, H × W or H × W × C; integer images use their
type's range, float images ``value_range``, default [0, 1]):

``image_noise``      Gaussian noise, ``sd`` as a share of the range.
``image_brightness`` ``brightness`` (share of the range) added and contrast
                     scaled by ``contrast`` around the image's mean.
``image_rotation``   rotated by a uniform angle in ±``degrees`` (or by
                     exactly ``degrees`` with ``fixed`` true), bilinear,
                     edges extended.
``image_crop``       a random crop keeping ``keep`` of each side, resized
                     back to the original size.

docs/probes.md documents the same list for suite authors.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

Step = dict[str, Any]

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_NORMAL_STREAMS = 1 << 40

# kind: (required parameters, optional parameters with defaults)
TABLE_STEPS: dict[str, tuple[set[str], dict[str, Any]]] = {
    "missing": ({"columns", "share"}, {}),
    "drop_rows": ({"share"}, {}),
    "gap": ({"hours", "share"}, {}),
    "noise": ({"columns", "sd"}, {"relative": True}),
    "offset": ({"columns", "value"}, {}),
    "scale": ({"columns", "factor"}, {}),
    "drift": ({"columns", "per_day", "start"}, {}),
    "clock_shift": ({"minutes"}, {}),
    "duplicate": ({"share"}, {}),
}
IMAGE_STEPS: dict[str, tuple[set[str], dict[str, Any]]] = {
    "image_noise": ({"sd"}, {"value_range": None}),
    "image_brightness": (
        set(),
        {"brightness": 0.0, "contrast": 1.0, "value_range": None},
    ),
    "image_rotation": ({"degrees"}, {"fixed": False}),
    "image_crop": ({"keep"}, {}),
}
STEPS = {**TABLE_STEPS, **IMAGE_STEPS}
_NEEDS_TIME = {"gap", "drift", "clock_shift"}
_SHARE_STEPS = {"missing", "drop_rows", "gap", "duplicate"}


class ProbeError(Exception):
    """A step cannot be applied to these inputs (a suite author's mistake)."""


# --- declaration ---------------------------------------------------------------


def validate_steps(steps: Any) -> list[Step]:
    """Return ``steps`` with defaults filled in, or raise ValidationError.

    Every error names the step by its position, so an author can find it.
    """
    if not isinstance(steps, list) or not steps:
        raise ValidationError("A probe needs a non-empty list of steps.")
    errors: list[str] = []
    cleaned: list[Step] = []
    for index, step in enumerate(steps, start=1):
        where = f"Step {index}"
        if not isinstance(step, dict):
            errors.append(f"{where} must be an object.")
            continue
        kind = step.get("kind")
        if kind not in STEPS:
            errors.append(f"{where}: unknown kind {kind!r}; known: {', '.join(STEPS)}.")
            continue
        required, optional = STEPS[kind]
        given = set(step) - {"kind"}
        missing = sorted(required - given)
        unknown = sorted(given - required - set(optional))
        if missing:
            errors.append(f"{where} ({kind}) needs {', '.join(missing)}.")
        if unknown:
            errors.append(
                f"{where} ({kind}) has unknown parameters {', '.join(unknown)}."
            )
        if missing or unknown:
            continue
        full = {**optional, **step}
        errors.extend(f"{where} ({kind}): {problem}" for problem in _check(kind, full))
        cleaned.append(full)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and np.isfinite(value)
    )


def _check(kind: str, step: Step) -> list[str]:
    problems: list[str] = []
    if "columns" in step and (
        not isinstance(step["columns"], list)
        or not step["columns"]
        or not all(isinstance(c, str) and c for c in step["columns"])
    ):
        problems.append("columns must be a non-empty list of column names.")
    if kind in _SHARE_STEPS and not (_number(step["share"]) and 0 < step["share"] < 1):
        problems.append("share must be a number between 0 and 1 (exclusive).")
    if kind == "gap" and not (_number(step["hours"]) and step["hours"] > 0):
        problems.append("hours must be a positive number.")
    if kind in {"noise", "image_noise"} and not (
        _number(step["sd"]) and step["sd"] > 0
    ):
        problems.append("sd must be a positive number.")
    if kind == "noise" and not isinstance(step["relative"], bool):
        problems.append("relative must be true or false.")
    if kind == "offset" and not _number(step["value"]):
        problems.append("value must be a number.")
    if kind == "scale" and not (_number(step["factor"]) and step["factor"] > 0):
        problems.append("factor must be a positive number.")
    if kind == "drift":
        if not _number(step["per_day"]):
            problems.append("per_day must be a number.")
        try:
            pd.Timestamp(step["start"])
        except (TypeError, ValueError):
            problems.append("start must be an ISO 8601 timestamp.")
    if kind == "clock_shift" and not (
        _number(step["minutes"]) and step["minutes"] != 0
    ):
        problems.append("minutes must be a non-zero number.")
    if kind == "image_brightness":
        if not _number(step["brightness"]) or abs(step["brightness"]) >= 1:
            problems.append("brightness must be a number between -1 and 1.")
        if not (_number(step["contrast"]) and step["contrast"] > 0):
            problems.append("contrast must be a positive number.")
    if kind == "image_rotation":
        if not (_number(step["degrees"]) and 0 < abs(step["degrees"]) <= 180):
            problems.append("degrees must be a number in (0, 180].")
        if not isinstance(step["fixed"], bool):
            problems.append("fixed must be true or false.")
    if kind == "image_crop" and not (_number(step["keep"]) and 0.5 <= step["keep"] < 1):
        problems.append("keep must be a number in [0.5, 1).")
    value_range = step.get("value_range")
    if value_range is not None and not (
        isinstance(value_range, list)
        and len(value_range) == 2
        and all(_number(v) for v in value_range)
        and value_range[0] < value_range[1]
    ):
        problems.append("value_range must be [low, high] with low < high.")
    return problems


# --- keyed randomness ----------------------------------------------------------


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, vectorised: a well-spread 64-bit hash."""
    z = values.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return z & _MASK64


def keyed_uniform(keys: np.ndarray, seed: int, stream: int) -> np.ndarray:
    """Uniform numbers in [0, 1), one per key, fixed by (seed, stream, key)."""
    salt = _mix(
        np.array([(seed * 1_000_003 + stream) & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
    )
    with np.errstate(over="ignore"):
        hashed = _mix(keys.astype(np.uint64) ^ salt[0])
    return (hashed >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def keyed_normal(keys: np.ndarray, seed: int, stream: int) -> np.ndarray:
    """Standard normal numbers, one per key (Box–Muller on two keyed streams)."""
    # Streams of their own, apart from every stream keyed_uniform is given,
    # so a step's noise is independent of another step's choices.
    u1 = keyed_uniform(keys, seed, _NORMAL_STREAMS + 2 * stream)
    u2 = keyed_uniform(keys, seed, _NORMAL_STREAMS + 2 * stream + 1)
    radius = np.sqrt(-2.0 * np.log1p(-u1))  # 1 - u1 is in (0, 1]
    return np.asarray(radius * np.cos(2.0 * np.pi * u2))


def _nanoseconds(stamps: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch (UTC for aware timestamps)."""
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(None)
    return np.asarray(stamps.astype("datetime64[ns]").to_numpy().view(np.int64))


def _row_keys(frame: pd.DataFrame, key_column: str | None) -> np.ndarray:
    """One 64-bit key per row: its timestamp, its id, or its position."""
    if key_column is None:
        return np.arange(len(frame), dtype=np.uint64)
    column = frame[key_column]
    if pd.api.types.is_datetime64_any_dtype(column):
        return _nanoseconds(column).astype(np.uint64)
    return np.array(
        [zlib.crc32(str(value).encode()) | (len(str(value)) << 32) for value in column],
        dtype=np.uint64,
    )


# --- tables --------------------------------------------------------------------


def perturb_table(
    frame: pd.DataFrame,
    steps: list[Step],
    *,
    seed: int,
    time_column: str | None = None,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Apply the table steps of ``steps`` to a copy of ``frame``.

    Rows are keyed by ``time_column`` (parsed as timestamps) when given,
    else by ``id_column``, else by position. Image steps are skipped.
    """
    result = frame.copy()
    if time_column is not None:
        if time_column not in result.columns:
            raise ProbeError(f"The time column {time_column!r} is missing.")
        result[time_column] = pd.to_datetime(result[time_column], format="ISO8601")
    key_column = time_column or id_column
    for index, step in enumerate(steps, start=1):
        kind = step["kind"]
        if kind in IMAGE_STEPS:
            continue
        if kind in _NEEDS_TIME and time_column is None:
            raise ProbeError(f"Step {index} ({kind}) needs a time column.")
        for column in step.get("columns", []):
            if column not in result.columns:
                raise ProbeError(f"Step {index} ({kind}): no column {column!r}.")
            if not pd.api.types.is_numeric_dtype(result[column]):
                raise ProbeError(
                    f"Step {index} ({kind}): column {column!r} is not numeric."
                )
        result = _TABLE_APPLY[kind](result, step, seed, index, key_column, time_column)
    return result


_TableApply = Callable[
    [pd.DataFrame, Step, int, int, "str | None", "str | None"], pd.DataFrame
]


def _needs(time: str | None) -> str:
    if time is None:  # perturb_table checks first; this keeps the types honest
        raise ProbeError("This step needs a time column.")
    return time


def _missing(
    frame: pd.DataFrame,
    step: Step,
    seed: int,
    index: int,
    key: str | None,
    _t: str | None,
) -> pd.DataFrame:
    keys = _row_keys(frame, key)
    for offset, column in enumerate(step["columns"]):
        lost = keyed_uniform(keys, seed, 1000 * index + offset) < step["share"]
        frame[column] = frame[column].astype(float).mask(lost)
    return frame


def _drop_rows(
    frame: pd.DataFrame,
    step: Step,
    seed: int,
    index: int,
    key: str | None,
    _t: str | None,
) -> pd.DataFrame:
    lost = keyed_uniform(_row_keys(frame, key), seed, 1000 * index) < step["share"]
    return frame[~lost].reset_index(drop=True)


def _gap(
    frame: pd.DataFrame,
    step: Step,
    seed: int,
    index: int,
    _k: str | None,
    time: str | None,
) -> pd.DataFrame:
    time = _needs(time)
    block_ns = int(step["hours"] * 3600 * 1e9)
    nanoseconds = _nanoseconds(frame[time])
    blocks = np.floor_divide(nanoseconds, block_ns).astype(np.uint64)
    lost = keyed_uniform(blocks, seed, 1000 * index) < step["share"]
    return frame[~lost].reset_index(drop=True)


def _noise(
    frame: pd.DataFrame,
    step: Step,
    seed: int,
    index: int,
    key: str | None,
    _t: str | None,
) -> pd.DataFrame:
    keys = _row_keys(frame, key)
    for offset, column in enumerate(step["columns"]):
        epsilon = step["sd"] * keyed_normal(keys, seed, 1000 * index + offset)
        values = frame[column].astype(float)
        frame[column] = (
            values * (1.0 + epsilon) if step["relative"] else values + epsilon
        )
    return frame


def _offset(
    frame: pd.DataFrame, step: Step, _s: int, _i: int, _k: str | None, _t: str | None
) -> pd.DataFrame:
    for column in step["columns"]:
        frame[column] = frame[column].astype(float) + step["value"]
    return frame


def _scale(
    frame: pd.DataFrame, step: Step, _s: int, _i: int, _k: str | None, _t: str | None
) -> pd.DataFrame:
    for column in step["columns"]:
        frame[column] = frame[column].astype(float) * step["factor"]
    return frame


def _drift(
    frame: pd.DataFrame, step: Step, _s: int, _i: int, _k: str | None, time: str | None
) -> pd.DataFrame:
    time = _needs(time)
    start = pd.Timestamp(step["start"])
    stamps = frame[time]
    if stamps.dt.tz is not None and start.tzinfo is None:
        start = start.tz_localize(stamps.dt.tz)
    elif stamps.dt.tz is None and start.tzinfo is not None:
        start = start.tz_convert(None)
    days = ((stamps - start).dt.total_seconds() / 86400.0).clip(lower=0.0)
    for column in step["columns"]:
        frame[column] = frame[column].astype(float) + step["per_day"] * days.to_numpy()
    return frame


def _clock_shift(
    frame: pd.DataFrame, step: Step, _s: int, _i: int, _k: str | None, time: str | None
) -> pd.DataFrame:
    time = _needs(time)
    frame[time] = frame[time] + pd.Timedelta(minutes=step["minutes"])
    return frame


def _duplicate(
    frame: pd.DataFrame,
    step: Step,
    seed: int,
    index: int,
    key: str | None,
    _t: str | None,
) -> pd.DataFrame:
    twice = keyed_uniform(_row_keys(frame, key), seed, 1000 * index) < step["share"]
    repeats = np.where(twice, 2, 1)
    return frame.loc[frame.index.repeat(repeats)].reset_index(drop=True)


_TABLE_APPLY: dict[str, _TableApply] = {
    "missing": _missing,
    "drop_rows": _drop_rows,
    "gap": _gap,
    "noise": _noise,
    "offset": _offset,
    "scale": _scale,
    "drift": _drift,
    "clock_shift": _clock_shift,
    "duplicate": _duplicate,
}


# --- images --------------------------------------------------------------------


def _value_range(
    image: np.ndarray, declared: list[float] | None
) -> tuple[float, float]:
    if np.issubdtype(image.dtype, np.integer):
        info = np.iinfo(image.dtype)
        return float(info.min), float(info.max)
    if declared is not None:
        return float(declared[0]), float(declared[1])
    return 0.0, 1.0


def perturb_image(
    image: np.ndarray, steps: list[Step], *, seed: int, key: str
) -> np.ndarray:
    """Apply the image steps of ``steps`` to ``image``; table steps are skipped.

    ``key`` (the file name, say) fixes the random draws for this image. The
    result has the input's shape and dtype and stays within its range.
    """
    if image.ndim not in (2, 3) or image.size == 0:
        raise ProbeError(f"Image {key!r} must be a non-empty H × W or H × W × C array.")
    if not (
        np.issubdtype(image.dtype, np.integer)
        or np.issubdtype(image.dtype, np.floating)
    ):
        raise ProbeError(f"Image {key!r} must hold integers or floats.")
    dtype = image.dtype
    pixels = image.astype(np.float64)
    image_key = np.array([zlib.crc32(key.encode())], dtype=np.uint64)
    for index, step in enumerate(steps, start=1):
        kind = step["kind"]
        if kind not in IMAGE_STEPS:
            continue
        low, high = _value_range(image, step.get("value_range"))
        span = high - low
        if kind == "image_noise":
            rng = np.random.default_rng([seed, index, int(image_key[0])])
            pixels = pixels + rng.normal(0.0, step["sd"] * span, pixels.shape)
        elif kind == "image_brightness":
            mean = pixels.mean()
            pixels = (
                (pixels - mean) * step["contrast"] + mean + step["brightness"] * span
            )
        elif kind == "image_rotation":
            angle = float(step["degrees"])
            if not step["fixed"]:
                draw = keyed_uniform(image_key, seed, 1000 * index)[0]
                angle = (2.0 * draw - 1.0) * angle
            pixels = rotate(pixels, angle)
        elif kind == "image_crop":
            pixels = _crop(
                pixels,
                step["keep"],
                keyed_uniform(image_key, seed, 1000 * index)[0],
                keyed_uniform(image_key, seed, 1000 * index + 1)[0],
            )
        pixels = np.clip(pixels, low, high)
    if np.issubdtype(dtype, np.integer):
        pixels = np.rint(pixels)
    return pixels.astype(dtype)


def rotate(pixels: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise as displayed (row 0 at the top) about the
    centre, bilinear, edges extended; 90° equals ``numpy.rot90``."""
    height, width = pixels.shape[:2]
    theta = np.deg2rad(degrees)
    cos, sin = np.cos(theta), np.sin(theta)
    cy, cx = (height - 1) / 2.0, (width - 1) / 2.0
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    # Inverse mapping: the source of each output pixel.
    dy, dx = rows - cy, cols - cx
    src_y = np.clip(cy + cos * dy + sin * dx, 0, height - 1)
    src_x = np.clip(cx - sin * dy + cos * dx, 0, width - 1)
    return _bilinear(pixels, src_y, src_x)


def _bilinear(pixels: np.ndarray, src_y: np.ndarray, src_x: np.ndarray) -> np.ndarray:
    height, width = pixels.shape[:2]
    y0 = np.floor(src_y).astype(int)
    x0 = np.floor(src_x).astype(int)
    y1 = np.minimum(y0 + 1, height - 1)
    x1 = np.minimum(x0 + 1, width - 1)
    wy = src_y - y0
    wx = src_x - x0
    if pixels.ndim == 3:
        wy, wx = wy[..., None], wx[..., None]
    top = pixels[y0, x0] * (1 - wx) + pixels[y0, x1] * wx
    bottom = pixels[y1, x0] * (1 - wx) + pixels[y1, x1] * wx
    return np.asarray(top * (1 - wy) + bottom * wy)


def _crop(pixels: np.ndarray, keep: float, u_y: float, u_x: float) -> np.ndarray:
    height, width = pixels.shape[:2]
    crop_h = max(1, round(height * keep))
    crop_w = max(1, round(width * keep))
    top = u_y * (height - crop_h)
    left = u_x * (width - crop_w)
    # Sample the crop window at the original resolution.
    src_y = top + np.linspace(0, crop_h - 1, height)[:, None] * np.ones((1, width))
    src_x = left + np.linspace(0, crop_w - 1, width)[None, :] * np.ones((height, 1))
    return _bilinear(pixels, src_y, src_x)


# --- a call's files ------------------------------------------------------------


def perturb_call_files(
    files: Mapping[str, bytes], steps: list[Step], *, seed: int
) -> dict[str, bytes]:
    """Return a probe's copy of one call's input files.

    ``task.json`` names the time and id columns; every ``.csv`` table is
    perturbed by the table steps (keyed by the time column when the table
    has it, else by the id column), every ``.npy`` image by the image steps.
    Other files are copied unchanged. Exogenous or future-looking files
    that a probe must not touch are the author's choice: pass only the
    files to perturb and merge the rest back.
    """
    task = json.loads(files["task.json"]) if "task.json" in files else {}
    time_column = task.get("time_column")
    id_column = task.get("id_column")
    has_table_steps = any(step["kind"] in TABLE_STEPS for step in steps)
    has_image_steps = any(step["kind"] in IMAGE_STEPS for step in steps)
    result: dict[str, bytes] = {}
    for name, content in files.items():
        if name.endswith(".csv") and has_table_steps:
            frame = pd.read_csv(io.BytesIO(content))
            table_time = time_column if time_column in frame.columns else None
            table_id = id_column if id_column in frame.columns else None
            perturbed = perturb_table(
                frame, steps, seed=seed, time_column=table_time, id_column=table_id
            )
            if table_time is not None:
                perturbed[table_time] = perturbed[table_time].map(
                    lambda stamp: stamp.isoformat()
                )
            result[name] = perturbed.to_csv(index=False).encode()
        elif name.endswith(".npy") and has_image_steps:
            image = np.load(io.BytesIO(content), allow_pickle=False)
            buffer = io.BytesIO()
            np.save(buffer, perturb_image(image, steps, seed=seed, key=name))
            result[name] = buffer.getvalue()
        else:
            result[name] = content
    return result
