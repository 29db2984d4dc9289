"""Fit power_curves.json on the public training year of suite C2b (2014).

Usage, from the repository root, with the evaluation environment::

    var/eval-env/bin/python \\
        examples/solutions/scada-power-curve-residual/train_scada_power_curve.py \\
        evaluations/data/la_haute_borne_scada_10min.csv.gz

For each turbine and 0.5 m/s wind-speed bin with at least 20 readings in
2014: the mean wind speed, the median power and the standard deviation of
the power (at least 10 kW). Stops and curtailment stay in: 2014 is taken
as it is, mostly normal. 2015, the hidden test year, is never read. Not
run in the sandbox.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TRAIN_END = "2015-01-01"
BIN_WIDTH = 0.5
MIN_ROWS_PER_BIN = 20
SIGMA_FLOOR_KW = 10.0


def fit(speed: np.ndarray, power: np.ndarray) -> dict[str, list[float]]:
    """Mean speed, median power and standard deviation of every full bin."""
    bins = np.floor(speed / BIN_WIDTH).astype(int)
    curve: dict[str, list[float]] = {"speed": [], "median_kw": [], "sigma_kw": []}
    for b in np.unique(bins):
        inside = bins == b
        if inside.sum() < MIN_ROWS_PER_BIN:
            continue
        median = float(np.median(power[inside]))
        spread = float(np.std(power[inside]))
        curve["speed"].append(round(float(speed[inside].mean()), 3))
        curve["median_kw"].append(round(median, 1))
        curve["sigma_kw"].append(round(max(spread, SIGMA_FLOOR_KW), 1))
    return curve


def turbines(frame: pd.DataFrame) -> list[str]:
    return sorted({name.split("_", 1)[0] for name in frame.columns[1:]})


def main(path: str) -> None:
    frame = pd.read_csv(path)
    train = frame[frame["time_utc"] < TRAIN_END]
    curves = {}
    for turbine in turbines(frame):
        rows = train[[f"{turbine}_wind_speed", f"{turbine}_power_kw"]].dropna()
        curves[turbine] = fit(rows.iloc[:, 0].to_numpy(), rows.iloc[:, 1].to_numpy())
    model = {"bin_width": BIN_WIDTH, "turbines": curves}
    out = Path(__file__).with_name("power_curves.json")
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(train)} training rows per turbine -> {out}\n")


if __name__ == "__main__":
    main(sys.argv[1])
