"""Suite C1: day-ahead national demand (Taylor, England and Wales 2000)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from evaluations.demo_suites.common import ROOT, DataFile, DemoSuite, SuiteDataError
from evaluations.suites import rolling_origin_calls, write_bundle

C1_FILE = DataFile(
    ROOT / "scenarios" / "demo_files" / "taylor_demand_2000.csv",
    "faa787d2f431eb00eaa19c0b62e0b053009395e86b5911cb5283ff8d75f6bd83",
)
C1_TIME = "timestamp"
C1_TARGET = "demand_mw"
C1_ROWS = 4032  # 12 weeks of half-hours, Monday 2000-06-05 to Sunday 2000-08-27
C1_START = "2000-06-05T00:00"
C1_HORIZON = 48
C1_SEASON = 336  # half-hours in a week
# Weeks 1-8 are history only, weeks 9-10 (2000-07-31 to 2000-08-13) are the
# public development period, weeks 11-12 the hidden test. The validation
# run forecasts the last three development days only, so it stays quick.
C1_SAMPLE_ORIGINS = ("2000-08-11", "2000-08-12", "2000-08-13")
C1_HIDDEN_ORIGINS = tuple(f"2000-08-{day:02d}" for day in range(14, 28))
C1_PROBE = "missing_and_noise"
C1_PROBE_SEED = 20000605
C1_PROBE_MISSING = 0.05
C1_PROBE_NOISE = 0.01

C1_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "mape"},
        {"code": "rmse"},
        {"code": "peak_error", "params": {"day": "@day"}},
        {"code": "bias"},
        {"code": "a_rel"},
        {"code": "skill_rmse", "params": {"baseline": "@seasonal_naive"}},
    ],
    "gates": [
        {"metric": "mape", "comparator": "<=", "value": 1.30},
        {"metric": "peak_error", "comparator": "<=", "value": 1.3},
        {"metric": "bias", "comparator": "<=", "value": 0.5},
        {"metric": "bias", "comparator": ">=", "value": -0.5},
        # The sanity gate: beat "same half-hour last week".
        {"metric": "skill_rmse", "comparator": ">", "value": 0.0},
        # The design's tolerance: gaps and noise in the history may cost at
        # most 0.3 points of MAPE.
        {
            "metric": "mape",
            "probe": C1_PROBE,
            "delta": True,
            "comparator": "<=",
            "value": 0.3,
        },
    ],
    "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 2048},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 10},
    # Provenance; a change here (or in the recipe) makes a new version.
    "data": {
        "recipe": "c1-taylor/1",
        "files": {C1_FILE.path.name: C1_FILE.sha256},
        "source": (
            "pmdarima 2.1.1 load_taylor(): half-hourly demand of England and "
            "Wales, provided by J.W. Taylor (2003), via R forecast::taylor"
        ),
        "licence": "MIT (pmdarima); data attributed to J.W. Taylor",
        "time_column": C1_TIME,
        "target": C1_TARGET,
        "sample_origins": list(C1_SAMPLE_ORIGINS),
        "hidden_origins": list(C1_HIDDEN_ORIGINS),
        "horizon": C1_HORIZON,
        "probe": {
            C1_PROBE: {
                "missing_share": C1_PROBE_MISSING,
                "noise_sd": C1_PROBE_NOISE,
                "seed": C1_PROBE_SEED,
            }
        },
    },
}


def c1_frame() -> Any:
    """Return the Taylor series (timestamp, demand_mw) after checking it."""
    import pandas as pd

    frame = pd.read_csv(C1_FILE.verified_path())
    frame[C1_TIME] = pd.to_datetime(frame[C1_TIME], format="ISO8601")
    expected = pd.date_range(C1_START, periods=C1_ROWS, freq="30min")
    if len(frame) != C1_ROWS or not frame[C1_TIME].equals(pd.Series(expected)):
        raise SuiteDataError(
            f"{C1_FILE.display_path} is not {C1_ROWS} consecutive half-hours."
        )
    frame[C1_TARGET] = frame[C1_TARGET].astype(float)
    return frame


def _c1_perturbation(frame: Any) -> Callable[[Any], Any]:
    """Return the probe's perturbation of a history.

    The missing points and the noise are drawn once for the whole series
    with a fixed seed, so a point that is missing (or noisy) at one origin
    is missing (or equally noisy) at every later origin, as in a real feed.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(C1_PROBE_SEED)
    drop = np.zeros(len(frame), dtype=bool)
    drop[
        rng.choice(len(frame), round(C1_PROBE_MISSING * len(frame)), replace=False)
    ] = True
    noise = rng.normal(0.0, C1_PROBE_NOISE, len(frame))
    by_time = pd.DataFrame(
        {"drop": drop, "factor": 1.0 + noise}, index=frame[C1_TIME].to_numpy()
    )

    def perturb(history: Any) -> Any:
        rows = by_time.reindex(history[C1_TIME].to_numpy())
        noisy = (history[C1_TARGET] * rows["factor"].to_numpy()).round(1)
        return history.assign(**{C1_TARGET: noisy})[~rows["drop"].to_numpy()]

    return perturb


def _c1_calls(
    frame: Any, origins: tuple[str, ...], perturb: Callable[[Any], Any] | None
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, bytes]]]:
    from evaluations.baselines import seasonal_naive

    calls, probe = rolling_origin_calls(
        frame,
        origins=list(origins),
        horizon=C1_HORIZON,
        time_column=C1_TIME,
        target=C1_TARGET,
        perturb=perturb,
    )
    times = frame[C1_TIME]
    values = frame[C1_TARGET].to_numpy()
    for call, origin in zip(calls.values(), origins, strict=True):
        before = (times < origin).to_numpy()
        # rolling_origin_calls guarantees this; the assertion documents that
        # the hidden history never reaches the forecast day.
        if not before.any() or times[before].max() >= times[~before].min():
            raise SuiteDataError(f"History for origin {origin} reaches the horizon.")
        # The skill metric's reference: the same half-hour one week earlier,
        # from the same history the solution sees.
        call["columns"]["seasonal_naive"] = [
            float(v) for v in seasonal_naive(values[before], C1_SEASON, C1_HORIZON)
        ]
    return calls, probe


def build_c1_bundle(target: Path) -> Path:
    """Write the C1 bundle folder: sample and hidden calls, and the probe."""
    frame = c1_frame()
    sample, _ = _c1_calls(frame, C1_SAMPLE_ORIGINS, None)
    hidden, probe = _c1_calls(frame, C1_HIDDEN_ORIGINS, _c1_perturbation(frame))
    return write_bundle(
        target,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes={C1_PROBE: probe},
    )


C1_DESCRIPTION_EN = """\
## What is tested
Day-ahead forecasting of national electricity demand. At 00:00 on day D, a
solution forecasts the 48 half-hours of D from the demand history before D.
There are no weather inputs: the suite tests calendar and seasonal
structure (the daily and weekly cycles).

## Data
Real, public half-hourly demand of England and Wales (MW) from Monday
2000-06-05 to Sunday 2000-08-27, 4,032 values, published by J.W. Taylor
(2003) and shipped in the `pmdarima` 2.1.1 package (MIT). Weeks 1–8 are
history only. Weeks 9–10 (2000-07-31 to 2000-08-13) are the public
development period; the validation run forecasts its last three days.
Weeks 11–12 (2000-08-14 to 2000-08-27) are the hidden test: 14 origins at
00:00, one sandbox run per origin, each seeing only the history before it
(`timestamp`, `demand_mw`; no exogenous file).

**This is a demonstration suite.** All of its data is public and real,
the hidden weeks too, so a submission could look the answers up: this
suite shows how scoring works and cannot prevent that. Real suites use the
company's own hidden data, which never leaves the sandbox.

## Scoring
MAPE, RMSE, daily peak error, bias, accuracy 1 − RMSPE, and RMSE skill
against the seasonal-naive forecast (the same half-hour one week earlier).
Gates: MAPE ≤ 1.30 %, peak error ≤ 1.3 %, bias between −0.5 % and +0.5 %,
and positive skill. Robustness probe: 5 % of the history points removed
at random and 1 % multiplicative noise (fixed seed), reported as deltas and
gated: MAPE may rise by at most 0.3 points. The leaderboard ranks by MAPE.

## Baselines
Seasonal naive (same half-hour last week): hidden-test MAPE 1.73 %. Ridge
regression on lags and calendar: 2.44 %. Both fail the gates, as intended:
they set the bar to beat.
"""

C1_DESCRIPTION_ZH = """\
## 测评内容
全国用电负荷日前预测。在D日00:00，方案仅依据D日之前的负荷历史，预测D日48个半小时点。
不提供气象输入，主要考察日历与季节结构（日周期和周周期）。

## 数据
英格兰与威尔士真实、公开的半小时用电负荷（MW），2000年6月5日（周一）至8月27日（周日），
共4,032个点，由J.W. Taylor（2003）发布，随 `pmdarima` 2.1.1 软件包分发（MIT许可）。
第1–8周仅作历史数据；第9–10周（2000-07-31至2000-08-13）为公开开发期，验证运行只预测其最后三天；
第11–12周（2000-08-14至2000-08-27）为隐藏测试：每天00:00起报，共14个起报点，
每个起报点单独在沙箱中运行，且只能看到起报点之前的历史（`timestamp`、`demand_mw`；无外生输入文件）。

**这是演示用测评套件。** 全部数据均为公开的真实数据，隐藏测试周同样公开，
因此方案有可能直接查到答案，本套件仅用于展示评分流程，无法防止这种情况。
正式测评套件使用企业自有的隐藏数据，数据不出沙箱。

## 评分
MAPE、RMSE、日最大负荷误差、偏差、准确率1 − RMSPE，以及相对季节朴素预测（上周同一时段）的RMSE技能分。
门槛：MAPE ≤ 1.30%，日最大负荷误差 ≤ 1.3%，偏差在−0.5%至+0.5%之间，且技能分为正。
鲁棒性探针：历史数据随机缺失5%并叠加1%乘性噪声（固定随机种子），单独报告差值，并设门槛：MAPE最多上升0.3个百分点。
排行榜按MAPE排名。

## 基线
季节朴素（上周同一时段）：隐藏测试MAPE 1.73%；基于滞后项和日历特征的岭回归：2.44%。
两者均未通过门槛，这是有意为之：它们是需要超越的参照线。
"""

C1 = DemoSuite(
    key="c1",
    scenario_code="GRID-PO-FC-001",
    slug="c1-taylor-day-ahead-demand",
    title_zh="C1 日前负荷预测：英格兰与威尔士2000年夏季（公开演示数据）",
    title_en="C1 Day-ahead demand: England & Wales, summer 2000 (public demo data)",
    description_zh=C1_DESCRIPTION_ZH,
    description_en=C1_DESCRIPTION_EN,
    config=C1_CONFIG,
    inputs=(C1_FILE,),
    builder=build_c1_bundle,
    baselines=("forecasting-seasonal-naive", "forecasting-ridge"),
)
