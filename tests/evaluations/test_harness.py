"""The in-sandbox harness, run as a subprocess with the current interpreter.

No sandbox here: these tests pin the protocol (task.json in, predictions.json
out, exit codes 0-5) against the example packages and deliberately broken
ones. All input data is synthetic test data generated below, with fixed
seeds.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluations.harness import (
    EXIT_BAD_TASK,
    EXIT_IMPORT,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_RAISED,
)
from evaluations.outputs import parse_predictions

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "evaluations" / "harness" / "harness.py"
EXAMPLES = ROOT / "examples" / "solutions"


def run_harness(code: Path, input_dir: Path, out: Path, timeout: float = 60):
    out.mkdir(exist_ok=True)
    return subprocess.run(  # noqa: S603 - the repository's own harness, test paths
        [
            sys.executable,
            "-I",
            str(HARNESS),
            "--code",
            str(code),
            "--input",
            str(input_dir),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def predictions_of(out: Path) -> dict:
    assert sorted(p.name for p in out.iterdir()) == ["predictions.json"]
    return json.loads((out / "predictions.json").read_text())


def write_task(folder: Path, task: dict) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "task.json").write_text(json.dumps({"schema_version": 1, **task}))
    return folder


# -- Synthetic inputs ---------------------------------------------------------


def half_hourly_load(days: int, tz: str | None = None, seed: int = 0) -> pd.DataFrame:
    """Test data: a daily sine plus a weekday step plus a little noise."""
    index = pd.date_range("2024-01-01", periods=days * 48, freq="30min", tz=tz)
    slot = np.asarray(index.hour * 2 + index.minute // 30)
    weekday = np.asarray(index.day_of_week < 5, dtype=float)
    clean = 30_000 + 5_000 * np.sin(2 * np.pi * slot / 48) + 3_000 * weekday
    noise = np.random.default_rng(seed).normal(0, 100, len(index))
    return pd.DataFrame({"timestamp": index, "load_mw": clean + noise, "clean": clean})


def forecasting_input(
    folder: Path, *, days: int = 21, tz: str | None = None, exogenous: bool = False
):
    """Write a one-origin forecasting task: history up to day `days`."""
    frame = half_hourly_load(days + 1, tz=tz)
    history, future = frame.iloc[: days * 48], frame.iloc[days * 48 :]
    folder.mkdir(exist_ok=True)
    history[["timestamp", "load_mw"]].to_csv(folder / "history.csv", index=False)
    if exogenous:
        temperature = 10 + 5 * np.sin(2 * np.pi * np.arange(len(frame)) / 48)
        pd.DataFrame(
            {"timestamp": frame["timestamp"], "temperature": temperature}
        ).to_csv(folder / "exogenous.csv", index=False)
    write_task(
        folder,
        {
            "kind": "forecasting",
            "origin": future["timestamp"].iloc[0].isoformat(),
            "horizon": [t.isoformat() for t in future["timestamp"]],
            "time_column": "timestamp",
            "target": "load_mw",
            "history": "history.csv",
            "exogenous": "exogenous.csv" if exogenous else None,
        },
    )
    return history, future


def cell_images(count: int, seed: int = 0) -> tuple[list[np.ndarray], list[int]]:
    """Test data: 32x32 grey cells; every other one has dark crack rows."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for i in range(count):
        image = np.clip(rng.normal(0.6, 0.02, (32, 32)), 0, 1)
        defective = i % 2
        if defective:
            image[10:13, :] = 0.1
        images.append(image)
        labels.append(defective)
    return images, labels


def turbine_series(seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Test data: two units, 3 days of 10-min power; unit T2 derated on day 2."""
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2024-03-01", periods=3 * 144, freq="10min")
    rows = []
    for stamp in stamps:
        for unit in ("T1", "T2"):
            tod = (stamp.hour * 60 + stamp.minute) / 1440
            power = 1_000 + 500 * np.sin(2 * np.pi * tod) + rng.normal(0, 20)
            derated = unit == "T2" and pd.Timestamp(
                "2024-03-02 06:00"
            ) <= stamp < pd.Timestamp("2024-03-02 18:00")
            rows.append((stamp, unit, power * (0.5 if derated else 1.0), derated))
    frame = pd.DataFrame(rows, columns=["timestamp", "unit", "power", "derated"])
    frame.insert(0, "id", [f"r{i:04d}" for i in range(len(frame))])
    return frame.drop(columns="derated"), frame["derated"]


# -- The example packages -----------------------------------------------------------


def test_seasonal_naive_repeats_the_same_half_hour_last_week(tmp_path):
    history, future = forecasting_input(tmp_path / "in", tz="Asia/Shanghai")
    result = run_harness(
        EXAMPLES / "forecasting-seasonal-naive", tmp_path / "in", tmp_path / "out"
    )
    assert result.returncode == EXIT_OK, result.stderr
    document = predictions_of(tmp_path / "out")
    week_ago = history.set_index("timestamp")["load_mw"].reindex(
        future["timestamp"] - pd.Timedelta(days=7)
    )
    assert document["schema_version"] == 1
    assert document["predictions"] == pytest.approx(week_ago.to_list())
    assert document["call_seconds"] >= 0
    assert "wrote 48 predictions" in result.stderr
    # The host's strict parser accepts what the harness wrote.
    raw = (tmp_path / "out" / "predictions.json").read_bytes()
    assert len(parse_predictions(raw, expected=48, kind="forecasting").values) == 48


def test_ridge_fits_the_history_it_receives(tmp_path):
    _, future = forecasting_input(tmp_path / "in", exogenous=True)
    result = run_harness(
        EXAMPLES / "forecasting-ridge", tmp_path / "in", tmp_path / "out"
    )
    assert result.returncode == EXIT_OK, result.stderr
    forecast = np.array(predictions_of(tmp_path / "out")["predictions"])
    truth = future["clean"].to_numpy()
    mape = np.mean(np.abs(forecast - truth) / truth) * 100
    assert mape < 3.0


def test_logistic_classifier_separates_dark_cells(tmp_path):
    images, labels = cell_images(8)
    folder = tmp_path / "in"
    (folder / "images").mkdir(parents=True)
    ids = [f"cell_{i:03d}" for i in range(len(images))]
    for cell_id, image in zip(ids, images, strict=True):
        np.save(folder / "images" / f"{cell_id}.npy", image)
    pd.DataFrame({"id": ids, "module_type": ["mono"] * len(ids)}).to_csv(
        folder / "inputs.csv", index=False
    )
    write_task(
        folder,
        {
            "kind": "classification",
            "inputs": "inputs.csv",
            "id_column": "id",
            "image_dir": "images",
            "classes": [0, 1],
        },
    )
    result = run_harness(EXAMPLES / "classification-logistic", folder, tmp_path / "out")
    assert result.returncode == EXIT_OK, result.stderr
    probabilities = predictions_of(tmp_path / "out")["predictions"]
    assert [p > 0.5 for p in probabilities] == [bool(label) for label in labels]
    assert all(0 <= p <= 1 for p in probabilities)


def test_logistic_classifier_reads_feature_columns_without_images(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    pd.DataFrame(
        {
            "id": ["a", "b"],
            "dark_fraction": [0.0, 0.1],
            "mean_brightness": [0.6, 0.55],
            "contrast": [0.02, 0.15],
        }
    ).to_parquet(folder / "inputs.parquet")
    write_task(
        folder,
        {
            "kind": "classification",
            "inputs": "inputs.parquet",
            "id_column": "id",
            "image_dir": None,
        },
    )
    result = run_harness(EXAMPLES / "classification-logistic", folder, tmp_path / "out")
    assert result.returncode == EXIT_OK, result.stderr
    low, high = predictions_of(tmp_path / "out")["predictions"]
    assert low < 0.1 < 0.9 < high


def test_zscore_detector_flags_a_derate(tmp_path):
    series, derated = turbine_series()
    folder = tmp_path / "in"
    folder.mkdir()
    series.to_csv(folder / "series.csv", index=False)
    write_task(
        folder,
        {
            "kind": "event_detection",
            "series": "series.csv",
            "id_column": "id",
            "time_column": "timestamp",
            "unit_column": "unit",
        },
    )
    result = run_harness(EXAMPLES / "event-detection-zscore", folder, tmp_path / "out")
    assert result.returncode == EXIT_OK, result.stderr
    flags = np.array(predictions_of(tmp_path / "out")["predictions"])
    assert set(flags) <= {0.0, 1.0}
    assert flags[derated.to_numpy()].mean() > 0.9
    # Away from the event (and its six-hour averaging tail) nothing is flagged.
    quiet = (series["timestamp"] < pd.Timestamp("2024-03-02 06:00")) | (
        series["timestamp"] >= pd.Timestamp("2024-03-03 00:00")
    )
    assert flags[quiet.to_numpy()].sum() == 0
    assert flags[(series["unit"] == "T1").to_numpy()].sum() == 0


# -- Broken packages ----------------------------------------------------------------


def make_package(
    folder: Path, source: str, entrypoint: str = "vendor_model:predict"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "solution.toml").write_text(
        f'name = "broken"\nversion = "0"\ndescription = ""\nentrypoint = "{entrypoint}"\n'
    )
    module = entrypoint.split(":")[0]
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    return folder


@pytest.fixture
def small_task(tmp_path) -> Path:
    """A forecasting task over three days of history, 48 steps ahead."""
    forecasting_input(tmp_path / "in", days=3)
    return tmp_path / "in"


def test_a_callable_that_raises_exits_4_with_its_traceback(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        def helper():
            raise ValueError("the model file is missing")

        def predict(history, exogenous, horizon):
            helper()
        """,
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_RAISED
    assert "predict() raised ValueError: the model file is missing" in result.stderr
    assert "vendor_model.py" in result.stderr and "in helper" in result.stderr
    assert "harness.py" not in result.stderr  # only the vendor's frames
    assert list((tmp_path / "out").iterdir()) == []


def test_a_deep_traceback_is_trimmed_to_20_frames(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        def dig(n):
            if n == 0:
                raise RuntimeError("bottom")
            return dig(n - 1)

        def predict(history, exogenous, horizon):
            return dig(50)
        """,
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_RAISED
    assert "earlier frames omitted" in result.stderr
    assert "(32 earlier frames omitted)" in result.stderr  # 52 vendor frames


def test_sys_exit_inside_the_callable_counts_as_raising(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        import sys

        def predict(history, exogenous, horizon):
            sys.exit(0)
        """,
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_RAISED
    assert "SystemExit" in result.stderr


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("return [1.0] * (len(horizon) - 1)", "returned 47 values; expected 48"),
        ("return [float('nan')] * len(horizon)", "expected a finite number"),
        ("return ['high'] * len(horizon)", "expected a number"),
        ("return [True] * len(horizon)", "boolean"),
        ("return [None] * len(horizon)", "missing value"),
        ("return {t: 1.0 for t in horizon}", "returned dict"),
        ("return __import__('numpy').ones((len(horizon), 2))", "shape (48, 2)"),
        ("return [10 ** 400] * len(horizon)", "too large"),
    ],
)
def test_an_invalid_return_value_exits_5(tmp_path, small_task, body, words):
    code = make_package(
        tmp_path / "code", f"def predict(history, exogenous, horizon):\n    {body}\n"
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_INVALID, result.stderr
    assert words in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_a_return_value_that_breaks_when_read_exits_5(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        class Sneaky(list):
            def __iter__(self):
                raise RuntimeError("cannot iterate")

        def predict(history, exogenous, horizon):
            return Sneaky([1.0] * len(horizon))
        """,
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_INVALID, result.stderr
    assert "could not be read: RuntimeError: cannot iterate" in result.stderr


def test_numpy_arrays_and_series_are_accepted(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        import pandas as pd

        def predict(history, exogenous, horizon):
            assert history.index.name == "timestamp"
            assert history.attrs["target"] == "load_mw"
            assert exogenous is None
            return pd.Series(2.0, index=horizon).to_frame("forecast")
        """,
    )
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_OK, result.stderr
    assert predictions_of(tmp_path / "out")["predictions"] == [2.0] * 48


@pytest.mark.parametrize(
    ("source", "entrypoint", "words"),
    [
        ("import no_such_module_here\n", "vendor_model:predict", "ModuleNotFoundError"),
        ("def predict(:\n", "vendor_model:predict", "SyntaxError"),
        (
            "raise RuntimeError('no GPU')\n",
            "vendor_model:predict",
            "RuntimeError: no GPU",
        ),
        (
            "def forecast(*args): pass\n",
            "vendor_model:predict",
            "no attribute 'predict'",
        ),
        ("predict = 3\n", "vendor_model:predict", "not a function"),
    ],
)
def test_an_import_failure_exits_3(tmp_path, small_task, source, entrypoint, words):
    code = make_package(tmp_path / "code", source, entrypoint)
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_IMPORT, result.stderr
    assert words in result.stderr


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"schema_version": 2}, "schema_version 2"),
        ({"kind": "regression"}, "task kind 'regression'"),
        ({"horizon": []}, "non-empty list"),
        ({"history": "../history.csv"}, "plain file name"),
        ({"history": "missing.csv"}, "cannot load the input files"),
        ({"target": "price"}, "no column 'price'"),
    ],
)
def test_a_bad_task_exits_2(tmp_path, small_task, change, words):
    task = json.loads((small_task / "task.json").read_text())
    (small_task / "task.json").write_text(json.dumps({**task, **change}))
    code = make_package(tmp_path / "code", "def predict(*args):\n    return []\n")
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_BAD_TASK, result.stderr
    assert words in result.stderr


def test_history_past_the_origin_exits_2(tmp_path, small_task):
    task = json.loads((small_task / "task.json").read_text())
    task["origin"] = task["horizon"][0] = "2024-01-02T00:00:00"
    (small_task / "task.json").write_text(json.dumps(task))
    code = make_package(tmp_path / "code", "def predict(*args):\n    return []\n")
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_BAD_TASK
    assert "after the forecast origin" in result.stderr


def test_a_bad_manifest_exits_2(tmp_path, small_task):
    code = make_package(tmp_path / "code", "def predict(*args):\n    return []\n")
    (code / "solution.toml").write_text('entrypoint = "vendor_model.predict"\n')
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_BAD_TASK
    assert "module:function" in result.stderr
    (code / "solution.toml").unlink()
    result = run_harness(code, small_task, tmp_path / "out")
    assert result.returncode == EXIT_BAD_TASK
    assert "solution.toml" in result.stderr


def test_labels_must_be_among_the_classes(tmp_path):
    folder = write_task(
        tmp_path / "in",
        {
            "kind": "classification",
            "inputs": "inputs.csv",
            "id_column": "id",
            "image_dir": None,
            "classes": ["ok", "defective"],
        },
    )
    pd.DataFrame({"id": ["a", "b"]}).to_csv(folder / "inputs.csv", index=False)
    code = make_package(
        tmp_path / "code",
        "def predict(inputs, images):\n    return ['ok', 'cracked']\n",
    )
    result = run_harness(code, folder, tmp_path / "out")
    assert result.returncode == EXIT_INVALID
    assert "'cracked'" in result.stderr


def test_boolean_flags_become_numbers_for_event_detection(tmp_path):
    series, _ = turbine_series()
    folder = write_task(
        tmp_path / "in",
        {
            "kind": "event_detection",
            "series": "series.csv",
            "id_column": "id",
            "time_column": "timestamp",
            "unit_column": None,
        },
    )
    series.iloc[:5].to_csv(folder / "series.csv", index=False)
    code = make_package(
        tmp_path / "code",
        "def detect(series):\n    return series['power'] > 900\n",
        "vendor_model:detect",
    )
    result = run_harness(code, folder, tmp_path / "out")
    assert result.returncode == EXIT_OK, result.stderr
    assert set(predictions_of(tmp_path / "out")["predictions"]) <= {0.0, 1.0}


def _event_task(folder: Path, output: object) -> Path:
    series, _ = turbine_series()
    task = {
        "kind": "event_detection",
        "series": "series.csv",
        "id_column": "id",
        "time_column": "timestamp",
        "unit_column": "unit",
        "output": output,
    }
    folder = write_task(folder, task)
    series.iloc[:6].to_csv(folder / "series.csv", index=False)
    return folder


@pytest.mark.parametrize(
    ("output", "body", "exit_code"),
    [
        # Flags as booleans, integers or floats 0/1 are flags.
        ("flags", "return [True, False, 1, 0, 1.0, 0.0]", EXIT_OK),
        # An anomaly score is not a flag.
        ("flags", "return [0.0, 0.0, 0.7, 0.0, 0.0, 0.0]", EXIT_INVALID),
        ("flags", "return [0, 0, 2, 0, 0, 0]", EXIT_INVALID),
        # Scores, or a task that does not say, take any finite number.
        ("scores", "return [0.0, 0.0, 0.7, 0.0, 0.0, 0.0]", EXIT_OK),
        (None, "return [0.0, 0.0, 0.7, 0.0, 0.0, 0.0]", EXIT_OK),
    ],
)
def test_a_flags_task_takes_only_zero_and_one(tmp_path, output, body, exit_code):
    folder = _event_task(tmp_path / "in", output)
    code = make_package(
        tmp_path / "code", f"def detect(series):\n    {body}\n", "vendor_model:detect"
    )
    result = run_harness(code, folder, tmp_path / "out")
    assert result.returncode == exit_code, result.stderr
    if exit_code == EXIT_INVALID:
        assert "value 2 (counting from 0); this suite expects flags" in result.stderr


def test_an_unknown_event_output_exits_2(tmp_path):
    folder = _event_task(tmp_path / "in", "probabilities")
    code = make_package(
        tmp_path / "code",
        "def detect(series):\n    return [0] * 6\n",
        "vendor_model:detect",
    )
    result = run_harness(code, folder, tmp_path / "out")
    assert result.returncode == EXIT_BAD_TASK
    assert 'output must be "flags", "scores" or absent' in result.stderr


# -- What the harness itself must never do ------------------------------------------


def test_it_replaces_a_planted_link_instead_of_writing_through_it(tmp_path, small_task):
    target = tmp_path / "host-file"
    target.write_text("untouched")
    out = tmp_path / "out"
    code = make_package(
        tmp_path / "code",
        f"""
        import os

        def predict(history, exogenous, horizon):
            os.symlink({str(target)!r}, {str(out / "predictions.json")!r})
            return [1.0] * len(horizon)
        """,
    )
    result = run_harness(code, small_task, out)
    assert result.returncode == EXIT_OK, result.stderr
    assert target.read_text() == "untouched"
    assert not (out / "predictions.json").is_symlink()
    assert predictions_of(out)["predictions"] == [1.0] * 48


def test_it_exits_without_waiting_for_the_solutions_threads(tmp_path, small_task):
    code = make_package(
        tmp_path / "code",
        """
        import threading, time

        def predict(history, exogenous, horizon):
            threading.Thread(target=time.sleep, args=(120,)).start()
            return [0.0] * len(horizon)
        """,
    )
    started = time.monotonic()
    result = run_harness(code, small_task, tmp_path / "out", timeout=60)
    assert result.returncode == EXIT_OK, result.stderr
    assert time.monotonic() - started < 30


def test_it_imports_nothing_from_the_portal():
    tree = ast.parse(HARNESS.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {
        "django",
        "portal",
        "evaluations",
        "scenarios",
        "rest_framework",
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names) | {
        "numpy",
        "pandas",
    }
