"""Train model.txt on the public training period of suite C2a.

Usage, from the repository root, with the evaluation environment (it pins
the LightGBM version the sandbox uses)::

    var/eval-env/bin/python examples/solutions/wind-lightgbm/train_wind_lightgbm.py \
        evaluations/data/la_haute_borne_hourly.csv.gz

Only the training period (before 2015-07-01) is used, and only hours that
are assessed (no curtailment or availability loss); the development and
test periods are never read. The ERA5 columns are renamed to the task's
weather columns, so training and prediction share ``features``. Not run in
the sandbox.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lightgbm as lgb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lhb_lightgbm import FEATURES, features

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


def main(path: str) -> None:
    frame = pd.read_csv(path, parse_dates=["time_utc"]).set_index("time_utc")
    train = frame[
        (frame.index < TRAIN_END)
        & (frame["curtailed"] == 0)
        & (frame["unavailable"] == 0)
    ]
    weather = frame[list(ERA5)].rename(columns=ERA5)
    x = features(weather, train.index)
    data = lgb.Dataset(
        x.to_numpy(), train["power_mw"].to_numpy(), feature_name=list(FEATURES)
    )
    booster = lgb.train(PARAMS, data, num_boost_round=ROUNDS)
    out = Path(__file__).with_name("model.txt")
    booster.save_model(str(out))
    sys.stdout.write(f"{len(train)} training hours, {ROUNDS} trees -> {out}\n")


if __name__ == "__main__":
    main(sys.argv[1])
