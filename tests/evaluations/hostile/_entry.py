"""The entrypoint of a hostile solution package (test_hostile_suite.py).

Copied into the package as ``portal_hostile_entry.py`` next to the hostile
program (``hostile_main.py``), ``_report.py`` and ``case.json``. ``predict``
runs the program in the harness's own process, as vendor code would, then
forecasts "same time last week", which the test suite scores as exact.

A program that hunts for labels reports what it found; if that holds
anything canary-shaped, the forecast is spoiled on purpose, so a leak
would show as a failed gate on the hidden run, the one channel a vendor
always has.
"""

import json
import os
import runpy
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
CASE = json.loads((HERE / "case.json").read_text(encoding="utf-8"))
WEEK = pd.Timedelta(days=7)
# Split so that this file is no hit for a scan of /code.
CANARY_SHAPE = "PORTAL" + "-CANARY-"


def predict(history, exogenous, horizon):
    acts = CASE["every_split"] or horizon[0] < pd.Timestamp(CASE["sample_before"])
    if acts:
        sys.argv = [str(HERE / "hostile_main.py"), *CASE["args"]]
        runpy.run_path(str(HERE / "hostile_main.py"), run_name="__main__")
        sys.stdout.flush()
        if CASE["exit_after"]:
            # Leave what the program put in /out for the host to read,
            # instead of the harness's own predictions.
            os._exit(0)
    import _report

    leaked = CANARY_SHAPE in json.dumps(_report.last, default=str)
    target = history[history.attrs.get("target", "load_mw")].astype(float)
    forecast = target.reindex(horizon - WEEK).ffill().bfill()
    if leaked or (acts and CASE["spoil_forecast"]):
        forecast = forecast * 1.5
    return forecast.tolist()
