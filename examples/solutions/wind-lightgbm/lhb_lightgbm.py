"""LightGBM on forecast weather and calendar features.

An example solution for the wind-farm suites. The model is trained in
advance on the public training period (``train_wind_lightgbm.py``) and
shipped as LightGBM's text format, ``model.txt``; each call only builds
the features of the horizon from the weather forecast and predicts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

CAPACITY_MW = 8.2
WEATHER = (
    "wind_speed_100m",
    "wind_direction_100m",
    "air_density_100m",
    "temperature_2m",
)
FEATURES = (
    "speed",
    "power_density",
    "direction_sin",
    "direction_cos",
    "air_density",
    "temperature",
    "hour",
    "month",
)


@cache
def _model() -> lgb.Booster:
    # Loaded on first use, so the training script can import ``features``
    # before model.txt exists.
    return lgb.Booster(model_file=str(Path(__file__).with_name("model.txt")))


def features(weather: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    """The model's features at ``index`` from a weather frame indexed by time."""
    weather = weather[~weather.index.duplicated(keep="last")][list(WEATHER)]
    weather = weather.astype(float).dropna(how="all")
    if weather.empty:
        raise ValueError("the weather forecast is empty")
    known = weather.reindex(weather.index.union(index)).interpolate("time")
    at = known.ffill().bfill().reindex(index)
    speed = at["wind_speed_100m"].to_numpy()
    density = at["air_density_100m"].to_numpy()
    direction = np.radians(at["wind_direction_100m"].to_numpy())
    return pd.DataFrame(
        {
            "speed": speed,
            "power_density": density * speed**3,
            "direction_sin": np.sin(direction),
            "direction_cos": np.cos(direction),
            "air_density": density,
            "temperature": at["temperature_2m"].to_numpy(),
            "hour": index.hour.to_numpy(),
            "month": index.month.to_numpy(),
        },
        index=index,
    )[list(FEATURES)]


def predict(
    history: pd.DataFrame,
    exogenous: pd.DataFrame | None,
    horizon: pd.DatetimeIndex,
) -> list[float]:
    """Return one plant output (MW) per timestamp of ``horizon``."""
    if exogenous is None or not set(WEATHER) <= set(exogenous.columns):
        raise ValueError(f"the exogenous input needs the columns {', '.join(WEATHER)}")
    values = _model().predict(features(exogenous, horizon).to_numpy(), num_threads=1)
    return np.clip(values, 0.0, CAPACITY_MW).tolist()
