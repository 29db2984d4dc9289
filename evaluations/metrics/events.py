"""Event metrics: recall, detection lead time, false alarms and their hours.

Points carry a time axis (sample index, numbers or dates) and optionally a
unit; events are closed intervals on that axis. The only Python loops run
over events or units, never over points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from evaluations.metrics._common import (
    BoolArray,
    Event,
    FloatArray,
    IntArray,
    _bool_array,
    _check_finite,
    _check_length,
    _float_array,
    _label_array,
    _positive_int,
    _positive_number,
)

HOURS_PER_MONTH = 30 * 24  # a month of 30 days, as docs/metrics.md says


@dataclass(frozen=True)
class _Timeline:
    """Validated per-point timeline and events, on one numeric time axis.

    Datetimes become hours since the first point; numeric times stay as
    given and ``hours_per_step`` converts their differences to hours.
    """

    t: FloatArray
    flags: BoolArray
    bounds: IntArray  # unit u owns points bounds[u]:bounds[u + 1]
    event_unit: IntArray
    event_start: FloatArray
    event_end: FloatArray
    hours_per_step: float | None

    def hours(self, duration: FloatArray) -> FloatArray:
        if self.hours_per_step is None:
            raise ValueError(
                "times are numbers (or absent); pass time_unit_hours, the "
                "length of one time unit in hours, e.g. 1/6 for 10-minute data"
            )
        return duration * self.hours_per_step

    def event_slices(self) -> tuple[IntArray, IntArray]:
        """Return, per event, the first point inside it and one past the last."""
        first = np.zeros(self.event_unit.size, dtype=np.intp)
        past = np.zeros(self.event_unit.size, dtype=np.intp)
        for unit in np.unique(self.event_unit).tolist():
            which = self.event_unit == unit
            lo, hi = int(self.bounds[unit]), int(self.bounds[unit + 1])
            times = self.t[lo:hi]
            first[which] = lo + np.searchsorted(times, self.event_start[which], "left")
            past[which] = lo + np.searchsorted(times, self.event_end[which], "right")
        return first, past

    def nth_flag(self, min_hits: int) -> tuple[BoolArray, IntArray]:
        """Return per event whether it is detected, and the point detecting it.

        An event is detected by its min_hits-th flagged point inside it; the
        position is 0 for events that are not detected.
        """
        first, past = self.event_slices()
        flagged = np.flatnonzero(self.flags)
        nth = np.searchsorted(flagged, first, "left") + (min_hits - 1)
        found = nth < flagged.size
        position = np.zeros(first.size, dtype=np.intp)
        position[found] = flagged[nth[found]]
        found &= position < past
        return found, position

    def runs(self, mask: BoolArray) -> tuple[IntArray, IntArray]:
        """Return first and last positions of each run of True within a unit."""
        first_of_unit = np.zeros(mask.size, dtype=np.bool_)
        first_of_unit[self.bounds[:-1]] = True
        last_of_unit = np.zeros(mask.size, dtype=np.bool_)
        last_of_unit[self.bounds[1:] - 1] = True
        starts = mask.copy()
        starts[1:] &= ~mask[:-1] | first_of_unit[1:]
        ends = mask.copy()
        ends[:-1] &= ~mask[1:] | last_of_unit[:-1]
        return np.flatnonzero(starts), np.flatnonzero(ends)


def _time_axis(
    times: npt.ArrayLike | None, size: int, time_unit_hours: float | None
) -> tuple[FloatArray, BoolArray, np.datetime64 | None, float | None]:
    """Return the axis, where it increases, its date origin and hours per unit."""
    if times is None:
        raw: npt.NDArray[np.generic] = np.arange(size)
    else:
        raw = np.asarray(times)
        if raw.ndim != 1:
            raise ValueError(f"times must be one-dimensional, got shape {raw.shape}")
        _check_length(raw, "times", size)
    if raw.dtype.kind in "OUS":
        # Datetime objects, or ISO 8601 strings from a JSON label file.
        try:
            raw = raw.astype("datetime64[ns]")
        except (TypeError, ValueError) as exc:
            raise ValueError("times must be numbers or dates") from exc
    if raw.dtype.kind == "M":
        if time_unit_hours is not None:
            raise ValueError("time_unit_hours applies to numeric times only")
        stamps = raw.astype("datetime64[ns]")
        if bool(np.any(np.isnat(stamps))):
            raise ValueError("times contains NaT")
        origin = stamps.min()
        t = (stamps - origin).astype(np.int64) / 3.6e12
        return t, stamps[1:] > stamps[:-1], origin, 1.0
    if raw.dtype.kind not in "iuf":
        raise ValueError("times must be numbers or dates")
    t = raw.astype(np.float64)
    _check_finite(t, "times")
    hours_per_step = (
        None
        if time_unit_hours is None
        else _positive_number(time_unit_hours, "time_unit_hours")
    )
    return t, t[1:] > t[:-1], None, hours_per_step


def _to_axis(
    values: npt.NDArray[np.generic], origin: np.datetime64 | None, name: str
) -> FloatArray:
    if origin is None:
        if values.dtype.kind not in "biuf":
            raise ValueError(f"{name} must be numbers, like times")
        return _float_array(values, name)
    if values.dtype.kind not in "OUSM":
        raise ValueError(f"{name} must be dates, like times")
    try:
        stamps = np.asarray(values, dtype="datetime64[ns]")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be dates, like times") from exc
    if bool(np.any(np.isnat(stamps))):
        raise ValueError(f"{name} contains NaT")
    return (stamps - origin).astype(np.int64) / 3.6e12


def _timeline(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    times: npt.ArrayLike | None,
    events: Sequence[Event] | None,
    units: npt.ArrayLike | None,
    time_unit_hours: float | None,
) -> _Timeline:
    """Validate the inputs of an event metric.

    1. y_true marks the points inside a true event, y_pred the flags.
    2. Times default to the sample index; points are sorted by unit, then by
       strictly increasing time.
    3. Events are the explicit list when given; otherwise every run of
       y_true within a unit is one event, from its first to its last point.
    """
    truth = np.asarray(y_true)
    if truth.ndim != 1:
        raise ValueError(f"y_true must be one-dimensional, got shape {truth.shape}")
    if truth.size == 0:
        raise ValueError("y_true and y_pred are empty")
    truth_mask = _bool_array(truth, "y_true", truth.size)
    flags = _bool_array(y_pred, "y_pred", truth.size)
    t, increasing, origin, hours_per_step = _time_axis(
        times, truth.size, time_unit_hours
    )
    unit_change, bounds, unit_values = _unit_bounds(units, truth.size)
    disorder = np.flatnonzero(~increasing & ~unit_change)
    if disorder.size:
        raise ValueError(
            "times must increase strictly within each unit; position "
            f"{int(disorder[0]) + 1} does not"
        )
    timeline = _Timeline(
        t,
        flags,
        bounds,
        np.zeros(0, dtype=np.intp),
        np.zeros(0),
        np.zeros(0),
        hours_per_step,
    )
    if events is None:
        first, last = timeline.runs(truth_mask)
        event_unit = (np.searchsorted(bounds, first, "right") - 1).astype(np.intp)
        return replace(
            timeline, event_unit=event_unit, event_start=t[first], event_end=t[last]
        )
    event_unit, starts, ends = _parse_events(events, units is not None, unit_values)
    start = _to_axis(starts, origin, "event start")
    end = _to_axis(ends, origin, "event end")
    _check_finite(start, "event start")
    _check_finite(end, "event end")
    backwards = np.flatnonzero(end < start)
    if backwards.size:
        raise ValueError(f"event {int(backwards[0])} ends before it starts")
    return replace(timeline, event_unit=event_unit, event_start=start, event_end=end)


def _unit_bounds(
    units: npt.ArrayLike | None, size: int
) -> tuple[BoolArray, IntArray, list[object]]:
    """Return where the unit changes, the unit slice bounds and unit ids."""
    if units is None:
        unit_change = np.zeros(size - 1, dtype=np.bool_)
        return unit_change, np.array([0, size], dtype=np.intp), [None]
    unit_array = _label_array(units, "units")
    _check_length(unit_array, "units", size)
    if not bool(np.all(np.greater_equal(unit_array[1:], unit_array[:-1]))):
        raise ValueError("points must be sorted by unit, then by time")
    unit_change = unit_array[1:] != unit_array[:-1]
    starts = np.concatenate([[0], np.flatnonzero(unit_change) + 1]).astype(np.intp)
    bounds = np.append(starts, size).astype(np.intp)
    return unit_change, bounds, unit_array[starts].tolist()


def _parse_events(
    events: Sequence[Event], with_units: bool, unit_values: list[object]
) -> tuple[IntArray, npt.NDArray[np.generic], npt.NDArray[np.generic]]:
    width = 3 if with_units else 2
    shape = "(unit, start, end)" if with_units else "(start, end)"
    index = {value: position for position, value in enumerate(unit_values)}
    event_unit = np.zeros(len(events), dtype=np.intp)
    starts: list[object] = []
    ends: list[object] = []
    # One iteration per event, never per point.
    for number, event in enumerate(events):
        if len(event) != width:
            raise ValueError(f"event {number} must be {shape}, got {event!r}")
        if with_units:
            if event[0] not in index:
                raise ValueError(
                    f"event {number} is on unit {event[0]!r}, which has no points"
                )
            event_unit[number] = index[event[0]]
        starts.append(event[-2])
        ends.append(event[-1])
    return event_unit, np.asarray(starts), np.asarray(ends)


def _require_events(timeline: _Timeline, metric: str) -> None:
    if timeline.event_unit.size == 0:
        raise ValueError(f"there are no events, so {metric} is undefined")


def event_recall(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    times: npt.ArrayLike | None = None,
    events: Sequence[Event] | None = None,
    min_hits: int = 1,
    units: npt.ArrayLike | None = None,
) -> float:
    """Return the percentage of events with at least min_hits flags inside.

    An event is the closed interval [start, end] on its unit's timeline;
    y_pred holds the flags.
    """
    hits = _positive_int(min_hits, "min_hits")
    timeline = _timeline(y_true, y_pred, times, events, units, None)
    _require_events(timeline, "event recall")
    found, _ = timeline.nth_flag(hits)
    return 100.0 * float(np.count_nonzero(found)) / found.size


def detection_lead_times(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    times: npt.ArrayLike | None = None,
    events: Sequence[Event] | None = None,
    min_hits: int = 1,
    units: npt.ArrayLike | None = None,
    time_unit_hours: float | None = None,
) -> FloatArray:
    """Return per event the hours from its start until it is detected.

    An event is detected at its min_hits-th flagged point inside [start,
    end] (the first flag by default); missed events get NaN. Flags before
    the start do not count, so a lead time is never negative.
    """
    hits = _positive_int(min_hits, "min_hits")
    timeline = _timeline(y_true, y_pred, times, events, units, time_unit_hours)
    _require_events(timeline, "detection lead time")
    found, position = timeline.nth_flag(hits)
    delay = timeline.hours(timeline.t[position] - timeline.event_start)
    return np.where(found, delay, np.nan)


def detection_lead_time(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    times: npt.ArrayLike | None = None,
    events: Sequence[Event] | None = None,
    min_hits: int = 1,
    units: npt.ArrayLike | None = None,
    time_unit_hours: float | None = None,
) -> float:
    """Return the median detection lead time over detected events, in hours.

    NaN when no event was detected: event recall already scores the
    misses, and the scorer fails any gate on NaN.
    """
    delays = detection_lead_times(
        y_true,
        y_pred,
        times=times,
        events=events,
        min_hits=min_hits,
        units=units,
        time_unit_hours=time_unit_hours,
    )
    detected = delays[~np.isnan(delays)]
    return float(np.median(detected)) if detected.size else math.nan


def _unit_months(timeline: _Timeline, observed_months: float | None) -> float:
    """Return the unit-months observed: the sum of the units' spans, or given."""
    if observed_months is not None:
        return _positive_number(observed_months, "observed_months")
    first = timeline.t[timeline.bounds[:-1]]
    last = timeline.t[timeline.bounds[1:] - 1]
    months = float(np.sum(timeline.hours(last - first))) / HOURS_PER_MONTH
    if months <= 0:
        raise ValueError(
            "the observed duration is zero; pass observed_months explicitly"
        )
    return months


def false_alarms_per_unit_month(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    times: npt.ArrayLike | None = None,
    events: Sequence[Event] | None = None,
    units: npt.ArrayLike | None = None,
    time_unit_hours: float | None = None,
    observed_months: float | None = None,
) -> float:
    """Return flagged runs that touch no event, per unit-month observed.

    1. A run is a maximal block of consecutive flagged points of one unit.
    2. A run is a false alarm if its span [first, last] overlaps no event
       of its unit.
    3. Unit-months: the sum over units of (last time - first time), in
       months of 30 days, unless ``observed_months`` gives the total.
    """
    timeline = _timeline(y_true, y_pred, times, events, units, time_unit_hours)
    months = _unit_months(timeline, observed_months)

    run_first, run_last = timeline.runs(timeline.flags)
    overlapping = 0
    for unit in np.unique(timeline.event_unit).tolist():
        lo, hi = np.searchsorted(run_first, timeline.bounds[unit : unit + 2])
        if lo == hi:
            continue
        which = timeline.event_unit == unit
        order = np.argsort(timeline.event_start[which], kind="stable")
        event_start = timeline.event_start[which][order]
        # Events may overlap; the latest end among events starting no later
        # than a run's end decides whether the run touches one.
        reach = np.maximum.accumulate(timeline.event_end[which][order])
        candidate = (
            np.searchsorted(event_start, timeline.t[run_last[lo:hi]], "right") - 1
        )
        touches = (candidate >= 0) & (
            reach[np.maximum(candidate, 0)] >= timeline.t[run_first[lo:hi]]
        )
        overlapping += int(np.count_nonzero(touches))
    return (run_first.size - overlapping) / months


def false_alarm_hours_per_unit_month(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    times: npt.ArrayLike | None = None,
    events: Sequence[Event] | None = None,
    units: npt.ArrayLike | None = None,
    time_unit_hours: float | None = None,
    observed_months: float | None = None,
) -> float:
    """Return the hours flagged outside every event, per unit-month observed.

    1. A flagged point is a false alarm when its time lies in no event of
       its unit (bounds inclusive).
    2. Each such point stands for one sampling interval: the median time
       between consecutive points of a unit, over all units.
    3. Unit-months as in ``false_alarms_per_unit_month``.
    """
    timeline = _timeline(y_true, y_pred, times, events, units, time_unit_hours)
    months = _unit_months(timeline, observed_months)
    same_unit = np.ones(max(timeline.t.size - 1, 0), dtype=np.bool_)
    same_unit[timeline.bounds[1:-1] - 1] = False
    spacing = np.diff(timeline.t)[same_unit]
    if spacing.size == 0:
        raise ValueError("no unit has two points, so the sampling interval is unknown")
    interval = float(timeline.hours(np.array([np.median(spacing)]))[0])

    inside = np.zeros(timeline.t.size, dtype=np.bool_)
    for unit in np.unique(timeline.event_unit).tolist():
        lo, hi = int(timeline.bounds[unit]), int(timeline.bounds[unit + 1])
        which = timeline.event_unit == unit
        order = np.argsort(timeline.event_start[which], kind="stable")
        event_start = timeline.event_start[which][order]
        # As for runs: the latest end among the events starting no later
        # than a point decides whether the point lies in one.
        reach = np.maximum.accumulate(timeline.event_end[which][order])
        candidate = np.searchsorted(event_start, timeline.t[lo:hi], "right") - 1
        inside[lo:hi] = (candidate >= 0) & (
            reach[np.maximum(candidate, 0)] >= timeline.t[lo:hi]
        )
    false_points = int(np.count_nonzero(timeline.flags & ~inside))
    return false_points * interval / months
