"""Property-based tests (Hypothesis) for the metric functions and the intake.

The example-based tests in test_metrics.py and test_intake.py pin known
values; these state laws that must hold for every input Hypothesis can
think of, and shrink any counterexample to its simplest form:

* metrics agree with scikit-learn where it has the same metric, obey their
  algebra (RMSE ≥ MAE, zero error iff equal, exclusion = subsetting,
  accuracy ceilings) and refuse non-finite input with ValueError only;
* intake refuses arbitrary bytes, arbitrary member names and arbitrary
  manifests with IntakeError only, and never extracts outside its folder;
* prediction files either give back exactly the values written, in id
  order, or are refused with IntakeError.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from evaluations import metrics
from evaluations.intake import (
    IntakeError,
    extract_archive,
    inspect_archive,
    inspect_prediction_file,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("PORTAL_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Magnitudes of real plant output and load: no overflow in squares.
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def pairs(draw, min_size=1, max_size=200, elements=finite):
    n = draw(st.integers(min_size, max_size))
    y_true = draw(st.lists(elements, min_size=n, max_size=n))
    y_pred = draw(st.lists(elements, min_size=n, max_size=n))
    return np.array(y_true), np.array(y_pred)


# -- Forecasting metrics ------------------------------------------------------


@SETTINGS
@given(pairs())
def test_mae_and_rmse_agree_with_scikit_learn(pair):
    y_true, y_pred = pair
    assert metrics.mae(y_true, y_pred) == pytest.approx(
        skm.mean_absolute_error(y_true, y_pred), rel=1e-9, abs=1e-9
    )
    assert metrics.rmse(y_true, y_pred) == pytest.approx(
        math.sqrt(skm.mean_squared_error(y_true, y_pred)), rel=1e-9, abs=1e-9
    )


@SETTINGS
@given(pairs())
def test_rmse_bounds_mae_and_both_vanish_only_on_a_perfect_forecast(pair):
    y_true, y_pred = pair
    mae, rmse = metrics.mae(y_true, y_pred), metrics.rmse(y_true, y_pred)
    assert rmse >= mae - 1e-9 * max(1.0, mae)
    assert metrics.mae(y_true, y_true) == 0.0
    assert metrics.rmse(y_true, y_true) == 0.0
    if not np.array_equal(y_true, y_pred):
        assert mae > 0.0


@SETTINGS
@given(pairs(min_size=2), st.data())
def test_excluding_points_is_the_same_as_leaving_them_out(pair, data):
    y_true, y_pred = pair
    mask = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(y_true), max_size=len(y_true)))
    )
    assume(not mask.all())
    # Excluded points may hold anything, NaN included.
    y_pred_dirty = np.where(mask, np.nan, y_pred)
    for name, kwargs in (("mae", {}), ("rmse", {}), ("nrmse", {"capacity": 50.0})):
        function = getattr(metrics, name)
        assert function(y_true, y_pred_dirty, exclude=mask, **kwargs) == pytest.approx(
            function(y_true[~mask], y_pred[~mask], **kwargs), rel=1e-9, abs=1e-9
        )


@SETTINGS
@given(
    pairs(elements=st.floats(min_value=0.0, max_value=8.2)),
    st.floats(min_value=1.0, max_value=100.0),
)
def test_a_cn_is_a_percentage_that_is_100_only_when_perfect(pair, capacity):
    y_true, y_pred = pair
    value = metrics.a_cn(y_true, y_pred, capacity=capacity)
    assert value <= 100.0
    assert value == pytest.approx(
        100.0 * (1.0 - metrics.rmse(y_true, y_pred) / capacity), abs=1e-9
    )
    assert metrics.a_cn(y_true, y_true, capacity=capacity) == 100.0


@SETTINGS
@given(pairs(max_size=50), st.integers(0, 49), st.sampled_from([math.nan, math.inf]))
def test_non_finite_values_are_refused_with_a_value_error(pair, index, bad):
    y_true, y_pred = pair
    y_pred = y_pred.copy()
    y_pred[index % len(y_pred)] = bad
    for name in ("mae", "rmse", "bias", "nrmse", "nmae"):
        function = getattr(metrics, name)
        kwargs = {"capacity": 10.0} if name.startswith("n") else {}
        with pytest.raises(ValueError):
            function(y_true, y_pred, **kwargs)


@SETTINGS
@given(pairs(max_size=30), st.integers(0, 29))
def test_a_length_mismatch_is_a_value_error(pair, cut):
    y_true, y_pred = pair
    assume(cut % len(y_pred) != 0 or len(y_pred) > 1)
    with pytest.raises(ValueError):
        metrics.mae(y_true, y_pred[: cut % len(y_pred)])


# -- Classification metrics ---------------------------------------------------

labels = st.lists(st.integers(0, 1), min_size=1, max_size=200)


@st.composite
def label_pairs(draw):
    y_true = draw(labels)
    y_pred = draw(
        st.lists(st.integers(0, 1), min_size=len(y_true), max_size=len(y_true))
    )
    return np.array(y_true), np.array(y_pred)


@SETTINGS
@given(label_pairs())
def test_classification_metrics_agree_with_scikit_learn(pair):
    y_true, y_pred = pair
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(
        skm.accuracy_score(y_true, y_pred), abs=1e-12
    )
    if 1 not in y_true and 1 not in y_pred:
        # The positive label appears nowhere: not a binary problem at all.
        with pytest.raises(ValueError, match="pos_label"):
            metrics.precision(y_true, y_pred)
        return
    assert metrics.precision(y_true, y_pred) == pytest.approx(
        skm.precision_score(y_true, y_pred, zero_division=0), abs=1e-12
    )
    for name, reference in (("recall", skm.recall_score), ("f1", skm.f1_score)):
        function = getattr(metrics, name)
        if 1 not in y_true:
            # Without a positive to find, recall (and so F1) is undefined;
            # scikit-learn answers 0, the portal refuses rather than score it.
            with pytest.raises(ValueError, match="no positive"):
                function(y_true, y_pred)
            continue
        ours = function(y_true, y_pred)
        assert ours == pytest.approx(reference(y_true, y_pred), abs=1e-12), name
        assert 0.0 <= ours <= 1.0


@SETTINGS
@given(
    st.lists(st.integers(0, 1), min_size=2, max_size=200),
    st.data(),
)
def test_roc_auc_agrees_with_scikit_learn_and_refuses_one_class(y_true, data):
    y_true = np.array(y_true)
    scores = np.array(
        data.draw(
            st.lists(
                st.floats(0.0, 1.0, allow_nan=False),
                min_size=len(y_true),
                max_size=len(y_true),
            )
        )
    )
    if len(set(y_true.tolist())) < 2:
        with pytest.raises(ValueError):
            metrics.roc_auc(y_true, scores)
        return
    assert metrics.roc_auc(y_true, scores) == pytest.approx(
        skm.roc_auc_score(y_true, scores), abs=1e-12
    )


# -- Intake -------------------------------------------------------------------

MANIFEST = (
    'name = "P"\nversion = "1.0.0"\nentrypoint = "model:predict"\n'
    'description = "d"\ntask_kind = "forecasting"\n'
)
MODEL = b"def predict(history, exogenous, horizon):\n    return [0.0] * len(horizon)\n"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _inspect(raw: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.zip"
        path.write_bytes(raw)
        return inspect_archive(path)


@SETTINGS
@given(st.binary(max_size=4096))
@example(b"PK\x03\x04")  # a zip signature and nothing else
@example(b"\x1f\x8b\x08\x00")  # a gzip header and nothing else
def test_arbitrary_bytes_are_refused_with_an_intake_error(raw):
    with pytest.raises(IntakeError) as caught:
        _inspect(raw)
    assert caught.value.message


# Names of every shape: traversal, absolute, backslashes, control characters,
# very long, unicode; a folder of them holds the model.
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    min_size=1,
    max_size=300,
) | st.sampled_from(
    ["../x.py", "/etc/passwd", "a/../../b", "C:\\x", "a\\..\\b", ".", "..", "a//b", ""]
)


@SETTINGS
@given(st.lists(st.tuples(names, st.binary(max_size=64)), max_size=6))
def test_any_member_names_are_refused_or_extracted_inside_the_folder(extra):
    raw = _zip([("solution.toml", MANIFEST.encode()), ("model.py", MODEL), *extra])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.zip"
        path.write_bytes(raw)
        try:
            report = inspect_archive(path)
        except IntakeError as exc:
            assert exc.message
            return
        dest = Path(folder) / "out"
        extract_archive(path, dest, report)
        root = dest.resolve()
        written = [p for p in Path(folder).rglob("*") if p != path]
        for item in written:
            assert item.resolve().is_relative_to(root) or item == dest
            assert not item.is_symlink()
        assert (dest / "model.py").read_bytes() == MODEL


@SETTINGS
@given(st.text(max_size=600))
def test_any_manifest_text_is_accepted_or_refused_with_an_intake_error(text):
    try:
        report = _inspect(_zip([("solution.toml", text.encode()), ("model.py", MODEL)]))
    except IntakeError as exc:
        assert exc.message
    else:
        assert report.manifest["entrypoint"]


# -- Prediction files ---------------------------------------------------------

ids = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12),
    min_size=1,
    max_size=40,
    unique=True,
)


@SETTINGS
@given(ids, st.data())
def test_a_well_formed_csv_gives_back_its_values_in_id_order(expected, data):
    values = data.draw(st.lists(finite, min_size=len(expected), max_size=len(expected)))
    order = data.draw(st.permutations(range(len(expected))))
    lines = ["id,prediction"] + [f"{expected[i]},{values[i]!r}" for i in order]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = inspect_prediction_file(
            path, expected_ids=expected, kind="forecasting"
        )
    assert result == [float(v) for v in values]


@SETTINGS
@given(st.binary(max_size=2048))
def test_arbitrary_prediction_bytes_are_refused_or_read_never_crash(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.csv"
        path.write_bytes(raw)
        try:
            result = inspect_prediction_file(
                path, expected_ids=["a", "b"], kind="forecasting"
            )
        except IntakeError as exc:
            assert exc.message
        else:
            assert len(result) == 2
            assert all(math.isfinite(v) for v in result)
