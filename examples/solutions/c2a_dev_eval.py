"""Score a C2a example solution on the development quarter, probes emulated.

Usage, from the repository root, with the evaluation environment::

    var/eval-env/bin/python examples/solutions/c2a_dev_eval.py wind-mos-lightgbm [--seeds 1 2]

For tuning a solution without the hidden quarter: the data file is cut at
2015-10-01 as soon as it is read, so no hidden day or label is ever
loaded. Each development day D (2015-07-01 … 09-30) becomes a call like the
suite's (issued at D-1 12:00 UTC, 14 days of history, the feed up to the
end of D), and the solution's ``predict`` is called in this process (no
sandbox, no harness). The two probes are emulated with their published
recipes (docs/suites.md): ``nwp_error`` with the given seeds, never the
suite's own, and ``provider_swap`` (MERRA-2 at 50 m × 2^0.2). Prints the
gated metrics per feed and whether the suite's gates would hold. The
development quarter is calmer than the hidden one, so its absolute
figures run lower: compare solutions, not thresholds.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from evaluations.metrics import forecasting as metrics  # noqa: E402 - numpy only

DATA = HERE.parents[1] / "evaluations" / "data" / "la_haute_borne_hourly.csv.gz"
DEV_FIRST, HIDDEN_FIRST = "2015-07-01", "2015-10-01"
CAPACITY = 8.2
WEATHER = (
    "wind_speed_100m",
    "wind_direction_100m",
    "air_density_100m",
    "temperature_2m",
)
ERA5 = ("era5_ws100", "era5_wd100", "era5_rho100", "era5_t2m")
MERRA2 = ("merra2_ws50", "merra2_wd50", "merra2_rho50", "merra2_t2m")
ROUNDING = dict(zip(WEATHER, (3, 1, 4, 2), strict=True))


def load() -> pd.DataFrame:
    frame = pd.read_csv(DATA)
    frame.index = pd.to_datetime(frame.pop("time_utc"), format="ISO8601")
    frame = frame[frame.index < HIDDEN_FIRST].copy()  # no hidden day from here on
    frame["exempt"] = (frame["curtailed"] == 1) | (frame["unavailable"] == 1)
    return frame


def feeds(frame: pd.DataFrame, seed: int) -> dict[str, pd.DataFrame]:
    """The clean ERA5 feed and the two probes' recipes."""
    clean = frame[list(ERA5)].set_axis(list(WEATHER), axis=1)
    rng = np.random.default_rng(seed)
    white = pd.Series(rng.normal(0.0, 1.0, len(frame)), index=frame.index)
    smooth = white.rolling(6, center=True, min_periods=1).mean()
    noisy = clean.copy()
    speed = WEATHER[0]
    noisy[speed] = (clean[speed] * (1.0 + smooth / smooth.std() * 0.15)).clip(lower=0.0)
    noisy = noisy.shift(1).bfill()
    lost = rng.choice(np.arange(1, len(frame)), round(0.03 * len(frame)), replace=False)
    noisy.iloc[np.sort(lost)] = np.nan
    swapped = frame[list(MERRA2)].set_axis(list(WEATHER), axis=1)
    swapped[speed] = swapped[speed] * 2.0**0.2
    return {
        "clean": clean,
        "nwp_error": noisy.ffill().round(ROUNDING),
        "provider_swap": swapped.round(ROUNDING),
    }


def score(frame: pd.DataFrame, feed: pd.DataFrame, predict) -> dict[str, float]:
    hour = pd.Timedelta(hours=1)
    assessed = ~frame["exempt"].to_numpy()
    hours = frame.index.hour.to_numpy()
    power = frame["power_mw"].to_numpy()
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("y", "p", "x", "d", "c")}
    for day in pd.date_range(DEV_FIRST, pd.Timestamp(HIDDEN_FIRST) - hour, freq="D"):
        origin = day - 12 * hour
        first = origin - pd.Timedelta(days=14)
        horizon = pd.date_range(day, periods=24, freq="h", name="timestamp")
        history = frame.loc[first : origin - hour, ["power_mw", "exempt"]]
        history = history.assign(exempt=history["exempt"].astype(int))
        history.index.name = "timestamp"
        history.attrs["target"] = "power_mw"
        exogenous = feed.loc[first : horizon[-1]].copy()
        exogenous.index.name = "timestamp"
        before = (frame.index < origin) & assessed
        climatology = np.bincount(hours[before], power[before], 24) / np.bincount(
            hours[before], minlength=24
        )
        parts["p"].append(np.asarray(predict(history, exogenous, horizon), float))
        parts["y"].append(frame.loc[horizon, "power_mw"].to_numpy())
        parts["x"].append(frame.loc[horizon, "exempt"].to_numpy())
        parts["d"].append(np.full(24, day.toordinal()))
        parts["c"].append(climatology[horizon.hour])
    y, p, x, d, c = (np.concatenate(parts[k]) for k in "ypxdc")
    common = {"capacity": CAPACITY, "exclude": x}
    return {
        "a_cn": metrics.a_cn(y, p, day=d, **common),
        "a_csg": metrics.a_csg(y, p, day=d, **common),
        "qualified_rate": metrics.qualified_rate(y, p, tolerance=0.25, **common),
        "nbias": metrics.nbias(y, p, **common),
        "skill_rmse": metrics.skill_rmse(y, p, baseline=c, exclude=x),
    }


def gates(name: str, m: dict[str, float]) -> bool:
    """Whether the suite's gates for this feed would hold on these figures."""
    if name == "clean":
        return all(
            (
                m["a_cn"] >= 91.0,
                m["a_csg"] >= 68.0,
                m["qualified_rate"] >= 80.0,
                m["skill_rmse"] >= 52.0,
            )
        )
    if name == "nwp_error":
        return m["a_cn"] >= 88.5 and m["a_csg"] >= 60.0
    return m["a_csg"] >= 55.0 and -5.0 <= m["nbias"] <= 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("solution", help="a folder under examples/solutions")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    folder = HERE / args.solution
    with (folder / "solution.toml").open("rb") as handle:
        module, _, attr = tomllib.load(handle)["entrypoint"].partition(":")
    sys.path.insert(0, str(folder))
    predict = getattr(importlib.import_module(module), attr)
    frame = load()
    for seed in args.seeds:
        for name, feed in feeds(frame, seed).items():
            if name != "nwp_error" and seed != args.seeds[0]:
                continue
            m = score(frame, feed, predict)
            figures = " ".join(f"{k} {v:6.2f}" for k, v in m.items())
            verdict = "holds" if gates(name, m) else "fails"
            label = f"{name} (seed {seed})" if name == "nwp_error" else name
            sys.stdout.write(f"{label:22s} {figures}  gates {verdict}\n")


if __name__ == "__main__":
    main()
