"""The metric registry and the naive baselines, against independent references.

scikit-learn is the reference wherever it has the metric; agreement must be
within 1e-9 on seeded random data and on edge cases. The Chinese accuracy
formulas are checked against worked examples with the arithmetic in the
comments, and against a plain-loop transcription of the published
algorithm (China Southern Grid's Kuafu_core). Event metrics are checked on
hand-built timelines and against a plain-loop reference.
"""

from __future__ import annotations

import inspect
import math
import re
import subprocess
import sys
import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as skm

from evaluations import baselines, metrics
from evaluations.metrics import Direction, TaskKind, compute

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-9
SEEDS = [0, 1, 2]
SIZES = [1, 2, 17, 1000]


def _forecast_data(seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y_true = rng.uniform(0.5, 10.0, size)
    y_pred = y_true + rng.normal(0.0, 1.5, size)
    return y_true, y_pred


# Registry --------------------------------------------------------------


BRIEF_CODES = {
    "mae",
    "rmse",
    "mape",
    "smape",
    "bias",
    "peak_error",
    "a_cn",
    "a_csg",
    "qualified_rate",
    "nmae",
    "nrmse",
    "skill_rmse",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "balanced_accuracy",
    "event_recall",
    "detection_lead_time",
    "false_alarms_per_unit_month",
}
SUITE_CODES = {
    "nbias",
    "a_rel",
    "daily_energy_error",
    "false_alarm_hours_per_unit_month",
}


def test_it_registers_every_metric_code():
    codes = [metric.code for metric in metrics.list_metrics()]
    assert len(codes) == len(set(codes))
    assert set(codes) == BRIEF_CODES | SUITE_CODES


def test_it_describes_every_metric_completely():
    for metric in metrics.list_metrics():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", metric.code), metric.code
        assert metric.name, metric.code
        assert metric.formula, metric.code
        assert metric.reference, metric.code
        assert metric.task_kinds, metric.code
        assert isinstance(metric.direction, Direction), metric.code
        # Plain text, never LaTeX.
        assert "\\" not in metric.formula and "$" not in metric.formula


def test_it_declares_exactly_the_keyword_parameters_of_each_function():
    for metric in metrics.list_metrics():
        signature = inspect.signature(metric.func).parameters.values()
        keywords = {p.name for p in signature if p.kind is p.KEYWORD_ONLY}
        required = {
            p.name
            for p in signature
            if p.kind is p.KEYWORD_ONLY and p.default is inspect.Parameter.empty
        }
        assert set(metric.param_names) == keywords, metric.code
        declared = {p.name for p in metric.params if p.required}
        assert declared == required, metric.code


def test_it_gives_units_and_directions():
    units = {metric.code: metric.unit for metric in metrics.list_metrics()}
    directions = {m.code: m.direction for m in metrics.list_metrics()}
    assert units["a_cn"] == "%"
    assert units["accuracy"] == ""
    assert units["detection_lead_time"] == "h"
    assert directions["mape"] is Direction.LOWER
    assert directions["a_csg"] is Direction.HIGHER
    assert directions["bias"] is Direction.ZERO


def test_task_kinds_mirror_the_portal_taxonomy():
    from portal.lib.taxonomy import TaskType

    assert {kind.value for kind in TaskKind} == set(TaskType.values)


def test_list_metrics_filters_by_task_kind():
    forecasting = {m.code for m in metrics.list_metrics("forecasting")}
    events = {m.code for m in metrics.list_metrics(TaskKind.ANOMALY_DETECTION)}
    assert "a_cn" in forecasting
    assert "roc_auc" not in forecasting
    assert "event_recall" in events
    assert "a_cn" not in events
    assert {m.code for m in metrics.list_metrics("nlp_llm")} >= {"accuracy", "f1"}
    with pytest.raises(ValueError, match="not a valid TaskKind"):
        metrics.list_metrics("astrology")


def test_get_metric_rejects_an_unknown_code():
    with pytest.raises(
        ValueError, match="unknown metric code 'mse'; known codes: a_cn"
    ):
        metrics.get_metric("mse")
    with pytest.raises(ValueError, match="unknown metric code"):
        compute("mse", [1.0], [1.0])


def test_compute_rejects_unknown_and_missing_parameters():
    with pytest.raises(
        ValueError, match="mae does not take capacity; it accepts: exclude"
    ):
        compute("mae", [1.0], [1.0], capacity=10)
    with pytest.raises(
        ValueError, match="accuracy does not take exclude; it accepts: none"
    ):
        compute("accuracy", [1], [1], exclude=[False])
    with pytest.raises(ValueError, match="qualified_rate needs tolerance"):
        compute("qualified_rate", [1.0], [1.0], capacity=10)


def test_compute_returns_the_function_value():
    y_true, y_pred = _forecast_data(3, 50)
    assert compute("a_cn", y_true, y_pred, capacity=12.0) == metrics.a_cn(
        y_true, y_pred, capacity=12.0
    )
    assert isinstance(compute("mae", y_true, y_pred), float)


def test_docs_table_lists_every_metric_with_its_formula():
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): line
        for line in text.splitlines()
        if (match := re.match(r"\| `([a-z0-9_]+)` \|", line))
    }
    for metric in metrics.list_metrics():
        assert metric.code in rows, f"{metric.code} is missing from docs/metrics.md"
        row = rows[metric.code]
        assert metric.formula in row, f"{metric.code}: formula differs from the docs"
        assert metric.direction.value in row, metric.code
        for name in metric.param_names:
            assert f"`{name}`" in row, f"{metric.code}: {name} is not documented"
    assert set(rows) == {metric.code for metric in metrics.list_metrics()}


def test_the_module_imports_without_django():
    code = (
        "import sys, evaluations.metrics, evaluations.baselines; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


# Forecasting: scikit-learn references -----------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
def test_forecast_metrics_match_scikit_learn(seed, size):
    y_true, y_pred = _forecast_data(seed, size)
    assert compute("mae", y_true, y_pred) == pytest.approx(
        skm.mean_absolute_error(y_true, y_pred), abs=TOL
    )
    assert compute("rmse", y_true, y_pred) == pytest.approx(
        skm.root_mean_squared_error(y_true, y_pred), abs=TOL
    )
    assert compute("mape", y_true, y_pred) == pytest.approx(
        100 * skm.mean_absolute_percentage_error(y_true, y_pred), abs=TOL
    )
    cap = 12.5
    assert compute("nmae", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * skm.mean_absolute_error(y_true, y_pred) / cap, abs=TOL
    )
    assert compute("nrmse", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * skm.root_mean_squared_error(y_true, y_pred) / cap, abs=TOL
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_exclusion_drops_points_before_scoring(seed):
    y_true, y_pred = _forecast_data(seed, 500)
    exclude = np.random.default_rng(seed + 10).random(500) < 0.3
    kept_true, kept_pred = y_true[~exclude], y_pred[~exclude]
    # Missing actuals arrive as NaN; they are allowed where excluded.
    y_true[exclude & (np.arange(500) % 2 == 0)] = np.nan
    assert compute("mae", y_true, y_pred, exclude=exclude) == pytest.approx(
        skm.mean_absolute_error(kept_true, kept_pred), abs=TOL
    )
    assert compute("rmse", y_true, y_pred, exclude=exclude) == pytest.approx(
        skm.root_mean_squared_error(kept_true, kept_pred), abs=TOL
    )
    assert compute(
        "mape", y_true, y_pred, exclude=exclude.astype(int)
    ) == pytest.approx(
        100 * skm.mean_absolute_percentage_error(kept_true, kept_pred), abs=TOL
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_skill_matches_the_scikit_learn_rmse_ratio(seed):
    y_true, y_pred = _forecast_data(seed, 300)
    baseline = baselines.persistence(y_true[:1], 300)
    expected = 100 * (
        1
        - skm.root_mean_squared_error(y_true, y_pred)
        / skm.root_mean_squared_error(y_true, baseline)
    )
    assert compute("skill_rmse", y_true, y_pred, baseline=baseline) == pytest.approx(
        expected, abs=TOL
    )


def _loop_reference(y_true, y_pred):
    """Plain-Python smape, bias, nbias (Cap 10) and a_rel, one point at a time."""
    n = len(y_true)
    smape_sum = bias_num = bias_den = nbias_sum = rel_sq = 0.0
    for actual, forecast in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        denominator = abs(actual) + abs(forecast)
        smape_sum += (
            0.0 if denominator == 0 else 2 * abs(forecast - actual) / denominator
        )
        bias_num += forecast - actual
        bias_den += actual
        nbias_sum += (forecast - actual) / 10
        rel_sq += ((forecast - actual) / actual) ** 2
    return {
        "smape": 100 * smape_sum / n,
        "bias": 100 * bias_num / bias_den,
        "nbias": 100 * nbias_sum / n,
        "a_rel": 100 * (1 - math.sqrt(rel_sq / n)),
    }


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
def test_forecast_metrics_without_scikit_learn_match_a_plain_loop(seed, size):
    y_true, y_pred = _forecast_data(seed, size)
    expected = _loop_reference(y_true, y_pred)
    assert compute("smape", y_true, y_pred) == pytest.approx(expected["smape"], abs=TOL)
    assert compute("bias", y_true, y_pred) == pytest.approx(expected["bias"], abs=TOL)
    assert compute("nbias", y_true, y_pred, capacity=10) == pytest.approx(
        expected["nbias"], abs=TOL
    )
    assert compute("a_rel", y_true, y_pred) == pytest.approx(expected["a_rel"], abs=TOL)


def test_smape_bias_and_relative_accuracy_worked_example():
    y_true = np.array([100.0, 200.0, 0.0])
    y_pred = np.array([110.0, 180.0, 0.0])
    # sMAPE terms: 2·10/210, 2·20/380, and 0 for the 0/0 point.
    # 100 · (0.0952381 + 0.1052632 + 0) / 3 = 6.6833751 %.
    expected = 100 * (20 / 210 + 40 / 380) / 3
    assert compute("smape", y_true, y_pred) == pytest.approx(expected, abs=TOL)
    # Bias: Σ(ŷ − y) = 10 − 20 + 0 = −10; Σy = 300; −10/300 = −3.333 %.
    assert compute("bias", y_true, y_pred) == pytest.approx(-10 / 3, abs=TOL)
    # 1 − RMSPE on the first two points: relative errors 0.1 and −0.1,
    # mean square 0.01, root 0.1, accuracy 90 %.
    assert compute("a_rel", y_true[:2], y_pred[:2]) == pytest.approx(90.0, abs=TOL)


def test_peak_error_worked_example():
    # Day 1: actual peak 100, forecast peak 95 → 5/100 = 5 %.
    # Day 2: actual peak 200, forecast peak 230 → 30/200 = 15 %.
    # Mean over days: 10 %. The peaks need not fall on the same point.
    y_true = [50.0, 100.0, 80.0, 200.0, 150.0, 120.0]
    y_pred = [95.0, 90.0, 60.0, 180.0, 230.0, 100.0]
    day = [1, 1, 1, 2, 2, 2]
    assert compute("peak_error", y_true, y_pred, day=day) == pytest.approx(
        10.0, abs=TOL
    )
    # Unsorted day labels of another type group the same way.
    order = [3, 0, 5, 1, 4, 2]
    shuffled_day = np.array(["d1", "d1", "d1", "d2", "d2", "d2"])[order]
    assert compute(
        "peak_error",
        np.array(y_true)[order],
        np.array(y_pred)[order],
        day=shuffled_day,
    ) == pytest.approx(10.0, abs=TOL)


@pytest.mark.parametrize(
    "labels",
    [
        lambda day: day,  # small integers
        lambda day: day * 10**9,  # sorted integers over a huge range
        lambda day: (day * 7919 % 12) * 10**9,  # unsorted, huge range
        lambda day: np.char.add("d", (day + 10).astype(str)),  # sorted strings
        lambda day: np.char.add("d", (day * 7919 % 12 + 10).astype(str)),
        lambda day: day.astype(float) / 2,  # sorted floats
        lambda day: np.datetime64("2015-10-01") + day.astype("timedelta64[D]"),
    ],
)
def test_day_labels_of_any_kind_group_the_same_way(labels):
    rng = np.random.default_rng(4)
    day = np.repeat(np.arange(12), 24)
    y_true = rng.uniform(0.5, 8.0, day.size)
    y_pred = y_true + rng.normal(0, 1, day.size)
    expected = np.mean(
        [
            1 - math.sqrt(np.mean(((y_pred[day == d] - y_true[day == d]) / 10) ** 2))
            for d in range(12)
        ]
    )
    peaks = np.mean(
        [
            abs(y_pred[day == d].max() - y_true[day == d].max())
            / y_true[day == d].max()
            for d in range(12)
        ]
    )
    assert compute(
        "a_cn", y_true, y_pred, capacity=10, day=labels(day)
    ) == pytest.approx(100 * expected, abs=TOL)
    assert compute("peak_error", y_true, y_pred, day=labels(day)) == pytest.approx(
        100 * peaks, abs=TOL
    )


def test_daily_energy_error_worked_example():
    # Day 1: Σy = 10 + 20 = 30, Σŷ = 12 + 21 = 33, abs difference 3.
    # Day 2: Σy = 50, Σŷ = 45, abs difference 5.
    # Mean abs difference 4 over mean daily energy 40 → 10 %.
    y_true = [10.0, 20.0, 50.0]
    y_pred = [12.0, 21.0, 45.0]
    assert compute(
        "daily_energy_error", y_true, y_pred, day=[7, 7, 9]
    ) == pytest.approx(10.0, abs=TOL)


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("mae", {}),
        ("rmse", {}),
        ("mape", {}),
        ("smape", {}),
        ("bias", {}),
        ("a_rel", {}),
        ("nmae", {"capacity": 10}),
        ("a_cn", {"capacity": 10}),
        ("a_csg", {"capacity": 10}),
        ("qualified_rate", {"capacity": 10, "tolerance": 0.25}),
    ],
)
def test_forecast_metrics_reject_bad_input(code, params):
    with pytest.raises(ValueError, match="y_pred has 2 values, y_true has 3"):
        compute(code, [1.0, 2.0, 3.0], [1.0, 2.0], **params)
    with pytest.raises(ValueError, match="y_true and y_pred are empty"):
        compute(code, [], [], **params)
    with pytest.raises(ValueError, match="y_true contains 1 NaN or infinite value"):
        compute(code, [1.0, np.nan], [1.0, 2.0], **params)
    with pytest.raises(ValueError, match="y_pred contains 2 NaN or infinite value"):
        compute(code, [1.0, 2.0], [np.inf, -np.inf], **params)
    with pytest.raises(ValueError, match="every point is excluded"):
        compute(code, [1.0, 2.0], [1.0, 2.0], exclude=[True, True], **params)
    with pytest.raises(ValueError, match="y_true must be one-dimensional"):
        compute(code, [[1.0, 2.0]], [[1.0, 2.0]], **params)
    with pytest.raises(ValueError, match="y_true must be numeric"):
        compute(code, ["a", "b"], [1.0, 2.0], **params)
    with pytest.raises(ValueError, match="exclude must be a boolean mask"):
        compute(code, [1.0, 2.0], [1.0, 2.0], exclude=[0, 2], **params)


def test_mape_raises_on_zero_actuals_unless_excluded():
    with pytest.raises(ValueError, match="y_true has 1 zero actual"):
        compute("mape", [0.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="y_true has 1 zero actual"):
        compute("a_rel", [0.0, 2.0], [1.0, 2.0])
    # 1/2 = 50 % on the only assessed point.
    assert compute("mape", [0.0, 2.0], [1.0, 1.0], exclude=[True, False]) == 50.0


def test_undefined_ratios_raise():
    with pytest.raises(ValueError, match="the actuals sum to zero"):
        compute("bias", [1.0, -1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="actual peak is zero or negative"):
        compute("peak_error", [0.0, 0.0], [1.0, 2.0], day=[1, 1])
    with pytest.raises(ValueError, match="mean daily actual energy is zero"):
        compute("daily_energy_error", [0.0, 0.0], [1.0, 2.0], day=[1, 2])
    with pytest.raises(ValueError, match="the baseline is perfect"):
        compute("skill_rmse", [1.0, 2.0], [1.0, 3.0], baseline=[1.0, 2.0])
    with pytest.raises(ValueError, match="baseline has 1 values, y_true has 2"):
        compute("skill_rmse", [1.0, 2.0], [1.0, 3.0], baseline=[1.0])
    with pytest.raises(ValueError, match="day has 1 values, y_true has 2"):
        compute("peak_error", [1.0, 2.0], [1.0, 2.0], day=[1])
    with pytest.raises(ValueError, match="day contains 1 NaN"):
        compute("peak_error", [1.0, 2.0], [1.0, 2.0], day=[1.0, np.nan])


@pytest.mark.parametrize(
    "capacity",
    [0, -8.2, math.nan, math.inf, True, "8.2", [8.2, 0.0]],
)
def test_capacity_must_be_positive(capacity):
    with pytest.raises(ValueError, match="capacity must be"):
        compute("a_cn", [1.0, 2.0], [1.0, 2.0], capacity=capacity)


# Chinese accuracy formulas: worked examples ------------------------------


def test_a_cn_worked_example_per_day_then_averaged():
    cap = 10.0
    # Day 1 errors 3, −4, 0, 0 MW → scaled 0.3, −0.4, 0, 0; squares 0.09,
    # 0.16, 0, 0; mean 0.25 / 4 = 0.0625; sqrt 0.25; A_1 = 1 − 0.25 = 75 %.
    # Day 2 errors 1, 1, −1, −1 MW → squares 0.01 each; mean 0.01; sqrt 0.1;
    # A_2 = 90 %. A_CN = (75 + 90) / 2 = 82.5 %.
    y_true = [2.0, 6.0, 5.0, 1.0, 3.0, 4.0, 8.0, 9.0]
    y_pred = [5.0, 2.0, 5.0, 1.0, 4.0, 5.0, 7.0, 8.0]
    day = [1, 1, 1, 1, 2, 2, 2, 2]
    assert compute("a_cn", y_true, y_pred, capacity=cap, day=day) == pytest.approx(
        82.5, abs=TOL
    )
    # As one run: squares sum 0.25 + 0.04 = 0.29 over 8 points = 0.03625;
    # sqrt 0.1903943; A = 80.96057 %, not the mean of the daily values.
    assert compute("a_cn", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * (1 - math.sqrt(0.29 / 8)), abs=TOL
    )


def test_a_cn_exempts_curtailed_and_missing_points():
    cap = 10.0
    # Day 2 of the example above plus a curtailed hour: the plant was held
    # to 2 MW while 9 MW were forecast. Exempt, day 2 keeps its 90 %.
    # Counted, it would give squares 4 · 0.01 + 0.49 = 0.53 over 5 points,
    # sqrt(0.106) = 0.3255764, A_2 = 67.44 %.
    y_true = [3.0, 4.0, 8.0, 9.0, 2.0]
    y_pred = [4.0, 5.0, 7.0, 8.0, 9.0]
    curtailed = [False, False, False, False, True]
    assert compute(
        "a_cn", y_true, y_pred, capacity=cap, exclude=curtailed
    ) == pytest.approx(90.0, abs=TOL)
    assert compute("a_cn", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * (1 - math.sqrt(0.106)), abs=TOL
    )
    # A missing actual (NaN) is exempt the same way.
    y_true[4] = math.nan
    assert compute(
        "a_cn", y_true, y_pred, capacity=cap, exclude=curtailed
    ) == pytest.approx(90.0, abs=TOL)


def test_a_cn_excludes_pv_night_which_would_flatter_the_score():
    cap = 10.0
    # NB/T 32011: four daylight points with errors ±2 MW → squares 0.04
    # each; sqrt(0.04) = 0.2; A = 80 %. Four night points forecast 0 with
    # actual 0 would halve the mean square to 0.02: sqrt 0.1414214, A =
    # 85.86 %, a better score for the same daylight forecast.
    y_true = [0.0, 0.0, 4.0, 6.0, 6.0, 4.0, 0.0, 0.0]
    y_pred = [0.0, 0.0, 6.0, 4.0, 8.0, 2.0, 0.0, 0.0]
    night = [True, True, False, False, False, False, True, True]
    assert compute(
        "a_cn", y_true, y_pred, capacity=cap, exclude=night
    ) == pytest.approx(80.0, abs=TOL)
    assert compute("a_cn", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * (1 - math.sqrt(0.02)), abs=TOL
    )


def test_a_cn_skips_a_day_with_no_assessed_point():
    # Day 2 is fully curtailed: it is dropped, not scored 0 or 100.
    # Day 1: errors 1, −1 on Cap 10 → sqrt(0.01) = 0.1 → 90 %.
    y_true = [5.0, 5.0, 1.0, 1.0]
    y_pred = [6.0, 4.0, 9.0, 9.0]
    assert compute(
        "a_cn",
        y_true,
        y_pred,
        capacity=10,
        day=[1, 1, 2, 2],
        exclude=[False, False, True, True],
    ) == pytest.approx(90.0, abs=TOL)


def test_a_cn_takes_the_online_capacity_per_point():
    # Day 1 with 10 MW online: errors ±1 → 0.1 → 90 %. Day 2 with 20 MW
    # online (a second block came back): errors ±4 → 0.2 → 80 %. Mean 85 %.
    y_true = [5.0, 5.0, 10.0, 10.0]
    y_pred = [6.0, 4.0, 14.0, 6.0]
    capacity = [10.0, 10.0, 20.0, 20.0]
    assert compute(
        "a_cn", y_true, y_pred, capacity=capacity, day=[1, 1, 2, 2]
    ) == pytest.approx(85.0, abs=TOL)


def test_a_csg_divides_by_max_of_actual_and_a_fifth_of_capacity():
    cap = 10.0  # 0.2 · Cap = 2 MW
    # y = 1 → max(1, 2) = 2;   ŷ − y = +0.4 → +0.2
    # y = 2 → max(2, 2) = 2;   ŷ − y = −0.4 → −0.2
    # y = 5 → max(5, 2) = 5;   ŷ − y = +1   → +0.2
    # y = 10 → max(10, 2) = 10; ŷ − y = −2  → −0.2
    # Squares 0.04 each, mean 0.04, sqrt 0.2: A_CSG = 80 %.
    y_true = [1.0, 2.0, 5.0, 10.0]
    y_pred = [1.4, 1.6, 6.0, 8.0]
    assert compute("a_csg", y_true, y_pred, capacity=cap) == pytest.approx(
        80.0, abs=TOL
    )
    # A_CN of the same forecast divides everything by 10: scaled errors
    # 0.04, 0.04, 0.1, 0.2; squares 0.0016 + 0.0016 + 0.01 + 0.04 = 0.0532;
    # mean 0.0133; sqrt 0.1153256; A_CN = 88.47 %. CSG is the stricter one.
    assert compute("a_cn", y_true, y_pred, capacity=cap) == pytest.approx(
        100 * (1 - math.sqrt(0.0133)), abs=TOL
    )


def test_a_csg_uses_the_actual_not_the_forecast_in_the_denominator():
    # y = 1, ŷ = 9 on Cap 10: max(y, 2) = 2, so the error 8 scales to 4 and
    # A = 1 − 4 = −300 %. Dividing by the forecast (9) would give 11.1 %.
    # The score is not clipped at zero, as in the published formula.
    assert compute("a_csg", [1.0], [9.0], capacity=10) == pytest.approx(-300.0, abs=TOL)
    # Negative actuals (station consumption at night) get the 2 MW floor:
    # error 0.5 / 2 = 0.25 → 75 %.
    assert compute("a_csg", [-0.1], [0.4], capacity=10) == pytest.approx(75.0, abs=TOL)


def test_a_csg_min_ratio_and_days():
    # min_ratio 0.5 on Cap 10 → floor 5 MW. Day 1: y = 1, 4 with errors ±1
    # → ±0.2 → 80 %. Day 2: y = 10, errors ±1 → ±0.1 → 90 %. Mean 85 %.
    y_true = [1.0, 4.0, 10.0, 10.0]
    y_pred = [2.0, 3.0, 11.0, 9.0]
    assert compute(
        "a_csg", y_true, y_pred, capacity=10, day=[1, 1, 2, 2], min_ratio=0.5
    ) == pytest.approx(85.0, abs=TOL)
    for bad in (0, -0.2, 1.5, math.nan):
        with pytest.raises(ValueError, match="min_ratio must be"):
            compute("a_csg", y_true, y_pred, capacity=10, min_ratio=bad)


def _kuafu_reference(y_true, y_pred, cap, day, exclude, csg, min_ratio=0.2):
    """A plain-loop transcription of Kuafu_core's per-run accuracy."""
    scores = []
    for label in sorted(set(day.tolist())):
        total = 0.0
        count = 0
        for i in range(len(y_true)):
            if day[i] != label or exclude[i]:
                continue
            denominator = max(y_true[i], min_ratio * cap) if csg else cap
            total += ((y_true[i] - y_pred[i]) / denominator) ** 2
            count += 1
        if count:
            scores.append((1 - math.sqrt(total / count)) * 100)
    return sum(scores) / len(scores)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_cn_and_a_csg_match_the_published_algorithm(seed):
    rng = np.random.default_rng(seed)
    size, cap = 24 * 12, 8.2
    y_true = np.clip(rng.normal(1.4, 2.0, size), 0, cap)
    y_pred = np.clip(y_true + rng.normal(0, 0.8, size), 0, cap)
    day = rng.permutation(np.repeat(np.arange(12), 24))
    exclude = rng.random(size) < 0.1
    exclude[day == 5] = True  # a fully curtailed day
    expected_cn = _kuafu_reference(y_true, y_pred, cap, day, exclude, csg=False)
    expected_csg = _kuafu_reference(y_true, y_pred, cap, day, exclude, csg=True)
    params = {"capacity": cap, "day": day, "exclude": exclude}
    assert compute("a_cn", y_true, y_pred, **params) == pytest.approx(
        expected_cn, abs=TOL
    )
    assert compute("a_csg", y_true, y_pred, **params) == pytest.approx(
        expected_csg, abs=TOL
    )


def test_qualified_rate_worked_example():
    cap = 10.0  # tolerance 0.25 → an error of at most 2.5 MW qualifies
    # Errors 0, 2.5 (on the limit: qualifies), 2.6 (fails), −3 (fails), 1.
    # 3 of 5 qualify: 60 %.
    y_true = [5.0, 5.0, 5.0, 5.0, 5.0]
    y_pred = [5.0, 7.5, 7.6, 2.0, 6.0]
    assert compute(
        "qualified_rate", y_true, y_pred, capacity=cap, tolerance=0.25
    ) == pytest.approx(60.0, abs=TOL)
    # Exempting the −3 point (curtailed) leaves 3 of 4: 75 %.
    exclude = [False, False, False, True, False]
    assert compute(
        "qualified_rate", y_true, y_pred, capacity=cap, tolerance=0.25, exclude=exclude
    ) == pytest.approx(75.0, abs=TOL)
    with pytest.raises(ValueError, match="tolerance must be positive"):
        compute("qualified_rate", y_true, y_pred, capacity=cap, tolerance=0)


def test_capacity_normalised_errors_worked_example():
    # Cap 8 MW; errors +2, −2, +4, 0 → abs/Cap 0.25, 0.25, 0.5, 0.
    # nMAE = 100 · 1.0 / 4 = 25 %; nRMSE = 100 · sqrt((4+4+16+0)/4)/8 =
    # 100 · sqrt(6)/8 = 30.6186 %; nbias = 100 · (4/4)/8 = 12.5 %.
    y_true = [1.0, 3.0, 2.0, 5.0]
    y_pred = [3.0, 1.0, 6.0, 5.0]
    assert compute("nmae", y_true, y_pred, capacity=8) == pytest.approx(25.0, abs=TOL)
    assert compute("nrmse", y_true, y_pred, capacity=8) == pytest.approx(
        100 * math.sqrt(6) / 8, abs=TOL
    )
    assert compute("nbias", y_true, y_pred, capacity=8) == pytest.approx(12.5, abs=TOL)


# Naive baselines ---------------------------------------------------------


def test_persistence_repeats_the_last_value():
    np.testing.assert_array_equal(baselines.persistence([1.0, 2.0, 3.5], 3), [3.5] * 3)


def test_seasonal_naive_repeats_the_last_season():
    # Season [4, 5, 6] repeats: steps 0..4 → 4, 5, 6, 4, 5.
    history = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    np.testing.assert_array_equal(
        baselines.seasonal_naive(history, 3, 5), [4.0, 5.0, 6.0, 4.0, 5.0]
    )
    # A season of one is persistence.
    np.testing.assert_array_equal(baselines.seasonal_naive(history, 1, 2), [6.0, 6.0])
    # A season as long as the history replays it from the start.
    np.testing.assert_array_equal(
        baselines.seasonal_naive([7.0, 8.0], 2, 2), [7.0, 8.0]
    )


def test_climatology_averages_history_per_period():
    # Period 0 holds 1, 3 and 8 → mean 12 / 3 = 4; period 1 holds 2 alone.
    history = [1.0, 2.0, 3.0, 8.0]
    periods = [0, 1, 0, 0]
    np.testing.assert_array_equal(
        baselines.climatology(history, periods, [1, 0, 1]), [2.0, 4.0, 2.0]
    )
    # Labels may be strings, e.g. "weekday-slot".
    np.testing.assert_array_equal(
        baselines.climatology(history, ["a", "b", "a", "a"], ["a"]), [4.0]
    )


def test_climatology_on_a_low_capacity_factor_site_scores_well_on_a_cn():
    # A site idling at 1 MW of 10 with a daily 6 MW gust at noon: climatology
    # (the hour mean) misses only the gust hours, so A_CN looks respectable
    # while the skill gate exposes that it knows nothing of the weather.
    rng = np.random.default_rng(7)
    hours = np.tile(np.arange(24), 30)
    actual = np.where(hours == 12, rng.choice([1.0, 7.0], hours.size), 1.0)
    forecast = baselines.climatology(actual, hours, hours)
    perfect_weather_model = actual + rng.normal(0, 0.05, actual.size)
    assert compute("a_cn", actual, forecast, capacity=10, day=hours // 24) > 85
    assert compute("skill_rmse", actual, forecast, baseline=forecast) == 0.0
    assert compute("skill_rmse", actual, perfect_weather_model, baseline=forecast) > 90


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: baselines.persistence([], 1), "history is empty"),
        (lambda: baselines.persistence([1.0, np.nan], 1), "history contains 1 NaN"),
        (lambda: baselines.persistence([1.0], 0), "horizon must be at least 1"),
        (lambda: baselines.persistence([1.0], True), "horizon must be an integer"),
        (lambda: baselines.persistence([1.0], 2.0), "horizon must be an integer"),
        (lambda: baselines.persistence([[1.0]], 1), "history must be one-dimensional"),
        (
            lambda: baselines.seasonal_naive([1.0, 2.0], 3, 1),
            r"fewer than one season \(season_length=3\)",
        ),
        (
            lambda: baselines.seasonal_naive([1.0], 0, 1),
            "season_length must be at least 1",
        ),
        (
            lambda: baselines.climatology([1.0, 2.0], [0], [0]),
            "period_index has 1 labels for 2 history points",
        ),
        (
            lambda: baselines.climatology([1.0, 2.0], [0, 0], [0, 3, 4]),
            r"2 target period\(s\) never occur in the history: 3, 4",
        ),
        (
            lambda: baselines.climatology([1.0], [0], []),
            "target_period_index is empty",
        ),
        (
            lambda: baselines.climatology([1.0], [0.5], [0.5]),
            "period_index must hold integer or string labels",
        ),
        (
            lambda: baselines.climatology([1.0], [0], ["0"]),
            "different label types",
        ),
    ],
)
def test_baselines_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# Classification ----------------------------------------------------------


def _binary_data(seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, size)
    # Rounded scores make many ties, inside and across the classes.
    score = np.round(0.3 * y_true + rng.random(size), 1)
    return y_true, (score > 0.6).astype(int), score


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", [20, 1000])
def test_binary_metrics_match_scikit_learn(seed, size):
    y_true, y_pred, score = _binary_data(seed, size)
    pairs = [
        ("accuracy", skm.accuracy_score(y_true, y_pred)),
        ("precision", skm.precision_score(y_true, y_pred)),
        ("recall", skm.recall_score(y_true, y_pred)),
        ("f1", skm.f1_score(y_true, y_pred)),
        ("balanced_accuracy", skm.balanced_accuracy_score(y_true, y_pred)),
    ]
    for code, expected in pairs:
        assert compute(code, y_true, y_pred) == pytest.approx(expected, abs=TOL), code
    assert compute("roc_auc", y_true, score) == pytest.approx(
        skm.roc_auc_score(y_true, score), abs=TOL
    )
    # The other class as positive.
    for code, reference in [
        ("precision", skm.precision_score),
        ("recall", skm.recall_score),
        ("f1", skm.f1_score),
    ]:
        assert compute(code, y_true, y_pred, pos_label=0) == pytest.approx(
            reference(y_true, y_pred, pos_label=0), abs=TOL
        )


def test_string_labels_use_pos_label():
    y_true = np.array(["ok", "defect", "defect", "ok", "defect"])
    y_pred = np.array(["ok", "defect", "ok", "defect", "defect"])
    for code, reference in [
        ("precision", skm.precision_score),
        ("recall", skm.recall_score),
        ("f1", skm.f1_score),
    ]:
        assert compute(code, y_true, y_pred, pos_label="defect") == pytest.approx(
            reference(y_true, y_pred, pos_label="defect"), abs=TOL
        )
    score = [0.1, 0.9, 0.4, 0.4, 0.8]
    assert compute("roc_auc", y_true, score, pos_label="defect") == pytest.approx(
        skm.roc_auc_score(y_true == "defect", score), abs=TOL
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_macro_metrics_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, 300)
    # Class 4 appears only in the predictions.
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, 5, 300))
    for code, reference in [
        ("precision", skm.precision_score),
        ("recall", skm.recall_score),
        ("f1", skm.f1_score),
    ]:
        expected = reference(y_true, y_pred, average="macro", zero_division=0)
        assert compute(code, y_true, y_pred, average="macro") == pytest.approx(
            expected, abs=TOL
        ), code
    assert compute("accuracy", y_true, y_pred) == pytest.approx(
        skm.accuracy_score(y_true, y_pred), abs=TOL
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "y_pred contains classes not in y_true"
        expected = skm.balanced_accuracy_score(y_true, y_pred)
    assert compute("balanced_accuracy", y_true, y_pred) == pytest.approx(
        expected, abs=TOL
    )


def test_roc_auc_handles_ties_like_scikit_learn():
    # Positives score 0.5 and 0.8, negatives 0.5 and 0.2. Pairs (pos, neg):
    # (0.5, 0.5) tie → ½; (0.5, 0.2) → 1; (0.8, 0.5) → 1; (0.8, 0.2) → 1.
    # AUC = 3.5 / 4 = 0.875.
    y_true = [1, 0, 1, 0]
    score = [0.5, 0.5, 0.8, 0.2]
    assert compute("roc_auc", y_true, score) == 0.875
    assert skm.roc_auc_score(y_true, score) == 0.875
    # All scores tied: every pair counts ½.
    assert compute("roc_auc", [0, 1, 1, 0, 1], [3.0] * 5) == 0.5
    assert compute("roc_auc", [0, 1], [0.1, 0.9]) == 1.0
    assert compute("roc_auc", [0, 1], [0.9, 0.1]) == 0.0


def test_precision_is_zero_when_nothing_is_predicted_positive():
    y_true = [0, 1, 1, 0]
    y_pred = [0, 0, 0, 0]
    assert compute("precision", y_true, y_pred) == 0.0
    assert skm.precision_score(y_true, y_pred, zero_division=0) == 0.0
    assert compute("f1", y_true, y_pred) == 0.0


def test_single_point_classification():
    assert compute("accuracy", [1], [1]) == 1.0
    assert compute("accuracy", [1], [0]) == 0.0
    assert compute("recall", [1], [1]) == 1.0
    assert compute("balanced_accuracy", [2], [2]) == 1.0
    with pytest.raises(
        ValueError, match="ROC AUC needs both classes in y_true, found only 1"
    ):
        compute("roc_auc", [1], [0.3])


@pytest.mark.parametrize(
    ("code", "y_true", "y_pred", "params", "message"),
    [
        ("roc_auc", [1, 1, 1], [0.1, 0.2, 0.3], {}, "needs both classes in y_true"),
        ("roc_auc", [0, 1, 2], [0.1, 0.2, 0.3], {}, "more than two labels"),
        ("roc_auc", [0, 1], [0.1, np.nan], {}, "y_score contains 1 NaN"),
        ("roc_auc", [0, 1], [0.1], {}, "y_score has 1 values, y_true has 2"),
        ("roc_auc", [0, 1], [0.1, 0.2], {"pos_label": 2}, "pos_label=2 is not among"),
        ("recall", [0, 0], [1, 0], {}, r"y_true has no positive label \(1\)"),
        ("f1", [0, 0], [1, 0], {}, "F1 is undefined"),
        ("precision", [0, 1, 2], [0, 1, 2], {}, "use average='macro'"),
        ("precision", [0, 1], [0, 1], {"pos_label": 3}, "pos_label=3 is not among"),
        ("precision", [0, 1], [0, 1], {"average": "micro"}, "average must be"),
        ("accuracy", [0, 1], ["0", "1"], {}, "different label types"),
        ("accuracy", [0.0, np.nan], [0.0, 1.0], {}, "y_true contains 1 NaN"),
        ("accuracy", [0, 1], [0], {}, "y_pred has 1 values, y_true has 2"),
        ("accuracy", [], [], {}, "y_true and y_pred are empty"),
        ("accuracy", [None, 1], [0, 1], {}, "numbers, booleans or strings"),
    ],
)
def test_classification_metrics_reject_bad_input(code, y_true, y_pred, params, message):
    with pytest.raises(ValueError, match=message):
        compute(code, y_true, y_pred, **params)


# Events --------------------------------------------------------------------
#
# One unit observed hourly for 30 days (t = 0 … 720 h, so exactly one
# unit-month). y_true marks the hours inside the events; y_pred holds the
# detector's flags:
#
#   flags 2, 3          run A, before any event            → false alarm
#   event 1 [5, 8]      flags 6, 7 (run B)                 → found, lead 1 h
#   event 2 [12, 15]    flags 11, 12, 13 (run C starts
#                       before the event, overlaps it)     → found, lead 0 h
#   event 3 [18, 20]    no flags                           → missed
#   flag 22             run D                              → false alarm
#   flag 720            run E, the last point              → false alarm

HOURLY = np.arange(721, dtype=float)
EVENTS = [(5, 8), (12, 15), (18, 20)]


def _mask(size: int, positions: list[int]) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask


FLAGS = _mask(721, [2, 3, 6, 7, 11, 12, 13, 22, 720])
TRUTH = _mask(721, [*range(5, 9), *range(12, 16), *range(18, 21)])


def _event_compute(code, flags=FLAGS, truth=TRUTH, **params):
    """Score on the hourly timeline, once from y_true and once from EVENTS.

    Both ways of stating the truth must agree.
    """
    if code != "event_recall":
        params.setdefault("time_unit_hours", 1)
    derived = compute(code, truth, flags, **params)
    listed = compute(code, truth, flags, times=HOURLY, events=EVENTS, **params)
    assert derived == listed or (math.isnan(derived) and math.isnan(listed))
    return listed


def test_event_recall_counts_events_with_enough_flags():
    # Two of three events hold a flag: 66.67 %.
    assert _event_compute("event_recall") == pytest.approx(200 / 3, abs=TOL)
    # Two flags needed: event 1 has 6, 7; event 2 has 12, 13 (11 is outside).
    assert _event_compute("event_recall", min_hits=2) == pytest.approx(200 / 3, abs=TOL)
    # Three flags needed: no event has three inside it.
    assert _event_compute("event_recall", min_hits=3) == 0.0


def test_event_bounds_are_inclusive():
    flags = _mask(721, [8])
    truth = np.zeros(721, dtype=bool)
    for event, expected in [((5, 8), 100.0), ((8, 9), 100.0), ((9, 12), 0.0)]:
        assert (
            compute("event_recall", truth, flags, times=HOURLY, events=[event])
            == expected
        )


def test_events_derive_from_runs_of_y_true():
    # Runs of y_true: [5, 8] and [12, 12]. A flag at 12 finds the second.
    truth = _mask(721, [5, 6, 7, 8, 12])
    flags = _mask(721, [12])
    assert compute("event_recall", truth, flags) == 50.0
    # Without times the axis is the sample index.
    lead = metrics.detection_lead_times(truth, _mask(721, [7, 12]), time_unit_hours=1)
    np.testing.assert_array_equal(lead, [2.0, 0.0])


def test_detection_lead_time_per_event_and_median():
    lead = metrics.detection_lead_times(TRUTH, FLAGS, time_unit_hours=1)
    # Event 1: first flag inside at 6 → 6 − 5 = 1 h. Event 2: the flag at 11
    # precedes the start, the first inside is 12 → 0 h, never negative.
    # Event 3: missed → NaN.
    np.testing.assert_array_equal(lead, [1.0, 0.0, np.nan])
    # The median runs over detected events only: median(1, 0) = 0.5 h.
    assert _event_compute("detection_lead_time") == pytest.approx(0.5, abs=TOL)
    # With min_hits = 2 an event is detected at its second flag: 7 − 5 = 2 h
    # and 13 − 12 = 1 h; median 1.5 h.
    assert _event_compute("detection_lead_time", min_hits=2) == pytest.approx(
        1.5, abs=TOL
    )


def test_detection_lead_time_is_the_median_not_the_mean():
    # A fourth event [25, 30] flagged at 30: leads 1, 0 and 5 h; median 1 h,
    # mean 2 h.
    truth = TRUTH | _mask(721, list(range(25, 31)))
    flags = FLAGS | _mask(721, [30])
    assert compute(
        "detection_lead_time", truth, flags, time_unit_hours=1
    ) == pytest.approx(1.0, abs=TOL)


def test_detection_lead_time_is_nan_when_nothing_is_detected():
    assert math.isnan(_event_compute("detection_lead_time", flags=_mask(721, [22])))


def test_detection_lead_time_converts_numeric_time_units():
    # 10-minute sample indices: event from index 30 (05:00) to 60; first
    # flag at index 39 → 9 steps · 1/6 h = 1.5 h.
    truth = _mask(200, list(range(30, 61)))
    flags = _mask(200, [39, 40])
    assert compute(
        "detection_lead_time", truth, flags, time_unit_hours=1 / 6
    ) == pytest.approx(1.5, abs=TOL)
    with pytest.raises(ValueError, match="pass time_unit_hours"):
        compute("detection_lead_time", truth, flags)


def test_false_alarms_count_runs_that_touch_no_event():
    # Runs A, D and E touch no event: 3 false alarms in one unit-month
    # (720 h from the first to the last point).
    assert _event_compute("false_alarms_per_unit_month") == pytest.approx(3.0, abs=TOL)
    # An explicit observation period overrides the span: 3 / 2 months.
    assert compute(
        "false_alarms_per_unit_month", TRUTH, FLAGS, observed_months=2
    ) == pytest.approx(1.5, abs=TOL)
    # Without events every run is a false alarm: runs A–E = 5.
    no_events = np.zeros(721, dtype=bool)
    assert compute(
        "false_alarms_per_unit_month", no_events, FLAGS, time_unit_hours=1
    ) == pytest.approx(5.0, abs=TOL)


def test_a_run_touching_an_event_bound_is_not_a_false_alarm():
    # Event [5, 8]. Runs: 3–5 ends on the start (touches), 8 sits on the
    # end (inside), 10–11 starts after the end → 1 false alarm.
    flags = _mask(721, [3, 4, 5, 8, 10, 11])
    truth = _mask(721, [5, 6, 7, 8])
    assert compute(
        "false_alarms_per_unit_month", truth, flags, time_unit_hours=1
    ) == pytest.approx(1.0, abs=TOL)


def test_overlapping_events_are_all_checked_for_false_alarms():
    # Events [10, 20] and [12, 14]; a run at 16–17 lies inside the first
    # even though the event starting last before it ends at 14.
    flags = _mask(721, [16, 17])
    assert (
        compute(
            "false_alarms_per_unit_month",
            np.zeros(721, dtype=bool),
            flags,
            times=HOURLY,
            events=[(12, 14), (10, 20)],
            time_unit_hours=1,
        )
        == 0.0
    )


def test_false_alarm_hours_count_flagged_points_outside_every_event():
    # Flags outside the events: 2, 3, 11, 22 and 720, one hour each on the
    # hourly axis: 5 h in one unit-month. Flags 6, 7, 12 and 13 are inside.
    assert _event_compute("false_alarm_hours_per_unit_month") == pytest.approx(
        5.0, abs=TOL
    )
    # Bounds are inclusive: flags on 5 and 8 are inside [5, 8], 4 and 9 not.
    flags = _mask(721, [4, 5, 8, 9])
    truth = _mask(721, [5, 6, 7, 8])
    assert compute(
        "false_alarm_hours_per_unit_month", truth, flags, time_unit_hours=1
    ) == pytest.approx(2.0, abs=TOL)
    # Over two months: 5 h / 2.
    assert compute(
        "false_alarm_hours_per_unit_month",
        TRUTH,
        FLAGS,
        time_unit_hours=1,
        observed_months=2,
    ) == pytest.approx(2.5, abs=TOL)


def test_false_alarm_hours_take_the_median_sampling_interval():
    # 10-minute data over two days with a 6-hour hole on the first: the
    # median spacing is still 10 minutes, so 3 false flags are 0.5 h. The
    # span is 47 h 50 min = 287/6 h.
    times = np.arange(
        np.datetime64("2015-03-01T00:00"),
        np.datetime64("2015-03-03T00:00"),
        np.timedelta64(10, "m"),
    )
    times = np.concatenate([times[:36], times[72:]])
    flags = _mask(times.size, [10, 11, 200])
    truth = _mask(times.size, [200, 201])
    expected = (2 / 6) / ((287 / 6) / 720)
    assert compute(
        "false_alarm_hours_per_unit_month", truth, flags, times=times
    ) == pytest.approx(expected, abs=TOL)


def test_false_alarm_hours_keep_units_apart():
    # Two turbines on the same hourly axis. The step from T1's last point
    # (720) back to T2's first (0) is not a sampling interval, and T1's
    # event does not cover T2's flags at the same hours.
    times = np.concatenate([HOURLY, HOURLY])
    units = np.repeat(["T1", "T2"], 721)
    truth = np.concatenate([_mask(721, [5, 6, 7, 8]), np.zeros(721, dtype=bool)])
    flags = np.concatenate([_mask(721, [6, 7]), _mask(721, [6, 7, 8])])
    for params in [{}, {"events": [("T1", 5, 8)]}]:
        # 3 h of false alarms on T2 over 2 unit-months.
        assert compute(
            "false_alarm_hours_per_unit_month",
            truth,
            flags,
            times=times,
            units=units,
            time_unit_hours=1,
            **params,
        ) == pytest.approx(1.5, abs=TOL)
    # Unit a is sampled every hour, b every 3 h: the intervals are 1 and 3,
    # median 2 h. The step from a's last point (1) to b's first (2) is not
    # one of them (with it the median would be 1). One false flag: 2 h over
    # spans of 1 h + 3 h = 4/720 unit-months.
    assert compute(
        "false_alarm_hours_per_unit_month",
        [0, 0, 0, 0],
        [0, 0, 0, 1],
        times=[0, 1, 2, 5],
        units=["a", "a", "b", "b"],
        time_unit_hours=1,
    ) == pytest.approx(2 / (4 / 720), abs=TOL)


def test_event_metrics_take_float_flags():
    # A sandbox returns flags as JSON numbers.
    flags = FLAGS.astype(float)
    assert compute("event_recall", TRUTH, flags) == pytest.approx(200 / 3, abs=TOL)
    assert compute(
        "false_alarm_hours_per_unit_month", TRUTH, flags, time_unit_hours=1
    ) == pytest.approx(5.0, abs=TOL)
    # Scores are not flags.
    scores = flags * 0.7
    with pytest.raises(ValueError, match="y_pred must be a boolean mask"):
        compute("event_recall", TRUTH, scores)
    with pytest.raises(ValueError, match="y_pred must be a boolean mask"):
        compute("false_alarm_hours_per_unit_month", TRUTH, scores, time_unit_hours=1)


def test_event_metrics_keep_units_apart():
    # Two turbines, each observed hourly over 30 days: 2 unit-months.
    # The event [5, 8] is on T1 only. T2's flags at the same hours are false
    # alarms and do not detect T1's event. T1's last flag and T2's first
    # flag are adjacent rows but separate runs.
    times = np.concatenate([HOURLY, HOURLY])
    units = np.repeat(["T1", "T2"], 721)
    truth = np.concatenate([_mask(721, [5, 6, 7, 8]), np.zeros(721, dtype=bool)])
    flags = np.concatenate([_mask(721, [720]), _mask(721, [0, 6, 7])])
    for params in [{}, {"events": [("T1", 5, 8)]}]:
        assert (
            compute("event_recall", truth, flags, times=times, units=units, **params)
            == 0.0
        )
        # Runs: T1 {720}, T2 {0}, T2 {6, 7}: 3 false alarms / 2 unit-months.
        assert compute(
            "false_alarms_per_unit_month",
            truth,
            flags,
            times=times,
            units=units,
            time_unit_hours=1,
            **params,
        ) == pytest.approx(1.5, abs=TOL)
    # A run of y_true does not continue from T1's last point into T2.
    truth_edge = np.zeros(1442, dtype=bool)
    truth_edge[[720, 721]] = True
    lead = metrics.detection_lead_times(
        truth_edge, truth_edge, times=times, units=units, time_unit_hours=1
    )
    np.testing.assert_array_equal(lead, [0.0, 0.0])


def test_event_metrics_accept_datetimes():
    # 10-minute data over 2015-03-01; the event runs 06:00–12:00 and the
    # first flag inside is at 07:30 → 1.5 h.
    times = np.arange(
        np.datetime64("2015-03-01T00:00"),
        np.datetime64("2015-03-02T00:00"),
        np.timedelta64(10, "m"),
    )
    # Index 45 is 07:30; index 100 (16:40) is outside the event.
    flags = _mask(times.size, [45, 46, 100])
    truth = _mask(times.size, list(range(36, 73)))  # 06:00 to 12:00
    for event in [
        ("2015-03-01T06:00", "2015-03-01T12:00"),
        (datetime(2015, 3, 1, 6), datetime(2015, 3, 1, 12)),  # noqa: DTZ001 -- naive like the data
        (np.datetime64("2015-03-01T06:00"), np.datetime64("2015-03-01T12:00")),
    ]:
        assert compute(
            "detection_lead_time", truth, flags, times=times, events=[event]
        ) == pytest.approx(1.5, abs=TOL)
    assert compute("detection_lead_time", truth, flags, times=times) == (
        pytest.approx(1.5, abs=TOL)
    )
    # Observed span 23 h 50 min = 143/6 h; one false alarm (index 100).
    expected = 1 / ((143 / 6) / 720)
    assert compute(
        "false_alarms_per_unit_month", truth, flags, times=times
    ) == pytest.approx(expected, abs=TOL)
    # ISO strings from a JSON label file work as times too.
    assert compute("event_recall", truth, flags, times=times.astype(str)) == 100.0


def _event_reference(times, flags, units, events, min_hits):
    """Plain loops: recall, per-event lead, false-alarm runs."""
    n = len(times)
    found, lead = [], []
    for unit, start, end in events:
        hits = [
            i
            for i in range(n)
            if units[i] == unit and start <= times[i] <= end and flags[i]
        ]
        found.append(len(hits) >= min_hits)
        lead.append(
            times[hits[min_hits - 1]] - start if len(hits) >= min_hits else None
        )
    # False-alarm hours: flagged points in no event of their unit, each
    # worth the median spacing between consecutive points of a unit.
    spacing = sorted(
        times[i + 1] - times[i] for i in range(n - 1) if units[i + 1] == units[i]
    )
    middle = len(spacing) // 2
    interval = (
        spacing[middle]
        if len(spacing) % 2
        else (spacing[middle - 1] + spacing[middle]) / 2
    )
    false_points = sum(
        1
        for i in range(n)
        if flags[i]
        and not any(
            unit == units[i] and start <= times[i] <= end for unit, start, end in events
        )
    )
    false_runs = 0
    i = 0
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and flags[j + 1] and units[j + 1] == units[i]:
            j += 1
        touches = any(
            unit == units[i] and start <= times[j] and end >= times[i]
            for unit, start, end in events
        )
        false_runs += not touches
        i = j + 1
    return found, lead, false_runs, false_points * interval


@pytest.mark.parametrize("seed", SEEDS)
def test_event_metrics_match_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    per_unit = 300
    times = np.concatenate([np.sort(rng.choice(2000, per_unit, replace=False))] * 3)
    times = times.astype(float)
    units = np.repeat([1, 2, 3], per_unit)
    flags = rng.random(times.size) < 0.15
    truth = np.zeros(times.size, dtype=bool)  # the explicit list wins
    events = []
    for _ in range(12):
        start = float(rng.integers(0, 1900))
        events.append(
            (int(rng.integers(1, 4)), start, start + float(rng.integers(0, 120)))
        )
    found, lead, false_runs, false_hours = _event_reference(
        times, flags, units, events, 2
    )
    params = {"times": times, "events": events, "units": units}
    assert compute("event_recall", truth, flags, min_hits=2, **params) == pytest.approx(
        100 * sum(found) / len(found), abs=TOL
    )
    lead_times = metrics.detection_lead_times(
        truth, flags, min_hits=2, time_unit_hours=1, **params
    )
    expected = [np.nan if value is None else value for value in lead]
    np.testing.assert_allclose(lead_times, expected, atol=TOL)
    detected = sorted(value for value in lead if value is not None)
    middle = len(detected) // 2
    median = (
        detected[middle]
        if len(detected) % 2
        else (detected[middle - 1] + detected[middle]) / 2
    )
    assert compute(
        "detection_lead_time", truth, flags, min_hits=2, time_unit_hours=1, **params
    ) == pytest.approx(median, abs=TOL)
    months = (
        sum(times[units == u].max() - times[units == u].min() for u in (1, 2, 3)) / 720
    )
    assert compute(
        "false_alarms_per_unit_month", truth, flags, time_unit_hours=1, **params
    ) == pytest.approx(false_runs / months, abs=TOL)
    assert compute(
        "false_alarm_hours_per_unit_month", truth, flags, time_unit_hours=1, **params
    ) == pytest.approx(false_hours / months, abs=TOL)


DATES = np.array(["2015-01-01", "2015-01-02"], dtype="datetime64[ns]")


@pytest.mark.parametrize(
    ("code", "y_true", "params", "message"),
    [
        ("event_recall", [0, 0], {}, "there are no events"),
        ("event_recall", [], {}, "y_true and y_pred are empty"),
        ("event_recall", [0, 2], {}, "y_true must be a boolean"),
        ("event_recall", [1, 0, 0], {}, "y_pred has 2 values, y_true has 3"),
        ("event_recall", [1, 0], {"times": [0]}, "times has 1 values"),
        (
            "event_recall",
            [1, 0],
            {"times": [1, 0]},
            "times must increase strictly within each unit; position 1",
        ),
        ("event_recall", [1, 0], {"times": [1, 1]}, "position 1 does not"),
        ("event_recall", [1, 0], {"events": [(2, 1)]}, "event 0 ends before"),
        ("event_recall", [1, 0], {"events": [(1,)]}, r"must be \(start, end\)"),
        (
            "event_recall",
            [1, 0],
            {"events": [(0, 1)], "units": ["a", "a"]},
            r"must be \(unit, start, end\)",
        ),
        (
            "event_recall",
            [1, 0],
            {"events": [("b", 0, 1)], "units": ["a", "a"]},
            "on unit 'b', which has no points",
        ),
        ("event_recall", [1, 0], {"units": ["b", "a"]}, "sorted by unit, then by time"),
        ("event_recall", [1, 0], {"min_hits": 0}, "min_hits must be at least 1"),
        ("event_recall", [1, 0], {"times": [0.0, np.nan]}, "times contains 1 NaN"),
        (
            "event_recall",
            [1, 0],
            {"times": DATES, "events": [(0, 1)]},
            "event start must be dates",
        ),
        (
            "event_recall",
            [1, 0],
            {"events": [("2015-01-01", "2015-01-02")]},
            "event start must be numbers",
        ),
        (
            "detection_lead_time",
            [1, 0],
            {"times": DATES, "time_unit_hours": 1},
            "time_unit_hours applies to numeric times only",
        ),
        (
            "false_alarms_per_unit_month",
            [1],
            {"time_unit_hours": 1},
            "observed duration is zero",
        ),
        (
            "false_alarms_per_unit_month",
            [1, 0],
            {"observed_months": 0},
            "observed_months must be positive",
        ),
        (
            "false_alarm_hours_per_unit_month",
            [1, 0],
            {"units": ["a", "b"], "observed_months": 1},
            "no unit has two points",
        ),
        (
            "false_alarm_hours_per_unit_month",
            [1],
            {"time_unit_hours": 1},
            "observed duration is zero",
        ),
    ],
)
def test_event_metrics_reject_bad_input(code, y_true, params, message):
    flags = np.ones(min(len(y_true), 2), dtype=bool)
    with pytest.raises(ValueError, match=message):
        compute(code, y_true, flags, **params)
