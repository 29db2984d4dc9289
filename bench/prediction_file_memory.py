"""Scoring a prediction file of N rows (default 10 million): time and memory.

The benchmark writes, in a temporary folder, a suite's ids (the cache the
portal derives from a bundle, ``public_inputs.id_arrays_write``), its
hidden labels as ``labels.arrow`` and prediction files of N rows in CSV
and Parquet, rows shuffled (the worst case for matching ids: every chunk
goes through the hash index; ``--in-order`` writes them in the order of
``ids.csv`` instead), for two cases:

- ``regression``: float truth and predictions, scored with MAE and RMSE;
- ``classification``: text labels (``ok`` / ``defective``), scored with
  accuracy and F1;
- ``classification-long``: the same CSV but for one hidden row whose label
  is 100 characters (the label length cap), scored with accuracy and macro
  F1: labels are held as codes, so its peak is that of ``classification``.

Each file is scored in a fresh Python process through
``evaluations.execution.score_prediction_file``, the function the worker's
prediction-file run calls, with Django's settings loaded as in a worker.
The child reports the wall time of that call and its peak RSS (VmHWM),
which is compared with the bound declared in docs/metrics.md.

``--old-at ROWS`` also scores a ``regression`` CSV of that many rows with
the code before streaming (``inspect_prediction_file`` of the commit named
by ``--old-commit``, Python lists, ``scoring.score``), for comparison.

    .venv/bin/python bench/prediction_file_memory.py --rows 10000000 \\
        --old-at 1000000 --json /tmp/prediction_file_memory.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine_info, markdown_table, note, say, write_json  # noqa: E402

SAMPLE_SHARE = 0.01
HIDDEN_CALLS = 10
CONFIGS: dict[str, dict[str, Any]] = {
    "regression": {
        "metrics": [{"code": "mae"}, {"code": "rmse"}],
        "gates": [],
    },
    "classification": {
        "metrics": [
            {"code": "accuracy"},
            {"code": "f1", "params": {"pos_label": "defective"}},
        ],
        "gates": [],
    },
    "classification-long": {
        "metrics": [
            {"code": "accuracy"},
            {"code": "f1", "key": "f1_macro", "params": {"average": "macro"}},
        ],
        "gates": [],
    },
}
KINDS = {
    "regression": "forecasting",
    "classification": "classification",
    "classification-long": "classification",
}
LONG_LABEL_CHARS = 100


def bound_bytes(rows: int) -> int:
    """The declared peak RSS of scoring ``rows`` rows (docs/metrics.md)."""
    from evaluations.intake.prediction_files import memory_bound

    return memory_bound(rows)


# -- writing the inputs ---------------------------------------------------------------


def _ids(rows: int) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = pa.array(np.arange(rows, dtype=np.int64))
    return pc.binary_join_element_wise(
        "c", pc.utf8_lpad(numbers.cast(pa.string()), 9, "0"), ""
    )


def write_inputs(
    folder: Path, rows: int, seed: int, *, old_rows: int, in_order: bool = False
) -> dict[str, Any]:
    """Write ids, labels and prediction files; return what the children need."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from evaluations.public_inputs import id_arrays_write
    from evaluations.suites import LabelArrays, label_arrays_write

    rng = np.random.default_rng(seed)
    ids = _ids(rows)
    sample = max(1, int(rows * SAMPLE_SHARE))
    per_call = -(-(rows - sample) // HIDDEN_CALLS)
    hidden_calls = []
    at = sample
    for index in range(HIDDEN_CALLS):
        count = min(per_call, rows - at)
        if count > 0:
            hidden_calls.append((f"{index + 1:04d}", count))
        at += count
    calls = {"sample": [("0001", sample)], "hidden": hidden_calls}
    id_arrays_write(folder / "ids.arrow", ids, calls)
    hidden = slice(sample, rows)
    shuffled = rng.permutation(rows)  # drawn either way: the same data
    order = np.arange(rows) if in_order else shuffled
    files: dict[str, Any] = {}
    truth_numbers = 50 + 30 * np.sin(np.arange(rows) / 24.0) + rng.normal(0, 5, rows)
    predicted_numbers = truth_numbers * (1 + rng.normal(0, 0.02, rows))
    defective = rng.random(rows) < 0.1
    flipped = defective ^ (rng.random(rows) < 0.05)
    words = np.array(["ok", "defective"])
    truth_labels = words[defective.astype(np.intp)]
    predicted_labels = words[flipped.astype(np.intp)]
    for case, truth, predicted in (
        ("regression", truth_numbers, predicted_numbers),
        ("classification", truth_labels, predicted_labels),
    ):
        label_folder = folder / case
        label_folder.mkdir()
        label_arrays_write(
            label_folder / "labels.arrow",
            LabelArrays(hidden_calls, truth[hidden], {}),
        )
        table = pa.table(
            {"id": ids.take(pa.array(order)), "prediction": predicted[order]}
        )
        csv_path = folder / f"{case}.csv"
        pcsv.write_csv(table, csv_path, pcsv.WriteOptions(quoting_style="none"))
        parquet_path = folder / f"{case}.parquet"
        pq.write_table(table, parquet_path)
        files[f"{case}-csv"] = (case, csv_path)
        files[f"{case}-parquet"] = (case, parquet_path)
    # One hidden row, in the middle, with a label of the longest length.
    codes = flipped.astype(np.int32)
    codes[sample + (rows - sample) // 2] = 2
    names = pa.array([*words.tolist(), "L" * LONG_LABEL_CHARS], pa.string())
    long_labels = pa.DictionaryArray.from_arrays(pa.array(codes[order]), names)
    long_path = folder / "classification-long.csv"
    pcsv.write_csv(
        pa.table(
            {
                "id": ids.take(pa.array(order)),
                "prediction": long_labels.cast(pa.string()),
            }
        ),
        long_path,
        pcsv.WriteOptions(quoting_style="none"),
    )
    files["classification-long-csv"] = ("classification-long", long_path)
    if old_rows:
        old = folder / "old"
        old.mkdir()
        old_ids = ids.slice(0, old_rows)
        old_sample = max(1, int(old_rows * SAMPLE_SHARE))
        labels = {
            "calls": {
                "0001": {
                    "y_true": truth_numbers[old_sample:old_rows].tolist(),
                    "columns": {},
                }
            }
        }
        (old / "labels.json").write_text(json.dumps(labels))
        (old / "ids.json").write_text(
            json.dumps(
                {
                    "sample": old_ids.slice(0, old_sample).to_pylist(),
                    "hidden": old_ids.slice(old_sample).to_pylist(),
                }
            )
        )
        old_order = rng.permutation(old_rows)
        table = pa.table(
            {
                "id": old_ids.take(pa.array(old_order)),
                "prediction": predicted_numbers[:old_rows][old_order],
            }
        )
        pcsv.write_csv(
            table, old / "regression.csv", pcsv.WriteOptions(quoting_style="none")
        )
    return files


# -- the children ---------------------------------------------------------------------


def _vm_hwm() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _setup_django(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "benchmark-secret-key-not-for-deployment"
    )
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ["PORTAL_VAR_DIR"] = str(folder / "var")
    import django

    django.setup()


def child(folder: Path, case: str, path: Path) -> None:
    """Score one file the way the worker does; print a JSON line."""
    _setup_django(folder)
    from evaluations.execution import score_prediction_file
    from evaluations.public_inputs import id_arrays_read
    from evaluations.suites import label_arrays_read

    before = _vm_hwm()
    start = time.perf_counter()
    ids = id_arrays_read(folder / "ids.arrow")
    # classification-long shares classification's labels.
    labels = label_arrays_read(folder / case.split("-")[0] / "labels.arrow")
    score = score_prediction_file(
        path,
        ids=ids,
        split="hidden",
        kind=KINDS[case],
        config=CONFIGS[case],
        labels=labels,
    )
    wall = time.perf_counter() - start
    sys.stdout.write(
        json.dumps(
            {
                "seconds": wall,
                "vm_hwm": _vm_hwm(),
                "vm_hwm_before": before,
                "metrics": score.metrics,
            }
        )
        + "\n"
    )


def old_child(folder: Path, commit: str) -> None:
    """Score with the code before streaming: lists, dicts, scoring.score."""
    _setup_django(folder)
    import importlib.util

    git = shutil.which("git") or "git"
    source = subprocess.run(  # noqa: S603 - a fixed command, the commit from argv
        [
            git,
            "-C",
            str(ROOT),
            "show",
            f"{commit}:evaluations/intake/prediction_files.py",
        ],
        capture_output=True,
        check=True,
    ).stdout
    module_path = folder / "old" / "old_prediction_files.py"
    module_path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("old_prediction_files", module_path)
    assert spec is not None and spec.loader is not None  # noqa: S101
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old  # dataclasses look their module up
    spec.loader.exec_module(old)
    from evaluations import scoring

    before = _vm_hwm()
    start = time.perf_counter()
    # As _evaluate_prediction_file did: ids.json and labels.json as lists.
    ids = json.loads((folder / "old" / "ids.json").read_text())
    expected = ids["sample"] + ids["hidden"]
    labels = json.loads((folder / "old" / "labels.json").read_text())
    values = old.inspect_prediction_file(
        folder / "old" / "regression.csv",
        expected_ids=expected,
        kind="forecasting",
        limits=old.PredictionFileLimits(rows=len(expected), file_bytes=2**40),
    )
    by_id = dict(zip(expected, values, strict=True))
    predictions = {"0001": [by_id[row_id] for row_id in ids["hidden"]]}
    score = scoring.score(CONFIGS["regression"], labels, predictions)
    wall = time.perf_counter() - start
    sys.stdout.write(
        json.dumps(
            {
                "seconds": wall,
                "vm_hwm": _vm_hwm(),
                "vm_hwm_before": before,
                "metrics": score.metrics,
            }
        )
        + "\n"
    )


def _run_child(argv: list[str]) -> dict[str, Any]:
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, *argv],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None  # noqa: S101
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child {argv} failed with {process.returncode}")
    result: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    result["ru_maxrss"] = usage.ru_maxrss * 1024
    return result


# -- the parent -----------------------------------------------------------------------


def measure(
    rows: int, seed: int, *, old_rows: int, old_commit: str, in_order: bool = False
) -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="prediction-memory-"))
    try:
        _setup_django(folder)
        note(f"writing {rows:,} rows of ids, labels and predictions into {folder}")
        files = write_inputs(folder, rows, seed, old_rows=old_rows, in_order=in_order)
        results = []
        for name, (_case, path) in files.items():
            note(f"scoring {name} …")
            measured = _run_child(
                ["--child", name, "--folder", str(folder), "--file", str(path)]
            )
            bound = bound_bytes(rows)
            results.append(
                {
                    "case": name,
                    "rows": rows,
                    "file_bytes": path.stat().st_size,
                    **measured,
                    "bound": bound,
                    "within_bound": measured["vm_hwm"] <= bound,
                    "rows_per_second": rows / measured["seconds"],
                }
            )
        if old_rows:
            note(f"scoring {old_rows:,} rows with the code of {old_commit} …")
            measured = _run_child(["--old-child", old_commit, "--folder", str(folder)])
            results.append(
                {
                    "case": f"regression-csv, before ({old_commit[:7]})",
                    "rows": old_rows,
                    "file_bytes": (folder / "old" / "regression.csv").stat().st_size,
                    **measured,
                    "bound": bound_bytes(old_rows),
                    "within_bound": measured["vm_hwm"] <= bound_bytes(old_rows),
                    "rows_per_second": old_rows / measured["seconds"],
                }
            )
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(results: list[dict[str, Any]]) -> str:
    mib = 1024 * 1024
    return markdown_table(
        [
            "case",
            "rows",
            "file MiB",
            "seconds",
            "M rows/s",
            "peak RSS MiB",
            "bound MiB",
            "within bound",
        ],
        [
            [
                r["case"],
                f"{r['rows']:,}",
                f"{r['file_bytes'] / mib:.0f}",
                f"{r['seconds']:.2f}",
                f"{r['rows_per_second'] / 1e6:.2f}",
                f"{r['vm_hwm'] / mib:.0f}",
                f"{r['bound'] / mib:.0f}",
                "yes" if r["within_bound"] else "NO",
            ]
            for r in results
        ],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--old-at", type=int, default=0, metavar="ROWS")
    parser.add_argument("--old-commit", default="6403f54")
    parser.add_argument("--in-order", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--old-child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.folder, args.child.rsplit("-", 1)[0], args.file)
        return
    if args.old_child:
        old_child(args.folder, args.old_child)
        return
    info = machine_info()
    results = measure(
        args.rows,
        args.seed,
        old_rows=args.old_at,
        old_commit=args.old_commit,
        in_order=args.in_order,
    )
    say(report(results))
    say(f"\n1-minute load average at the end: {os.getloadavg()[0]:.2f}")
    write_json(args.json, {"machine": info, "rows": args.rows, "results": results})


if __name__ == "__main__":
    main()
