"""Turbine anomaly flags from a fleet comparison and a frozen anemometer.

An example solution for suite C2b (turbine SCADA event detection). A
fault hits one turbine at a time, while weather, air density and the
season hit the whole farm, so each turbine is judged against its
neighbours at the same time rather than against its own past:

1. Power ratio: each turbine's power over its 2014 power curve at its own
   measured wind speed (``fleet_model.json``, fitted on 2014 by
   ``train_fleet_detector.py``). Only rows where the curve expects real
   output count; a turbine at a stop or near it (ratio below a floor) is
   left out, as stops and curtailment are not the faults looked for.
2. Fleet reference: the turbine's curve at its wind speed times the median
   ratio of its neighbours at the same time (at least one needed), what it
   would give if it did as well as they do. A hot month or anything else
   the whole farm shares cancels out.
3. Shortfall: 1 − Σ power / Σ reference over the counted rows of the
   trailing 12 hours (24 rows at least). A turbine is in alarm where the
   shortfall exceeds the threshold both against the fleet reference and
   against its 2014 output at its neighbours' median output (a second
   reference that does not use its own anemometer); the alarm is carried
   through hours without counted rows for a while. Derates, pitch offsets
   and yaw misalignment show as a lasting shortfall.
4. Held back in strong wind (a derate): output below 85 % of a high fleet
   reference for two of the last three hours.
5. Frozen anemometer: a wind-speed reading that repeats the last one logged
   (missing values skipped) for an hour or more while the neighbours'
   median reading moves.
6. Alarms closer than a gap are merged; alarms shorter than a minimum
   are dropped.

Steps 1 to 5 look back only; step 6 tidies the year's alarms as a whole
(the call holds the whole year). The model is fitted by
train_fleet_detector.py on 2014 only. numpy and pandas only.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

MODEL: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fleet_model.json").read_text(encoding="utf-8")
)
TIME, UNIT = "timestamp", "turbine"
POWER, SPEED = "power_kw", "wind_speed"
STEP = pd.Timedelta("10min")


def detect(series: pd.DataFrame) -> list[float]:
    """Return a flag (1 anomalous, 0 normal) per row of ``series``."""
    missing = {TIME, UNIT, POWER, SPEED} - set(series.columns)
    if missing:
        raise ValueError(f"the series lacks the columns {sorted(missing)}")
    rules = MODEL["rules"]
    times = pd.to_datetime(series[TIME], format="ISO8601")
    units = series[UNIT].astype(str)
    turbines = list(dict.fromkeys(units))
    for turbine in turbines:
        if turbine not in MODEL["turbines"]:
            raise ValueError(f"no power curve for turbine {turbine!r}")
    grid = pd.DatetimeIndex(np.unique(times.to_numpy()))
    position = grid.get_indexer(times)
    column = pd.Index(turbines).get_indexer(units)
    power = np.full((grid.size, len(turbines)), np.nan)
    speed = np.full((grid.size, len(turbines)), np.nan)
    power[position, column] = pd.to_numeric(series[POWER], errors="coerce")
    speed[position, column] = pd.to_numeric(series[SPEED], errors="coerce")

    expected = np.full(power.shape, np.nan)
    for k, turbine in enumerate(turbines):
        curve = MODEL["turbines"][turbine]
        expected[:, k] = np.interp(speed[:, k], curve["speed"], curve["median_kw"])
    ratio = power / np.where(expected >= rules["min_expected_kw"], expected, np.nan)
    ratio[(ratio < rules["stop_ratio"]) | (ratio > rules["max_ratio"])] = np.nan

    flags = np.zeros((grid.size, len(turbines)), dtype=bool)
    for k, turbine in enumerate(turbines):
        # What the turbine would give if it did as well as its neighbours.
        fleet = expected[:, k] * _median(np.delete(ratio, k, axis=1))
        counted = np.isfinite(ratio[:, k]) & np.isfinite(fleet)
        alarm = _deficit_alarm(power[:, k], fleet, counted, grid, rules, "own")
        # A second opinion without the turbine's own anemometer: its 2014
        # output at its neighbours' median output. Both must agree.
        link = MODEL["turbines"][turbine]["neighbours"]
        guess = np.interp(
            _median(np.delete(power, k, axis=1)), link["fleet_kw"], link["median_kw"]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            share = power[:, k] / np.where(
                guess >= rules["min_expected_kw"], guess, np.nan
            )
        agreed = (share >= rules["stop_ratio"]) & (share <= rules["max_ratio"])
        alarm &= _deficit_alarm(power[:, k], guess, agreed, grid, rules, "fleet")
        alarm |= _capped(power[:, k], fleet, counted, grid, rules)
        stuck = _frozen(speed[:, k], np.delete(speed, k, axis=1), rules)
        flags[:, k] = _tidy(alarm | stuck, rules)
    return flags[position, column].astype(float).tolist()


def _deficit_alarm(
    power: np.ndarray,
    reference: np.ndarray,
    counted: np.ndarray,
    grid: pd.DatetimeIndex,
    rules: dict,
    name: str,
) -> np.ndarray:
    """Where the trailing output falls short of the reference (carried a while).

    The shortfall is 1 − Σ power / Σ reference over the counted rows of the
    trailing window, so the rows with most output weigh most.
    """
    window = f"{rules['window_hours']}h"
    frame = (
        pd.DataFrame(
            {
                "power": np.where(counted, power, 0.0),
                "reference": np.where(counted, reference, 0.0),
                "rows": counted.astype(float),
            },
            index=grid,
        )
        .rolling(window)
        .sum()
    )
    enough = frame["rows"].to_numpy() >= rules["min_rows"]
    with np.errstate(divide="ignore", invalid="ignore"):
        shortfall = 1.0 - frame["power"].to_numpy() / frame["reference"].to_numpy()
    state = pd.Series(
        np.where(enough, (shortfall > rules[f"threshold_{name}"]).astype(float), np.nan)
    )
    carried = state.ffill(limit=int(rules["carry_hours"] * 6)).fillna(0.0)
    return carried.to_numpy() > 0


def _capped(
    power: np.ndarray,
    reference: np.ndarray,
    counted: np.ndarray,
    grid: pd.DatetimeIndex,
    rules: dict,
) -> np.ndarray:
    """Where, in strong wind, the output stays well below the fleet's.

    A row counts as held back when the reference is at least
    ``cap_reference_kw`` and the turbine gives less than ``cap_share`` of
    it; the alarm needs ``cap_rows`` such rows in the trailing
    ``cap_hours``.
    """
    held = counted & (power < rules["cap_share"] * reference)
    rows = (
        pd.Series(held.astype(float), index=grid)
        .rolling(f"{rules['cap_hours']}h")
        .sum()
        .to_numpy()
    )
    return rows >= rules["cap_rows"]


def _frozen(own: np.ndarray, others: np.ndarray, rules: dict) -> np.ndarray:
    """Readings equal to the last logged one for ``frozen_rows`` readings on.

    Missing readings are skipped (a gap neither breaks nor extends a run)
    and never flagged; a run counts only while a neighbour's reading moves.
    """
    present = np.flatnonzero(~np.isnan(own))
    logged = own[present]
    same = np.zeros(logged.size, dtype=bool)
    same[1:] = logged[1:] == logged[:-1]
    starts = np.flatnonzero(~same)
    index = np.arange(logged.size)
    run = index - starts[np.searchsorted(starts, index, "right") - 1]
    fleet = (
        pd.Series(_median(others)).rolling(rules["frozen_rows"], min_periods=2).std()
    )
    moving = np.nan_to_num(fleet.to_numpy()) >= rules["frozen_fleet_std"]
    frozen = np.zeros(own.size, dtype=bool)
    frozen[present] = run >= rules["frozen_rows"]
    return frozen & moving


def _median(values: np.ndarray) -> np.ndarray:
    """Row-wise median of the values present (NaN where none is)."""
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with no value
        return np.nanmedian(values, axis=1)


def _tidy(flags: np.ndarray, rules: dict) -> np.ndarray:
    """Merge alarms closer than ``merge_hours``; drop those under ``min_alarm_hours``."""
    out = flags.copy()
    gap = int(rules["merge_hours"] * 6)
    edges = np.flatnonzero(np.diff(np.r_[0, out.astype(int), 0]))
    starts, ends = edges[::2], edges[1::2]
    for end, start in zip(ends[:-1], starts[1:], strict=True):
        if start - end <= gap:
            out[end:start] = True
    edges = np.flatnonzero(np.diff(np.r_[0, out.astype(int), 0]))
    shortest = int(rules["min_alarm_hours"] * 6)
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start < shortest:
            out[start:end] = False
    return out
