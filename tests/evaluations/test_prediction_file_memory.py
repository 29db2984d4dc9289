"""Prediction files of many rows: chunk by chunk, within the declared bound.

The bound (docs/metrics.md, "Prediction files") is checked on a file of a
million shuffled rows, scored in a fresh process through the function the
worker calls; the other tests make the chunks small, so that ids repeated,
missing or out of order across chunk boundaries are seen as in one chunk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from evaluations.intake import (
    IntakeCode,
    IntakeError,
    prediction_files,
    prediction_matching,
)
from evaluations.intake.prediction_files import (
    ExpectedIds,
    inspect_prediction_file,
    memory_bound,
)

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000_000

CHILD = """
import json, sys
from pathlib import Path
import django
django.setup()
from evaluations.execution import score_prediction_file
from evaluations.public_inputs import id_arrays_read
from evaluations.suites import label_arrays_read
def vm_hwm():
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
before = vm_hwm()
folder = Path(sys.argv[1])
score = score_prediction_file(
    folder / "predictions.csv",
    ids=id_arrays_read(folder / "ids.arrow"),
    split="hidden",
    kind=sys.argv[2],
    config=json.loads(sys.argv[3]),
    labels=label_arrays_read(folder / "labels.arrow"),
)
print(json.dumps({"metrics": score.metrics, "vm_hwm": vm_hwm(), "before": before}))
"""


def _ids(rows: int) -> pa.Array:
    return pa.array([f"c{i:09d}" for i in range(rows)], pa.string())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_million_rows_are_scored_within_the_declared_bound(tmp_path):
    from evaluations.public_inputs import id_arrays_write
    from evaluations.suites import LabelArrays, label_arrays_write

    rng = np.random.default_rng(7)
    ids = _ids(ROWS)
    sample = ROWS // 100
    hidden_calls = [
        ("0001", (ROWS - sample) // 2),
        ("0002", ROWS - sample - (ROWS - sample) // 2),
    ]
    id_arrays_write(
        tmp_path / "ids.arrow",
        ids,
        {"sample": [("0001", sample)], "hidden": hidden_calls},
    )
    truth = 50 + rng.normal(0, 5, ROWS)
    predicted = truth + rng.normal(0, 1, ROWS)
    label_arrays_write(
        tmp_path / "labels.arrow", LabelArrays(hidden_calls, truth[sample:], {})
    )
    order = rng.permutation(ROWS)
    pcsv.write_csv(
        pa.table({"id": ids.take(pa.array(order)), "prediction": predicted[order]}),
        tmp_path / "predictions.csv",
        pcsv.WriteOptions(quoting_style="none"),
    )
    config = {"metrics": [{"code": "mae"}, {"code": "rmse"}], "gates": []}
    result = _score_in_a_child(tmp_path, "forecasting", config)
    errors = predicted[sample:] - truth[sample:]
    assert result["metrics"]["mae"] == pytest.approx(np.mean(np.abs(errors)), rel=1e-12)
    assert result["metrics"]["rmse"] == pytest.approx(
        np.sqrt(np.mean(errors**2)), rel=1e-12
    )
    # The child's own high-water mark. Not wait4's ru_maxrss: a child forked
    # (not vforked) starts with its parent's resident set, so that figure
    # includes this test process's, which grows with the tests run before.
    _assert_within_the_bound(result)


def _score_in_a_child(folder: Path, kind: str, config: dict) -> dict:
    """Score ``folder``'s files in a fresh process; its metrics and VmHWM."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "memory-test-secret-key-not-for-deployment",
        "DJANGO_DEBUG": "false",
        "PORTAL_VAR_DIR": str(folder / "var"),
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD, str(folder), kind, json.dumps(config)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    output = process.stdout.read()
    _pid, status, _usage = os.wait4(process.pid, 0)
    process.stdout.close()
    assert os.waitstatus_to_exitcode(status) == 0
    result: dict = json.loads(output)
    return result


def _assert_within_the_bound(result: dict) -> None:
    peak = result["vm_hwm"]
    bound = memory_bound(ROWS)
    assert peak <= bound, (
        f"peak RSS {peak / 2**20:.0f} MiB > {bound / 2**20:.0f} MiB "
        f"({result['before'] / 2**20:.0f} MiB before scoring)"
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_one_long_label_does_not_make_every_row_cost_its_length(tmp_path):
    """A million labels, one of them 100 characters: as fixed-width text
    every row would cost 4 bytes a character, twice and more (1.6 GB)."""
    from evaluations.public_inputs import id_arrays_write
    from evaluations.suites import LabelArrays, label_arrays_write

    rng = np.random.default_rng(11)
    ids = _ids(ROWS)
    sample = ROWS // 100
    hidden_calls = [("0001", ROWS - sample)]
    id_arrays_write(
        tmp_path / "ids.arrow",
        ids,
        {"sample": [("0001", sample)], "hidden": hidden_calls},
    )
    long_label = "L" * 100
    names = pa.array(["ok", "defective", long_label], pa.string())
    truth = (rng.random(ROWS) < 0.2).astype(np.int32)
    predicted = np.where(rng.random(ROWS) < 0.1, 1 - truth, truth).astype(np.int32)
    predicted[ROWS // 2] = 2  # the one long label, in the hidden split

    def text(codes):
        return pa.DictionaryArray.from_arrays(pa.array(codes), names).cast(pa.string())

    label_arrays_write(
        tmp_path / "labels.arrow",
        LabelArrays(hidden_calls, text(truth[sample:]), {}),
    )
    order = rng.permutation(ROWS)
    pcsv.write_csv(
        pa.table(
            {"id": ids.take(pa.array(order)), "prediction": text(predicted[order])}
        ),
        tmp_path / "predictions.csv",
        pcsv.WriteOptions(quoting_style="none"),
    )
    config = {
        "metrics": [
            {"code": "accuracy"},
            {"code": "balanced_accuracy"},
            {"code": "f1", "key": "f1_macro", "params": {"average": "macro"}},
        ],
        "gates": [],
    }
    result = _score_in_a_child(tmp_path, "classification", config)
    y_true, y_pred = truth[sample:], predicted[sample:]
    matrix = np.zeros((3, 3), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    hits = np.diag(matrix)
    assert result["metrics"]["accuracy"] == pytest.approx(hits.sum() / len(y_true))
    assert result["metrics"]["balanced_accuracy"] == pytest.approx(
        np.mean(hits[:2] / matrix.sum(axis=1)[:2])
    )
    assert result["metrics"]["f1_macro"] == pytest.approx(
        np.mean(2 * hits / (matrix.sum(axis=0) + matrix.sum(axis=1)))
    )
    _assert_within_the_bound(result)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few rows: every file below spans many of them."""
    monkeypatch.setattr(prediction_files, "_CSV_BLOCK_BYTES", 32)
    monkeypatch.setattr(prediction_files, "_PYTHON_CHUNK_ROWS", 2)
    monkeypatch.setattr(prediction_files, "_PARQUET_BATCH_ROWS", 2)


IDS = [f"r{i}" for i in range(12)]


def csv_file(tmp_path, rows, name="p.csv", header="id,prediction"):
    path = tmp_path / name
    path.write_text(header + "\n" + "".join(f"{i},{v}\n" for i, v in rows))
    return path


def refused(path, code, ids=IDS, kind="forecasting"):
    with pytest.raises(IntakeError) as caught:
        inspect_prediction_file(path, expected_ids=ids, kind=kind)
    assert caught.value.code == code, caught.value.message
    return caught.value.message


@pytest.mark.parametrize("quoted", [False, True])
def test_rows_in_any_order_across_chunks_come_back_in_id_order(
    tmp_path, small_chunks, quoted
):
    order = list(reversed(range(6))) + list(range(6, 12))
    rows = [(f'"{IDS[i]}"' if quoted else IDS[i], i / 4) for i in order]
    values = inspect_prediction_file(
        csv_file(tmp_path, rows), expected_ids=IDS, kind="forecasting"
    )
    assert values == [i / 4 for i in range(12)]


def test_an_id_repeated_in_a_later_chunk_is_a_duplicate(tmp_path, small_chunks):
    rows = [(i, 1) for i in IDS] + [("r3", 2), ("x", 1), ("x", 1), ("r0", 1)]
    message = refused(csv_file(tmp_path, rows), IntakeCode.DUPLICATE_IDS)
    # In the order of their first rows.
    assert message == (
        "Ids that appear more than once (3): 'r0', 'r3', 'x'. "
        "Give each id exactly one row."
    )


def test_missing_and_unexpected_ids_are_named_across_chunks(tmp_path, small_chunks):
    rows = [(i, 1) for i in IDS if i not in ("r2", "r9")]
    message = refused(csv_file(tmp_path, rows), IntakeCode.MISSING_IDS)
    assert message == "2 of 12 ids have no prediction, for example 'r2', 'r9'."
    rows = [(i, 1) for i in IDS] + [(f"z{i}", 1) for i in range(7)]
    message = refused(csv_file(tmp_path, rows, "u.csv"), IntakeCode.UNEXPECTED_IDS)
    assert message == (
        "Ids that are not in the test set (7): 'z0', 'z1', 'z2', 'z3', 'z4' and 2 more."
    )


def test_the_first_bad_value_in_id_order_is_reported(tmp_path, small_chunks):
    # Row order is the reverse of id order: r10's bad value comes first in
    # the file, r4's first among the ids.
    values = dict.fromkeys(IDS, 1) | {"r4": "nan", "r10": "high"}
    rows = [(i, values[i]) for i in reversed(IDS)]
    message = refused(csv_file(tmp_path, rows), IntakeCode.NOT_FINITE)
    assert message == "The prediction for id 'r4' is nan; use a finite number."


def test_numbers_then_labels_in_another_chunk_are_mixed(tmp_path, small_chunks):
    rows = [(i, "ok" if i == "r11" else 1) for i in IDS]
    refused(csv_file(tmp_path, rows), IntakeCode.MIXED_VALUES, kind="classification")


def test_labels_come_back_in_id_order(tmp_path, small_chunks):
    rows = [(i, "defective" if n % 3 == 0 else "ok") for n, i in enumerate(IDS)]
    values = inspect_prediction_file(
        csv_file(tmp_path, list(reversed(rows))),
        expected_ids=IDS,
        kind="classification",
    )
    assert values == [label for _, label in rows]


def test_distinct_labels_are_capped_across_chunks(tmp_path, small_chunks):
    limits = prediction_files.PredictionFileLimits(distinct_labels=3)
    names = ["a", "b", "c"]
    rows = [(i, names[n % 3]) for n, i in enumerate(IDS)]
    values = inspect_prediction_file(
        csv_file(tmp_path, rows), expected_ids=IDS, kind="classification", limits=limits
    )
    assert values == [label for _, label in rows]
    # A fourth label, in the last chunk only.
    rows[-1] = (IDS[-1], "d")
    with pytest.raises(IntakeError) as caught:
        inspect_prediction_file(
            csv_file(tmp_path, rows, "four.csv"),
            expected_ids=IDS,
            kind="classification",
            limits=limits,
        )
    assert caught.value.code == IntakeCode.TOO_MANY_LABELS
    assert caught.value.message == "The predictions have more than 3 distinct labels."


def test_a_file_may_hold_ten_thousand_distinct_labels_not_more(tmp_path):
    ids = [f"r{i}" for i in range(10_001)]
    rows = [(i, f"class {n}") for n, i in enumerate(ids)]
    path = csv_file(tmp_path, rows)
    message = refused(path, IntakeCode.TOO_MANY_LABELS, ids=ids, kind="classification")
    assert message == "The predictions have more than 10,000 distinct labels."
    rows[-1] = (ids[-1], "class 0")
    values = inspect_prediction_file(
        csv_file(tmp_path, rows, "ten-thousand.csv"),
        expected_ids=ids,
        kind="classification",
    )
    assert values[-1] == "class 0"
    assert len(set(values)) == 10_000


def test_the_row_cap_counts_every_chunk(tmp_path, small_chunks):
    rows = [(i, 1) for i in IDS]
    with pytest.raises(IntakeError) as caught:
        inspect_prediction_file(
            csv_file(tmp_path, rows),
            expected_ids=IDS,
            kind="forecasting",
            limits=prediction_files.PredictionFileLimits(rows=11),
        )
    assert caught.value.message == "The file has more than 11 rows."


def test_a_parquet_file_is_read_batch_by_batch(tmp_path, small_chunks):
    path = tmp_path / "p.parquet"
    order = [5, 4, 3, 2, 1, 0, 11, 10, 9, 8, 7, 6]
    pq.write_table(
        pa.table(
            {"id": [IDS[i] for i in order], "prediction": [float(i) for i in order]}
        ),
        path,
        row_group_size=4,
    )
    values = inspect_prediction_file(path, expected_ids=IDS, kind="forecasting")
    assert values == [float(i) for i in range(12)]
    pq.write_table(
        pa.table({"id": [*IDS[:11], None], "prediction": [1.0] * 12}),
        path,
        row_group_size=4,
    )
    message = refused(path, IntakeCode.CORRUPT_FILE)
    assert message == "The id column must hold text or whole numbers; found None."


def test_ids_sharing_a_hash_are_found_by_their_text(tmp_path, monkeypatch):
    # Every id hashes alike: the lookup falls back to sorting the text.
    monkeypatch.setattr(
        prediction_matching, "_hashes", lambda ids: np.zeros(len(ids), dtype=np.uint64)
    )
    expected = ExpectedIds.of(["b", "a", "c"])
    positions, found = expected.find(pa.array(["c", "z", "a", "b"]))
    assert found.tolist() == [True, False, True, True]
    assert positions[found].tolist() == [2, 1, 0]


def test_an_id_with_another_ids_hash_is_not_taken_for_it(monkeypatch):
    real = prediction_matching._hashes

    def colliding(ids):
        hashes = real(ids)
        hashes[np.asarray(ids.to_pylist(), dtype=object) == "impostor"] = real(
            pa.array(["a"])
        )[0]
        return hashes

    monkeypatch.setattr(prediction_matching, "_hashes", colliding)
    positions, found = ExpectedIds.of(["a", "b"]).find(pa.array(["impostor", "a"]))
    assert found.tolist() == [False, True]
    assert positions[1] == 0


def test_hashes_are_fnv1a_of_the_utf8_bytes_with_the_length():
    def fnv1a(text):
        value = 0xCBF29CE484222325
        for byte in text.encode():
            value = ((value ^ byte) * 0x100000001B3) % 2**64
        return value ^ len(text.encode())

    texts = ["", "a", "ab", "ba", "é", "a" * 40, "r0", "r1"]
    for array in (
        pa.array(texts),
        pa.array(["xx", *texts]).slice(1),
        pa.array(["ab", "cd"]),
    ):
        assert prediction_matching._hashes(array).tolist() == [
            fnv1a(t) for t in array.to_pylist()
        ]
