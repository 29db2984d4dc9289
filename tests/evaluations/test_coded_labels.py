"""Labels as codes score exactly as the same labels as text: values and errors."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from evaluations.coded_labels import CodedLabels
from evaluations.scoring import ScoringError, score_arrays


def coded(labels):
    # Arrow's dictionary is in order of first appearance, not sorted.
    return CodedLabels.from_arrow(pa.array(labels, pa.string()))


def outcome(metric, y_true, y_pred):
    config = {"metrics": [metric], "gates": []}
    try:
        return score_arrays(config, y_true, y_pred, {}).metrics
    except ScoringError as exc:
        return f"error: {exc}"


TRUTH = ["zeta", "b", "b", "a", "zeta", "b", "a", "a"]
PREDICTED = ["b", "b", "zeta", "a", "zeta", "a", "a", "b"]
TWO_TRUE = ["yes", "no", "no", "yes", "no", "no"]
TWO_PREDICTED = ["yes", "yes", "no", "no", "no", "no"]

CASES = [
    ({"code": "accuracy"}, TRUTH, PREDICTED),
    ({"code": "balanced_accuracy"}, TRUTH, PREDICTED),
    ({"code": "f1", "params": {"average": "macro"}}, TRUTH, PREDICTED),
    ({"code": "precision", "params": {"average": "macro"}}, TRUTH, PREDICTED),
    ({"code": "recall", "params": {"average": "macro"}}, TRUTH, PREDICTED),
    ({"code": "precision", "params": {"pos_label": "yes"}}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "recall", "params": {"pos_label": "yes"}}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "f1", "params": {"pos_label": "no"}}, TWO_TRUE, TWO_PREDICTED),
    # Errors: more than two labels, an absent or default positive label,
    # no positive in the truth, a parameter the metric does not take, text
    # as scores, nothing to score.
    ({"code": "f1", "params": {"pos_label": "b"}}, TRUTH, PREDICTED),
    ({"code": "precision", "params": {"pos_label": "maybe"}}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "recall"}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "recall", "params": {"pos_label": "yes"}}, ["no"] * 3, ["yes"] * 3),
    ({"code": "accuracy", "params": {"pos_label": "yes"}}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "roc_auc", "params": {"pos_label": "yes"}}, TWO_TRUE, TWO_PREDICTED),
    ({"code": "accuracy"}, [], []),
]


@pytest.mark.parametrize(("metric", "truth", "predicted"), CASES)
def test_codes_score_as_the_text(metric, truth, predicted):
    text = outcome(
        metric, np.array(truth, dtype=np.str_), np.array(predicted, dtype=np.str_)
    )
    # Both coded (a file and labels.arrow), or the truth as text (labels.json).
    assert outcome(metric, coded(truth), coded(predicted)) == text
    assert outcome(metric, np.array(truth, dtype=np.str_), coded(predicted)) == text


@pytest.mark.parametrize(
    "metric",
    [
        {"code": "accuracy"},
        {"code": "roc_auc"},
        {"code": "f1", "params": {"pos_label": 1}},
    ],
)
def test_coded_labels_against_numbers_fail_as_the_text(metric):
    truth = np.array([1, 0, 1, 0])
    predicted = ["yes", "no", "yes", "yes"]
    text = outcome(metric, truth, np.array(predicted, dtype=np.str_))
    assert text.startswith("error: ")
    assert outcome(metric, truth, coded(predicted)) == text
    assert outcome(metric, coded(predicted), truth) == outcome(
        metric, np.array(predicted, dtype=np.str_), truth
    )


def test_labels_read_as_numbers_by_numpy_still_score_as_the_text():
    # "1_000" is not a number to the intake, but numpy reads it as one:
    # roc_auc takes it as a score, from the text.
    truth = np.array(["yes", "no", "yes", "no"], dtype=np.str_)
    predicted = ["1_000", "0", "2_000", "1"]
    metric = {"code": "roc_auc", "params": {"pos_label": "yes"}}
    text = outcome(metric, truth, np.array(predicted, dtype=np.str_))
    assert text == {"roc_auc": 1.0}
    assert outcome(metric, coded(truth.tolist()), coded(predicted)) == text
    # A label of the file that is not in the split is not read.
    split = coded(["not a number", *predicted])[1:]
    assert outcome(metric, coded(truth.tolist()), split) == text


def test_codes_are_four_bytes_a_row_whatever_the_labels_length():
    labels = coded(["x" * 100] + ["ok"] * 999)
    assert labels.codes.dtype == np.int32
    assert labels.codes.nbytes == 4_000
    assert labels.tolist()[:2] == ["x" * 100, "ok"]
    assert labels[1:3].tolist() == ["ok", "ok"]
    assert labels.present() == ["x" * 100, "ok"]


@pytest.mark.parametrize("labels_format", ["json", "arrow"])
def test_a_bundles_text_truth_is_read_as_codes(tmp_path, labels_format):
    from evaluations.suites import Bundle, write_bundle

    truth = ["ok", "x" * 100, "ok", "defective"]
    folder = write_bundle(
        tmp_path / "bundle",
        kind="classification",
        splits={"hidden": {"0001": {"files": {"x.csv": b"id\n"}, "y_true": truth}}},
        labels_format=labels_format,
    )
    bundle = Bundle(folder, json.loads((folder / "manifest.json").read_text()))
    arrays = bundle.label_arrays("hidden")
    assert isinstance(arrays.y_true, CodedLabels)
    assert arrays.y_true.codes.nbytes == 4 * len(truth)
    assert arrays.y_true.tolist() == truth
    assert bundle.labels("hidden")["calls"]["0001"]["y_true"] == truth
