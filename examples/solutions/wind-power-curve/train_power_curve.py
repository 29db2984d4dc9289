"""Fit power_curve.json on the public training period of suite C2a.

Usage, from the repository root, with the evaluation environment::

    var/eval-env/bin/python examples/solutions/wind-power-curve/train_power_curve.py \
        evaluations/data/la_haute_borne_hourly.csv.gz

Only the training period (before 2015-07-01) is used, and only hours that
are assessed (no curtailment or availability loss); the development and
test periods are never read. Not run in the sandbox.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TRAIN_END = "2015-07-01"
CAPACITY_MW = 8.2
BIN_WIDTH = 0.5
MIN_HOURS_PER_BIN = 5


def fit(speed: np.ndarray, power: np.ndarray) -> dict[str, list[float] | float]:
    """Mean speed and mean power of every bin with enough hours."""
    bins = np.floor(speed / BIN_WIDTH).astype(int)
    speeds, powers = [], []
    for b in np.unique(bins):
        inside = bins == b
        if inside.sum() >= MIN_HOURS_PER_BIN:
            speeds.append(round(float(speed[inside].mean()), 4))
            powers.append(round(float(power[inside].mean()), 4))
    return {"speed": speeds, "power_mw": powers, "capacity_mw": CAPACITY_MW}


def main(path: str) -> None:
    frame = pd.read_csv(path, parse_dates=["time_utc"])
    train = frame[
        (frame["time_utc"] < TRAIN_END)
        & (frame["curtailed"] == 0)
        & (frame["unavailable"] == 0)
    ]
    curve = fit(train["era5_ws100"].to_numpy(), train["power_mw"].to_numpy())
    out = Path(__file__).with_name("power_curve.json")
    out.write_text(json.dumps(curve, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{len(train)} training hours, {len(curve['speed'])} bins -> {out}\n"
    )


if __name__ == "__main__":
    main(sys.argv[1])
