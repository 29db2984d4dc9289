"""Fit median_power.json on the public training year of suite C2b (2014).

Usage, from the repository root, with the evaluation environment::

    var/eval-env/bin/python examples/solutions/scada-power-ratio/train_scada_medians.py \\
        evaluations/data/la_haute_borne_scada_10min.csv.gz

For each turbine, the median power of every 0.5 m/s wind-speed bin with at
least 20 readings in 2014. 2015, the hidden test year, is never read. Not
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


def fit(speed: np.ndarray, power: np.ndarray) -> dict[str, list[float]]:
    """Median power per bin: bins[i] starts at i × BIN_WIDTH m/s."""
    bins = np.floor(speed / BIN_WIDTH).astype(int)
    medians = {}
    for b in np.unique(bins):
        inside = bins == b
        if inside.sum() >= MIN_ROWS_PER_BIN:
            medians[int(b)] = round(float(np.median(power[inside])), 1)
    return {"bin": list(medians), "median_kw": list(medians.values())}


def main(path: str) -> None:
    frame = pd.read_csv(path)
    train = frame[frame["time_utc"] < TRAIN_END]
    names = sorted({name.split("_", 1)[0] for name in frame.columns[1:]})
    curves = {}
    for turbine in names:
        rows = train[[f"{turbine}_wind_speed", f"{turbine}_power_kw"]].dropna()
        curves[turbine] = fit(rows.iloc[:, 0].to_numpy(), rows.iloc[:, 1].to_numpy())
    model = {"bin_width": BIN_WIDTH, "turbines": curves}
    out = Path(__file__).with_name("median_power.json")
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(train)} training rows per turbine -> {out}\n")


if __name__ == "__main__":
    main(sys.argv[1])
