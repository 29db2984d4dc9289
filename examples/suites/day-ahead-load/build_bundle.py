#!/usr/bin/env python3
"""Build a small day-ahead load forecasting suite bundle from a CSV.

Standard library only. The input is a half-hourly series with the columns
``timestamp`` (ISO 8601) and ``demand_mw``, for example the portal's
``scenarios/demo_files/taylor_demand_2000.csv``::

    python3 build_bundle.py taylor_demand_2000.csv my-bundle
    python3 ../../../tools/portal_cli.py suite-bundle pack my-bundle bundle.tar.gz

It writes the layout of docs/suites.md ("Building a suite bundle"):

* ``sample``: 2 forecast origins (the public sample for validation runs);
* ``hidden``: the 3 days after them (the hidden test);
* ``probes/missing``: the hidden calls with every 20th history value removed.

Each call is one sandbox run at 00:00 of a day: ``history.csv`` holds every
value strictly before the origin, ``task.json`` asks for the 48 half-hours
of that day, and the labels hold those 48 values with a ``day`` column (for
``peak_error``) and a ``seasonal_naive`` column (the value one week earlier,
for ``skill_rmse``). ``config.toml`` next to this script fits the bundle.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from pathlib import Path

HORIZON = 48  # half-hours in a day
WEEK = 336  # half-hours in a week
SAMPLE_DAYS = (date(2000, 8, 12), date(2000, 8, 13))
HIDDEN_DAYS = (date(2000, 8, 14), date(2000, 8, 15), date(2000, 8, 16))


def read_series(path: Path) -> list[tuple[datetime, float]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (datetime.fromisoformat(row["timestamp"]), float(row["demand_mw"]))
            for row in csv.DictReader(handle)
        ]


def write_call(folder: Path, task: dict[str, object], history: list[str]) -> None:
    folder.mkdir(parents=True)
    (folder / "task.json").write_text(json.dumps(task, indent=1), encoding="utf-8")
    (folder / "history.csv").write_text(
        "timestamp,demand_mw\n" + "".join(history), encoding="utf-8"
    )


def build(series: list[tuple[datetime, float]], target: Path) -> None:
    target.mkdir(parents=True)
    splits: dict[str, dict[str, list[str]]] = {}
    lines = [f"{t.isoformat(timespec='minutes')},{v:g}\n" for t, v in series]
    for split, days in (("sample", SAMPLE_DAYS), ("hidden", HIDDEN_DAYS)):
        labels: dict[str, dict[str, object]] = {}
        for day in days:
            call_id = day.isoformat()
            origin = datetime.combine(day, datetime.min.time())
            start = next(i for i, (t, _v) in enumerate(series) if t >= origin)
            window = series[start : start + HORIZON]
            task = {
                "schema_version": 1,
                "kind": "forecasting",
                "origin": origin.isoformat(),
                "horizon": [t.isoformat() for t, _v in window],
                "time_column": "timestamp",
                "target": "demand_mw",
                "history": "history.csv",
                "exogenous": None,
            }
            # Strictly before the origin: a solution never sees what it forecasts.
            history = lines[:start]
            write_call(target / split / "calls" / call_id / "in", task, history)
            labels[call_id] = {
                "y_true": [v for _t, v in window],
                "columns": {
                    "day": [day.toordinal()] * HORIZON,
                    "seasonal_naive": [
                        series[start + i - WEEK][1] for i in range(HORIZON)
                    ],
                },
            }
            if split == "hidden":
                probed = [line for i, line in enumerate(history) if i % 20 != 7]
                folder = target / "probes" / "missing" / "calls" / call_id / "in"
                write_call(folder, task, probed)
        (target / split / "labels.json").write_text(
            json.dumps({"calls": labels}), encoding="utf-8"
        )
        splits[split] = {"calls": [d.isoformat() for d in days]}
    manifest = {
        "schema_version": 1,
        "kind": "forecasting",
        "splits": splits,
        # A probe perturbs every hidden call.
        "probes": {"missing": {"calls": [d.isoformat() for d in HIDDEN_DAYS]}},
    }
    (target / "manifest.json").write_text(
        json.dumps(manifest, indent=1), encoding="utf-8"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: build_bundle.py SERIES.csv BUNDLE_FOLDER\n")
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    if target.exists():
        sys.stderr.write(f"{target} exists; choose a new folder.\n")
        return 2
    build(read_series(source), target)
    sys.stdout.write(f"Wrote the bundle folder {target}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
