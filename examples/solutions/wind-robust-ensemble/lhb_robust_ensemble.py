"""A noise-robust ensemble of a power curve and LightGBM.

An example solution for suite C2a, built to stay accurate when the weather
forecast is wrong. Both members are fitted in advance on the public
training period by ``train_robust_ensemble.py``, on the ERA5 feed and on
two copies of it with a simulated forecast error (wind speed × (1 + ε), ε
smoothed Gaussian noise of 15 %, other seeds than any probe's), so they
learn the expected output given an uncertain speed rather than a sharp
curve:

* ``curve.json``: plant MW against the four-hour mean speed from t to
  t + 3 h (the plant's meter and the feed's time stamps are about 1.5
  hours apart), fitted on the clean and noisy copies together;
* ``model.txt``: LightGBM on the speed at t … t + 3 h and its mean, the
  direction at t + 1 h, air density, temperature, hour and month.

The forecast is 25 % curve and 75 % LightGBM. At each call one factor for
the feed's wind speed is chosen so that the ensemble reproduces the
measured energy of the non-exempt hours of the last 14 days, shrunk
towards 1: a provider that reads too high or too low is scaled back to
the plant's own meter.

This is the second design (version 2). The first (1.0.0: curve 40 %,
LightGBM on the four-hour mean, minimum and maximum speed without the
direction) failed the hidden gates; on the development period it had
trailed the MOS-recalibrated LightGBM by three points of A_CSG, which
adding the direction and the hour-by-hour speeds closed to one there; the
curve's weight was then chosen again on that period.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
CAPACITY_MW = 8.2
WEATHER = (
    "wind_speed_100m",
    "wind_direction_100m",
    "air_density_100m",
    "temperature_2m",
)
WINDOW = 4  # hours: t .. t + 3
FEATURES = (
    *(f"speed_{k}" for k in range(WINDOW)),
    "speed_mean",
    "direction_sin",
    "direction_cos",
    "air_density",
    "temperature",
    "hour",
    "month",
)
CURVE_WEIGHT = 0.25
# The energy match: candidate factors, and the prior that pulls towards 1.
FACTORS = np.round(np.arange(0.7, 1.301, 0.02), 2)
PRIOR_HOURS = 100.0
MIN_HOURS = 72


@cache
def _model() -> lgb.Booster:
    return lgb.Booster(model_file=str(HERE / "model.txt"))


@cache
def _curve() -> tuple[np.ndarray, np.ndarray]:
    data = json.loads((HERE / "curve.json").read_text(encoding="utf-8"))
    return np.asarray(data["speed"], float), np.asarray(data["power_mw"], float)


def hourly(weather: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """The feed on a whole-hour grid up to ``end``, gaps interpolated."""
    weather = weather[~weather.index.duplicated(keep="last")][list(WEATHER)]
    weather = weather.astype(float).dropna(how="all")
    if weather.empty:
        raise ValueError("the weather forecast is empty")
    last = max(end, weather.index.max())
    grid = pd.date_range(weather.index.min().ceil("h"), last, freq="h")
    known = weather.reindex(weather.index.union(grid)).interpolate("time")
    return known.ffill().bfill().reindex(grid)


def features(weather: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    """The members' inputs at ``index`` from an hourly weather frame."""
    speed = weather["wind_speed_100m"]
    ahead = speed[::-1].rolling(WINDOW, min_periods=1)
    direction = np.radians(weather["wind_direction_100m"].shift(-1).ffill())
    frame = pd.DataFrame(
        {
            **{f"speed_{k}": speed.shift(-k).ffill() for k in range(WINDOW)},
            "speed_mean": ahead.mean()[::-1],
            "direction_sin": np.sin(direction),
            "direction_cos": np.cos(direction),
            "air_density": weather["air_density_100m"],
            "temperature": weather["temperature_2m"],
        },
        index=weather.index,
    ).reindex(index)
    frame["hour"] = index.hour
    frame["month"] = index.month
    return frame[list(FEATURES)]


def ensemble(x: pd.DataFrame) -> np.ndarray:
    """The weighted mean of the two members, clipped to 0..capacity."""
    grid, power = _curve()
    curve = np.interp(x["speed_mean"].to_numpy(), grid, power)
    model = _model().predict(x.to_numpy(), num_threads=1)
    blend = CURVE_WEIGHT * curve + (1.0 - CURVE_WEIGHT) * model
    return np.asarray(np.clip(blend, 0.0, CAPACITY_MW))


def energy_factor(history: pd.DataFrame, weather: pd.DataFrame) -> float:
    """The speed factor whose forecast matches the measured energy."""
    target = history.attrs.get("target", "power_mw")
    measured = history[target].astype(float)
    if "exempt" in history.columns:
        measured = measured[history["exempt"].fillna(0).astype(int) == 0]
    measured = measured[~measured.index.duplicated(keep="last")].dropna()
    measured = measured[measured.index.isin(weather.index)]
    if len(measured) < MIN_HOURS:
        return 1.0
    index = pd.DatetimeIndex(measured.index)
    base = features(weather, index)
    stacked = []
    for factor in FACTORS:
        x = base.copy()
        for column in x.columns:
            if column.startswith("speed_"):
                x[column] = x[column] * factor
        stacked.append(x)
    forecast = ensemble(pd.concat(stacked)).reshape(len(FACTORS), len(index))
    gap = forecast.mean(axis=1) - measured.mean()
    # Interpolate the factor where the forecast energy crosses the measured.
    order = np.argsort(gap)
    factor = float(np.interp(0.0, gap[order], FACTORS[order]))
    weight = len(index) / (len(index) + PRIOR_HOURS)
    return 1.0 + weight * (factor - 1.0)


def predict(
    history: pd.DataFrame,
    exogenous: pd.DataFrame | None,
    horizon: pd.DatetimeIndex,
) -> list[float]:
    """Return one plant output (MW) per timestamp of ``horizon``."""
    if exogenous is None or not set(WEATHER) <= set(exogenous.columns):
        raise ValueError(f"the exogenous input needs the columns {', '.join(WEATHER)}")
    weather = hourly(exogenous, horizon.max())
    weather["wind_speed_100m"] *= energy_factor(history, weather)
    return ensemble(features(weather, horizon)).tolist()
