"""The probe library: declared, seeded, keyed perturbations."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from django.core.exceptions import ValidationError

from evaluations.probes import (
    ProbeError,
    keyed_normal,
    keyed_uniform,
    perturb_call_files,
    perturb_image,
    perturb_table,
    rotate,
    validate_steps,
)


def _series(start: str = "2024-01-01", periods: int = 2000) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=periods, freq="30min")
    return pd.DataFrame(
        {"timestamp": stamps, "load": np.linspace(100.0, 200.0, periods)}
    )


# --- declaration ---------------------------------------------------------------


def test_validate_fills_defaults():
    steps = validate_steps([{"kind": "noise", "columns": ["load"], "sd": 0.01}])
    assert steps == [
        {"kind": "noise", "columns": ["load"], "sd": 0.01, "relative": True}
    ]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "non-empty list"),
        ("noise", "non-empty list"),
        ([3], "Step 1 must be an object"),
        ([{"kind": "blur"}], "unknown kind 'blur'"),
        ([{"kind": "noise", "columns": ["x"]}], "needs sd"),
        (
            [{"kind": "noise", "columns": ["x"], "sd": 1, "colour": 1}],
            "unknown parameters colour",
        ),
        ([{"kind": "missing", "columns": ["x"], "share": 1.5}], "share must be"),
        ([{"kind": "missing", "columns": [], "share": 0.1}], "columns must be"),
        ([{"kind": "noise", "columns": ["x"], "sd": float("nan")}], "sd must be"),
        ([{"kind": "noise", "columns": ["x"], "sd": True}], "sd must be"),
        (
            [{"kind": "drift", "columns": ["x"], "per_day": 1, "start": "soon"}],
            "ISO 8601",
        ),
        ([{"kind": "image_rotation", "degrees": 270}], "degrees must be"),
        ([{"kind": "image_crop", "keep": 0.2}], "keep must be"),
        ([{"kind": "image_noise", "sd": 0.1, "value_range": [1, 0]}], "value_range"),
    ],
)
def test_validate_rejects_with_a_clear_message(steps, message):
    with pytest.raises(ValidationError) as raised:
        validate_steps(steps)
    assert any(message in text for text in raised.value.messages), raised.value.messages


def test_validate_reports_every_bad_step_by_position():
    with pytest.raises(ValidationError) as raised:
        validate_steps(
            [
                {"kind": "missing", "columns": ["x"], "share": 0.1},
                {"kind": "scale", "columns": ["x"], "factor": -1},
                {"kind": "gap", "hours": 0, "share": 0.1},
            ]
        )
    messages = raised.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Step 2 (scale)")
    assert messages[1].startswith("Step 3 (gap)")


# --- keyed randomness ----------------------------------------------------------


def test_keyed_uniform_is_fixed_by_seed_stream_and_key():
    keys = np.arange(50_000, dtype=np.uint64)
    first = keyed_uniform(keys, 7, 1)
    assert np.array_equal(first, keyed_uniform(keys, 7, 1))
    assert not np.array_equal(first, keyed_uniform(keys, 8, 1))
    assert not np.array_equal(first, keyed_uniform(keys, 7, 2))
    # The same key gives the same number wherever it sits.
    assert np.array_equal(first[1000:2000], keyed_uniform(keys[1000:2000], 7, 1))
    assert first.min() >= 0.0 and first.max() < 1.0
    assert abs(first.mean() - 0.5) < 0.01
    # Uniform: every tenth of [0, 1) holds about a tenth of the draws.
    counts = np.histogram(first, bins=10, range=(0, 1))[0]
    assert counts.min() > 4500 and counts.max() < 5500


def test_keyed_normal_has_unit_variance():
    draws = keyed_normal(np.arange(100_000, dtype=np.uint64), 3, 4)
    assert abs(draws.mean()) < 0.02
    assert abs(draws.std() - 1.0) < 0.02
    assert np.isfinite(draws).all()


# --- tables --------------------------------------------------------------------


def test_missing_share_and_consistency_across_overlapping_windows():
    frame = _series()
    steps = validate_steps([{"kind": "missing", "columns": ["load"], "share": 0.05}])
    whole = perturb_table(frame, steps, seed=1, time_column="timestamp")
    share = whole["load"].isna().mean()
    assert 0.035 < share < 0.065
    # A later call's history contains the earlier rows: same ones missing.
    window = perturb_table(frame.iloc[500:1500], steps, seed=1, time_column="timestamp")
    assert np.array_equal(
        window["load"].isna().to_numpy(), whole["load"].isna().to_numpy()[500:1500]
    )
    assert frame["load"].notna().all(), "the input frame must not change"


def test_noise_relative_and_absolute():
    frame = _series()
    relative = perturb_table(
        frame,
        validate_steps([{"kind": "noise", "columns": ["load"], "sd": 0.01}]),
        seed=5,
        time_column="timestamp",
    )
    ratio = relative["load"] / frame["load"] - 1.0
    assert abs(ratio.std() - 0.01) < 0.001
    absolute = perturb_table(
        frame,
        validate_steps(
            [{"kind": "noise", "columns": ["load"], "sd": 2.0, "relative": False}]
        ),
        seed=5,
        time_column="timestamp",
    )
    assert abs((absolute["load"] - frame["load"]).std() - 2.0) < 0.2


def test_gap_removes_whole_blocks():
    frame = _series(periods=4 * 48 * 30)  # 30 days... of 4 blocks a day
    steps = validate_steps([{"kind": "gap", "hours": 6, "share": 0.2}])
    result = perturb_table(frame, steps, seed=2, time_column="timestamp")
    kept_blocks = set(result["timestamp"].dt.floor("6h"))
    all_blocks = set(frame["timestamp"].dt.floor("6h"))
    lost = all_blocks - kept_blocks
    assert 0.1 < len(lost) / len(all_blocks) < 0.3
    # Every lost block is lost whole; every kept block is kept whole.
    per_block = result.groupby(result["timestamp"].dt.floor("6h")).size()
    assert (per_block == 12).all()


def test_offset_scale_drift_and_clock_shift():
    frame = _series(periods=96)
    steps = validate_steps(
        [
            {"kind": "scale", "columns": ["load"], "factor": 0.95},
            {"kind": "offset", "columns": ["load"], "value": 1.5},
            {
                "kind": "drift",
                "columns": ["load"],
                "per_day": 2.0,
                "start": "2024-01-02T00:00",
            },
            {"kind": "clock_shift", "minutes": 60},
        ]
    )
    result = perturb_table(frame, steps, seed=0, time_column="timestamp")
    expected = frame["load"] * 0.95 + 1.5
    assert np.allclose(result["load"][:48], expected[:48])
    # The second day drifts from 0 to 2 × 47/48.
    assert np.isclose(result["load"][95] - expected[95], 2.0 * 47 / 48)
    assert (result["timestamp"] - frame["timestamp"] == pd.Timedelta(hours=1)).all()


def test_drop_rows_and_duplicates_keyed_by_id():
    frame = pd.DataFrame({"id": [f"row-{i}" for i in range(5000)], "x": 1.0})
    dropped = perturb_table(
        frame,
        validate_steps([{"kind": "drop_rows", "share": 0.1}]),
        seed=9,
        id_column="id",
    )
    assert 0.08 < 1 - len(dropped) / len(frame) < 0.12
    doubled = perturb_table(
        frame,
        validate_steps([{"kind": "duplicate", "share": 0.1}]),
        seed=9,
        id_column="id",
    )
    assert 0.08 < len(doubled) / len(frame) - 1 < 0.12
    assert doubled["id"].duplicated().sum() == len(doubled) - len(frame)
    # Keyed by id: reordering the rows does not change which ones are lost.
    shuffled = perturb_table(
        frame.iloc[::-1],
        validate_steps([{"kind": "drop_rows", "share": 0.1}]),
        seed=9,
        id_column="id",
    )
    assert set(shuffled["id"]) == set(dropped["id"])


def test_table_errors_name_the_step():
    frame = _series(periods=10)
    with pytest.raises(ProbeError, match=r"Step 1 .*no column 'temp'"):
        perturb_table(
            frame,
            validate_steps([{"kind": "offset", "columns": ["temp"], "value": 1}]),
            seed=0,
            time_column="timestamp",
        )
    with pytest.raises(ProbeError, match="needs a time column"):
        perturb_table(
            frame.drop(columns="timestamp"),
            validate_steps([{"kind": "clock_shift", "minutes": 5}]),
            seed=0,
        )


# --- images --------------------------------------------------------------------


def test_rotation_by_90_degrees_matches_rot90():
    image = np.arange(49, dtype=np.float64).reshape(7, 7)
    assert np.allclose(rotate(image, 90.0), np.rot90(image), atol=1e-9)
    assert np.allclose(rotate(image, 0.0), image)


def test_rotation_keeps_channels():
    image = np.random.default_rng(0).random((9, 11, 3))
    rotated = rotate(image, 5.0)
    assert rotated.shape == image.shape
    assert np.allclose(rotated[4, 5], image[4, 5])  # the centre stays put


def test_image_steps_keep_dtype_shape_and_range():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (32, 32), dtype=np.uint8)
    steps = validate_steps(
        [
            {"kind": "image_noise", "sd": 0.05},
            {"kind": "image_brightness", "brightness": 0.2, "contrast": 1.2},
            {"kind": "image_rotation", "degrees": 5},
            {"kind": "image_crop", "keep": 0.9},
        ]
    )
    result = perturb_image(image, steps, seed=3, key="cell-1.npy")
    assert result.dtype == np.uint8 and result.shape == image.shape
    assert not np.array_equal(result, image)
    assert np.array_equal(result, perturb_image(image, steps, seed=3, key="cell-1.npy"))
    assert not np.array_equal(
        result, perturb_image(image, steps, seed=3, key="cell-2.npy")
    )


def test_float_image_noise_respects_declared_range():
    image = np.full((16, 16), 0.5)
    steps = validate_steps([{"kind": "image_noise", "sd": 0.05, "value_range": [0, 2]}])
    result = perturb_image(image, steps, seed=0, key="a")
    assert abs((result - image).std() - 0.1) < 0.02
    clipped = perturb_image(
        np.ones((16, 16)),
        validate_steps([{"kind": "image_noise", "sd": 0.5}]),
        seed=0,
        key="a",
    )
    assert clipped.max() <= 1.0 and clipped.min() >= 0.0


def test_bad_images_are_refused():
    steps = validate_steps([{"kind": "image_noise", "sd": 0.1}])
    with pytest.raises(ProbeError, match="H × W"):
        perturb_image(np.zeros(5), steps, seed=0, key="flat")
    with pytest.raises(ProbeError, match="integers or floats"):
        perturb_image(np.zeros((3, 3), dtype=bool), steps, seed=0, key="mask")


# --- a call's files ------------------------------------------------------------


def test_call_files_tables_and_images():
    history = _series(periods=100)
    history["timestamp"] = history["timestamp"].map(lambda t: t.isoformat())
    image = np.zeros((8, 8), dtype=np.uint8)
    image_bytes = io.BytesIO()
    np.save(image_bytes, image)
    task = json.dumps({"kind": "forecasting", "time_column": "timestamp"}).encode()
    files = {
        "task.json": task,
        "history.csv": history.to_csv(index=False).encode(),
        "images/a.npy": image_bytes.getvalue(),
        "notes.txt": b"kept",
    }
    steps = validate_steps(
        [
            {"kind": "missing", "columns": ["load"], "share": 0.2},
            {"kind": "image_brightness", "brightness": 0.5},
        ]
    )
    probed = perturb_call_files(files, steps, seed=4)
    assert probed["task.json"] == task
    assert probed["notes.txt"] == b"kept"
    table = pd.read_csv(io.BytesIO(probed["history.csv"]))
    assert table["load"].isna().any()
    # Timestamps go back out as ISO 8601, as the harness reads them.
    assert table["timestamp"][0] == "2024-01-01T00:00:00"
    brightened = np.load(io.BytesIO(probed["images/a.npy"]))
    assert brightened.min() > 100


def test_noise_is_independent_of_another_steps_choices():
    keys = np.arange(20_000, dtype=np.uint64)
    # Step 2's uniform stream and step 1's normal streams must not coincide.
    normal = keyed_normal(keys, 5, 1000)
    for stream in range(1000, 4002):
        angle = np.cos(2 * np.pi * keyed_uniform(keys, 5, stream))
        # Box-Muller: were this stream the normal's angle, the correlation
        # would be about 0.7.
        assert abs(np.corrcoef(angle, normal)[0, 1]) < 0.05, stream
