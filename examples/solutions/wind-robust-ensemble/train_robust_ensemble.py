"""Train curve.json and model.txt on the public training period of suite C2a.

Usage, from the repository root, with the evaluation environment (it pins
the LightGBM version the sandbox uses)::

    var/eval-env/bin/python examples/solutions/wind-robust-ensemble/train_robust_ensemble.py \
        evaluations/data/la_haute_borne_hourly.csv.gz

Only the training period (before 2015-07-01) is read, and only assessed
hours (no curtailment or availability loss) are fitted. The ERA5 feed is
used as it is and in ``COPIES`` noisy copies: wind speed × (1 + ε), ε a
six-hour rolling mean of Gaussian noise rescaled to a standard deviation
of 15 % (a typical day-ahead speed error), drawn with this script's own
seeds. Not run in the sandbox.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lhb_robust_ensemble import CAPACITY_MW, FEATURES, features, hourly

HERE = Path(__file__).resolve().parent
TRAIN_END = "2015-07-01"
ERA5 = {
    "era5_ws100": "wind_speed_100m",
    "era5_wd100": "wind_direction_100m",
    "era5_rho100": "air_density_100m",
    "era5_t2m": "temperature_2m",
}
SEEDS = (101, 102)  # one noisy copy per seed
ERROR_SD = 0.15
SMOOTH_HOURS = 6
PARAMS = {
    "objective": "regression",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "seed": 0,
    "verbose": -1,
}
ROUNDS = 400
BIN_MS = 0.5


def load(path: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The training period: the plant rows and the ERA5 feed on an hour grid."""
    frame = pd.read_csv(path, parse_dates=["time_utc"]).set_index("time_utc")
    frame = frame[frame.index < TRAIN_END]
    weather = hourly(frame[list(ERA5)].rename(columns=ERA5), frame.index.max())
    assessed = (frame["curtailed"] == 0) & (frame["unavailable"] == 0)
    return frame[assessed], weather


def noisy(weather: pd.DataFrame, seed: int) -> pd.DataFrame:
    """A copy of the feed with a smoothed, multiplicative speed error."""
    rng = np.random.default_rng(seed)
    white = pd.Series(rng.normal(0.0, 1.0, len(weather)), index=weather.index)
    smooth = white.rolling(SMOOTH_HOURS, center=True, min_periods=1).mean()
    copy = weather.copy()
    factor = 1.0 + smooth / smooth.std() * ERROR_SD
    copy["wind_speed_100m"] = (weather["wind_speed_100m"] * factor).clip(lower=0.0)
    return copy


def training_set(
    train: pd.DataFrame, weather: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """The clean feed and its noisy copies, stacked, with the measured MW."""
    index = pd.DatetimeIndex(train.index)
    feeds = [weather, *(noisy(weather, seed) for seed in SEEDS)]
    x = pd.concat([features(feed, index) for feed in feeds])
    y = np.tile(train["power_mw"].to_numpy(), len(feeds))
    return x, y


def fit_curve(speed: np.ndarray, power: np.ndarray) -> dict[str, list[float]]:
    """Mean MW per 0.5 m/s bin, made monotone, on a 0.25 m/s grid."""
    bins = np.floor(speed / BIN_MS).astype(int)
    centres, means, counts = [], [], []
    for b in np.unique(bins):
        inside = bins == b
        if inside.sum() >= 10:
            centres.append(float(speed[inside].mean()))
            means.append(float(power[inside].mean()))
            counts.append(int(inside.sum()))
    iso = IsotonicRegression(y_min=0.0, y_max=CAPACITY_MW)
    iso.fit(centres, means, sample_weight=counts)
    grid = np.arange(0.0, 30.0001, 0.25)
    curve = iso.predict(np.clip(grid, min(centres), max(centres)))
    return {
        "speed": [round(float(v), 2) for v in grid],
        "power_mw": [round(float(p), 4) for p in curve],
    }


def fit(train: pd.DataFrame, weather: pd.DataFrame) -> tuple[lgb.Booster, dict]:
    x, y = training_set(train, weather)
    data = lgb.Dataset(x.to_numpy(), y, feature_name=list(FEATURES))
    booster = lgb.train(PARAMS, data, num_boost_round=ROUNDS)
    return booster, fit_curve(x["speed_mean"].to_numpy(), y)


def main(path: str) -> None:
    train, weather = load(path)
    booster, curve = fit(train, weather)
    booster.save_model(str(HERE / "model.txt"))
    (HERE / "curve.json").write_text(json.dumps(curve) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{len(train)} training hours × {1 + len(SEEDS)} feeds -> {HERE}\n"
    )


if __name__ == "__main__":
    main(sys.argv[1])
