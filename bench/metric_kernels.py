"""Every metric on N rows (default 10 million), against scikit-learn.

For each metric of the registry the benchmark builds realistic inputs of N
points (a plant-like forecast with 2 % error, a day index of 24-hour days,
an exclusion mask of 3 %; binary labels with a 10 % positive rate and
scores; an event timeline of 50 units), times ``compute()`` several times
and reports the median. Where scikit-learn has the same metric it computes
that too, on the same arrays, and reports both the ratio of times
(ours / scikit-learn: at most 1.0 is "not slower") and the largest relative
difference (at most 1e-9 is "equal").

The metrics without a scikit-learn equivalent (the Chinese grid-code
accuracies, the daily and event metrics) are timed alone: their figure is
throughput in million rows per second.

Run on a quiet machine (``--wait-quiet``); this measures one core.

    .venv/bin/python bench/metric_kernels.py --rows 10000000 --repeat 5 \
        --json /tmp/metric_kernels.json
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.common import machine_info, markdown_table, say, wait_for_quiet, write_json  # noqa: E402
from evaluations.metrics import compute, list_metrics  # noqa: E402

CAPACITY = 100.0


def _inputs(rows: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    hours = np.arange(rows)
    # A plant's output: a daily shape plus noise, in MW, never zero (MAPE).
    truth = 50 + 30 * np.sin(2 * np.pi * hours / 24) + rng.normal(0, 5, rows)
    truth = np.clip(truth, 1.0, CAPACITY)
    forecast = truth * (1 + rng.normal(0, 0.02, rows))
    labels = (rng.random(rows) < 0.10).astype(np.int64)
    scores = np.clip(labels * 0.3 + rng.random(rows) * 0.7, 0, 1)
    flags = ((labels == 1) & (rng.random(rows) < 0.8)) | (rng.random(rows) < 0.01)
    per_unit = -(-rows // 50)  # 50 turbines, each a block sorted by time
    return {
        "truth": truth,
        "forecast": forecast,
        "day": hours // 24,
        "exclude": rng.random(rows) < 0.03,
        "baseline": np.roll(truth, 24),
        "labels": labels,
        "predicted": (scores > 0.5).astype(np.int64),
        "scores": scores,
        "events_true": labels.astype(bool),
        "events_flags": flags,
        "times": hours % per_unit,  # one reading per unit per hour
        "units": hours // per_unit,
    }


def _cases(data: dict[str, Any]) -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    """Arguments for compute() per metric code."""
    forecast = (data["truth"], data["forecast"])
    classes = (data["labels"], data["predicted"])
    events = (data["events_true"], data["events_flags"])
    event_params = {"times": data["times"], "units": data["units"]}
    cases: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    for metric in list_metrics():
        names = {p.name for p in metric.params}
        params: dict[str, Any] = {}
        if "capacity" in names:
            params["capacity"] = CAPACITY
        if "day" in names:
            params["day"] = data["day"]
        if "tolerance" in names:
            params["tolerance"] = 0.25
        if "baseline" in names:
            params["baseline"] = data["baseline"]
        if metric.code in {
            "accuracy",
            "precision",
            "recall",
            "f1",
            "balanced_accuracy",
        }:
            cases[metric.code] = (classes, params)
        elif metric.code == "roc_auc":
            cases[metric.code] = ((data["labels"], data["scores"]), params)
        elif "times" in names:
            extra = {"time_unit_hours": 1.0} if "time_unit_hours" in names else {}
            cases[metric.code] = (events, {**params, **event_params, **extra})
        else:
            cases[metric.code] = (forecast, params)
    return cases


def _references(data: dict[str, Any]) -> dict[str, Callable[[], float]]:
    """scikit-learn's equivalents, scaled like ours (percent where ours is)."""
    from sklearn import metrics as skm

    truth, forecast = data["truth"], data["forecast"]
    labels, predicted = data["labels"], data["predicted"]
    return {
        "mae": lambda: skm.mean_absolute_error(truth, forecast),
        "rmse": lambda: skm.root_mean_squared_error(truth, forecast),
        "mape": lambda: 100 * skm.mean_absolute_percentage_error(truth, forecast),
        "nmae": lambda: 100 * skm.mean_absolute_error(truth, forecast) / CAPACITY,
        "nrmse": lambda: 100 * skm.root_mean_squared_error(truth, forecast) / CAPACITY,
        "accuracy": lambda: skm.accuracy_score(labels, predicted),
        "precision": lambda: skm.precision_score(labels, predicted),
        "recall": lambda: skm.recall_score(labels, predicted),
        "f1": lambda: skm.f1_score(labels, predicted),
        "balanced_accuracy": lambda: skm.balanced_accuracy_score(labels, predicted),
        "roc_auc": lambda: skm.roc_auc_score(labels, data["scores"]),
    }


def _timed(function: Callable[[], float], repeat: int) -> tuple[float, list[float]]:
    value = function()  # warm-up, and the value
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return value, times


def measure(rows: int, repeat: int, seed: int) -> list[dict[str, Any]]:
    data = _inputs(rows, seed)
    references = _references(data)
    results = []
    for code, (args, params) in _cases(data).items():
        say(f"{code} …")
        ours_value, ours_times = _timed(
            lambda code=code, args=args, params=params: compute(code, *args, **params),
            repeat,
        )
        row: dict[str, Any] = {
            "metric": code,
            "rows": rows,
            "ours_ms": 1000 * statistics.median(ours_times),
            "mrows_per_s": rows / statistics.median(ours_times) / 1e6,
        }
        reference = references.get(code)
        if reference is not None:
            their_value, their_times = _timed(reference, repeat)
            row["sklearn_ms"] = 1000 * statistics.median(their_times)
            row["ratio"] = row["ours_ms"] / row["sklearn_ms"]
            scale = max(abs(their_value), 1e-300)
            row["rel_diff"] = abs(ours_value - their_value) / scale
            row["equal"] = row["rel_diff"] <= 1e-9
            row["not_slower"] = row["ratio"] <= 1.0
        results.append(row)
    return results


def report(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        rows.append(
            [
                r["metric"],
                f"{r['ours_ms']:.1f}",
                f"{r['mrows_per_s']:.0f}",
                f"{r['sklearn_ms']:.1f}" if "sklearn_ms" in r else "",
                f"{r['ratio']:.2f}" if "ratio" in r else "",
                f"{r['rel_diff']:.1e}" if "rel_diff" in r else "",
                ("yes" if r["equal"] and r["not_slower"] else "NO")
                if "ratio" in r
                else "",
            ]
        )
    return markdown_table(
        [
            "metric",
            "ours ms",
            "M rows/s",
            "scikit-learn ms",
            "ours / sklearn",
            "rel. difference",
            "equal and not slower",
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--wait-quiet", type=float, default=None, metavar="LOAD")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.wait_quiet is not None:
        wait_for_quiet(args.wait_quiet)
    info = machine_info()
    results = measure(args.rows, args.repeat, args.seed)
    say(report(results))
    compared = [r for r in results if "ratio" in r]
    failing = [r["metric"] for r in compared if not (r["equal"] and r["not_slower"])]
    say(
        f"\n{len(compared)} metrics compared with scikit-learn; "
        f"{len(compared) - len(failing)} equal within 1e-9 and not slower"
        + (f"; not met: {', '.join(failing)}" if failing else ".")
    )
    if args.json:
        write_json(args.json, {"machine": info, "rows": args.rows, "results": results})


if __name__ == "__main__":
    main()
