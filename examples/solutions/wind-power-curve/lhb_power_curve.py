"""Binned power curve: plant output as a function of forecast wind speed.

An example solution for the wind-farm suites. It learns nothing at call
time: ``power_curve.json`` holds the mean plant output per wind-speed bin,
fitted on the public training period by ``train_power_curve.py``. Only the
forecast wind speed at 100 m of the horizon is used.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

CURVE = json.loads((Path(__file__).parent / "power_curve.json").read_text())
SPEED_COLUMN = "wind_speed_100m"


def predict(
    history: pd.DataFrame,
    exogenous: pd.DataFrame | None,
    horizon: pd.DatetimeIndex,
) -> list[float]:
    """Return one plant output (MW) per timestamp of ``horizon``."""
    if exogenous is None or SPEED_COLUMN not in exogenous.columns:
        raise ValueError(f"the exogenous input needs a {SPEED_COLUMN} column")
    speed = _speed_at(exogenous[SPEED_COLUMN], horizon)
    power = np.interp(speed, CURVE["speed"], CURVE["power_mw"])
    return np.clip(power, 0.0, CURVE["capacity_mw"]).tolist()


def _speed_at(speed: pd.Series, horizon: pd.DatetimeIndex) -> np.ndarray:
    """The forecast speed at each horizon time, gaps filled from neighbours."""
    speed = speed[~speed.index.duplicated(keep="last")].astype(float)
    known = speed.dropna()
    if known.empty:
        raise ValueError("the wind speed forecast is empty")
    combined = known.reindex(known.index.union(horizon)).interpolate("time")
    return combined.ffill().bfill().reindex(horizon).to_numpy()
