"""Train model.txt and curve.json on the public training period of suite C2a.

Usage, from the repository root, with the evaluation environment (it pins
the LightGBM version the sandbox uses)::

    var/eval-env/bin/python examples/solutions/wind-mos-lightgbm/train_mos_lightgbm.py \
        evaluations/data/la_haute_borne_hourly.csv.gz

Only the training period (before 2015-07-01) is read, and only assessed
hours (no curtailment or availability loss) are fitted. The ERA5 columns
are renamed to the task's weather columns, so training and prediction
share ``features``. Not run in the sandbox.
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
from lhb_mos_lightgbm import CAPACITY_MW, FEATURES, aligned_speed, features, hourly

HERE = Path(__file__).resolve().parent
TRAIN_END = "2015-07-01"
ERA5 = {
    "era5_ws100": "wind_speed_100m",
    "era5_wd100": "wind_direction_100m",
    "era5_rho100": "air_density_100m",
    "era5_t2m": "temperature_2m",
}
PARAMS = {
    "objective": "regression",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
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


def fit_curve(speed: np.ndarray, power: np.ndarray) -> dict[str, list[float]]:
    """Mean MW per 0.5 m/s bin, made monotone, on a 0.25 m/s grid."""
    bins = np.floor(speed / BIN_MS).astype(int)
    centres, means, counts = [], [], []
    for b in np.unique(bins):
        inside = bins == b
        if inside.sum() >= 5:
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


def main(path: str) -> None:
    train, weather = load(path)
    x = features(weather, pd.DatetimeIndex(train.index))
    data = lgb.Dataset(
        x.to_numpy(), train["power_mw"].to_numpy(), feature_name=list(FEATURES)
    )
    booster = lgb.train(PARAMS, data, num_boost_round=ROUNDS)
    booster.save_model(str(HERE / "model.txt"))
    speed = aligned_speed(weather["wind_speed_100m"]).reindex(train.index).to_numpy()
    curve = fit_curve(speed, train["power_mw"].to_numpy())
    (HERE / "curve.json").write_text(json.dumps(curve) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(train)} training hours, {ROUNDS} trees -> {HERE}\n")


if __name__ == "__main__":
    main(sys.argv[1])
