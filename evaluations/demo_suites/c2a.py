"""Suite C2a: La Haute Borne day-ahead wind-farm forecast."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evaluations.demo_suites.common import DATA_DIR, DataFile, DemoSuite, SuiteDataError
from evaluations.suites import write_bundle

C2A_FILE = DataFile(
    DATA_DIR / "la_haute_borne_hourly.csv.gz",
    "f141461223e8c97cfdea90d4615f67086dcfb314ea5614d88a322905bae1339e",
)
C2A_ROWS = 2 * 365 * 24  # hours of 2014 and 2015, UTC
C2A_TIME = "timestamp"
C2A_TARGET = "power_mw"
C2A_CAPACITY = 8.2  # 4 × Senvion MM82 2.05 MW
# Forecasts are issued at 12:00 UTC on D-1 for the 24 hours of D, and see
# the last 14 days of measurements and of the weather feed.
C2A_LEAD_HOURS = 12
C2A_HISTORY_DAYS = 14
# Train 2014-01 to 2015-06, dev 2015-07 to 2015-09, hidden test 2015-10 to
# 2015-12 (92 days). The validation run forecasts the last three dev days.
C2A_TRAIN_END = "2015-07-01"
C2A_SAMPLE_DAYS = ("2015-09-28", "2015-09-29", "2015-09-30")
C2A_HIDDEN_FIRST_DAY = "2015-10-01"
C2A_HIDDEN_DAYS = 92
C2A_EXOGENOUS = (
    "wind_speed_100m",
    "wind_direction_100m",
    "air_density_100m",
    "temperature_2m",
)
C2A_ERA5 = ("era5_ws100", "era5_wd100", "era5_rho100", "era5_t2m")
C2A_MERRA2 = ("merra2_ws50", "merra2_wd50", "merra2_rho50", "merra2_t2m")
C2A_PROBE_NWP = "nwp_error"
C2A_PROBE_SWAP = "provider_swap"
C2A_PROBE_SEED = 20151001
C2A_NWP_ERROR_SD = 0.15
C2A_NWP_SMOOTH_HOURS = 6
C2A_NWP_MISSING = 0.03
C2A_SHEAR_ALPHA = 0.2


def _exempt_params(**extra: Any) -> dict[str, Any]:
    return {"capacity": C2A_CAPACITY, "exclude": "@exempt", **extra}


C2A_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "a_cn", "params": _exempt_params(day="@day")},
        {"code": "a_csg", "params": _exempt_params(day="@day")},
        {"code": "qualified_rate", "params": _exempt_params(tolerance=0.25)},
        {"code": "nrmse", "params": _exempt_params()},
        {"code": "nmae", "params": _exempt_params()},
        {"code": "nbias", "params": _exempt_params()},
        {
            "code": "skill_rmse",
            "params": {"baseline": "@climatology", "exclude": "@exempt"},
        },
    ],
    "gates": [
        {"metric": "a_cn", "comparator": ">=", "value": 91.0},
        {"metric": "a_csg", "comparator": ">=", "value": 68.0},
        {"metric": "qualified_rate", "comparator": ">=", "value": 80.0},
        {"metric": "skill_rmse", "comparator": ">=", "value": 52.0},
        # The design's probe floors: forecast error must not sink accuracy
        # below these, and a change of weather provider must not bias the
        # forecast by more than 5 % of capacity.
        {"metric": "a_cn", "probe": C2A_PROBE_NWP, "comparator": ">=", "value": 88.5},
        {"metric": "a_csg", "probe": C2A_PROBE_NWP, "comparator": ">=", "value": 60.0},
        {"metric": "a_csg", "probe": C2A_PROBE_SWAP, "comparator": ">=", "value": 55.0},
        {"metric": "nbias", "probe": C2A_PROBE_SWAP, "comparator": "<=", "value": 5.0},
        {"metric": "nbias", "probe": C2A_PROBE_SWAP, "comparator": ">=", "value": -5.0},
    ],
    "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 2048},
    "leaderboard": {"weights": {"a_cn": 1.0, "a_csg": 1.0}},
    "quotas": {"per_day": 10},
    "data": {
        "recipe": "c2a-la-haute-borne/1",
        "files": {C2A_FILE.path.name: C2A_FILE.sha256},
        "source": (
            "openoa 3.2 examples/data/la_haute_borne.zip: ENGIE La Haute Borne "
            "revenue meter, ERA5 and MERRA-2 reanalysis"
        ),
        "licence": "Etalab Open Licence 2.0; attribution: ENGIE",
        "time_column": C2A_TIME,
        "target": C2A_TARGET,
        "capacity_mw": C2A_CAPACITY,
        "exogenous": list(C2A_EXOGENOUS),
        "lead_hours": C2A_LEAD_HOURS,
        "history_days": C2A_HISTORY_DAYS,
        "sample_days": list(C2A_SAMPLE_DAYS),
        "hidden_days": [C2A_HIDDEN_FIRST_DAY, C2A_HIDDEN_DAYS],
        "probes": {
            C2A_PROBE_NWP: {
                "speed_error_sd": C2A_NWP_ERROR_SD,
                "smoothing_hours": C2A_NWP_SMOOTH_HOURS,
                "lag_hours": 1,
                "missing_share": C2A_NWP_MISSING,
                "seed": C2A_PROBE_SEED,
            },
            C2A_PROBE_SWAP: {"source": "MERRA-2 50 m", "shear_alpha": 0.2},
        },
    },
}


def c2a_frame() -> Any:
    """Return the hourly plant file, indexed by UTC hour, after checking it."""
    import pandas as pd

    frame = pd.read_csv(C2A_FILE.verified_path())
    frame.index = pd.to_datetime(frame.pop("time_utc"), format="ISO8601")
    frame.index.name = C2A_TIME
    expected = pd.date_range("2014-01-01", periods=C2A_ROWS, freq="h")
    if len(frame) != C2A_ROWS or not frame.index.equals(expected):
        raise SuiteDataError(f"{C2A_FILE.display_path} is not {C2A_ROWS} hours.")
    frame["exempt"] = (frame["curtailed"] == 1) | (frame["unavailable"] == 1)
    return frame


def c2a_feeds(frame: Any) -> dict[str, Any]:
    """Return the weather feeds: the clean ERA5 one and the two probes'.

    Each perturbation is drawn once for the whole series with a fixed seed,
    so overlapping calls see the same perturbed values.

    1. ``nwp_error`` emulates a forecast: wind speed × (1 + ε), ε a
       6-hour-smoothed Gaussian rescaled to a standard deviation of 15 %;
       every column then lags by one hour; 3 % of the hours are lost and
       filled forward.
    2. ``provider_swap`` replaces ERA5 at 100 m by MERRA-2 at 50 m, the
       speed extrapolated to 100 m with the power law, α = 0.2.
    """
    import numpy as np
    import pandas as pd

    clean = frame[list(C2A_ERA5)].set_axis(list(C2A_EXOGENOUS), axis=1)
    speed = C2A_EXOGENOUS[0]

    rng = np.random.default_rng(C2A_PROBE_SEED)
    white = pd.Series(rng.normal(0.0, 1.0, len(frame)), index=frame.index)
    smooth = white.rolling(C2A_NWP_SMOOTH_HOURS, center=True, min_periods=1).mean()
    epsilon = smooth / smooth.std() * C2A_NWP_ERROR_SD
    noisy = clean.copy()
    noisy[speed] = (clean[speed] * (1.0 + epsilon)).clip(lower=0.0)
    noisy = noisy.shift(1).bfill()
    lost = rng.choice(
        np.arange(1, len(frame)), round(C2A_NWP_MISSING * len(frame)), replace=False
    )
    noisy.iloc[np.sort(lost)] = np.nan
    noisy = noisy.ffill()

    swapped = frame[list(C2A_MERRA2)].set_axis(list(C2A_EXOGENOUS), axis=1)
    swapped[speed] = swapped[speed] * 2.0**C2A_SHEAR_ALPHA  # (100 m / 50 m) ** α

    rounding = {speed: 3, C2A_EXOGENOUS[1]: 1, C2A_EXOGENOUS[2]: 4, C2A_EXOGENOUS[3]: 2}
    return {
        "clean": clean,
        C2A_PROBE_NWP: noisy.round(rounding),
        C2A_PROBE_SWAP: swapped.round(rounding),
    }


def c2a_days(first: str, count: int) -> tuple[str, ...]:
    import pandas as pd

    return tuple(d.date().isoformat() for d in pd.date_range(first, periods=count))


def _window_csv(feed: Any, first: Any, last: Any) -> bytes:
    """The weather feed from ``first`` to ``last`` (inclusive) as CSV."""
    return bytes(feed.loc[first:last].to_csv().encode())


def _c2a_calls(
    frame: Any, feeds: dict[str, Any], days: tuple[str, ...]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict[str, bytes]]]]:
    """Build one call per day D: issued at D-1 12:00 UTC for D's 24 hours."""
    import pandas as pd

    from evaluations.baselines import climatology

    hour = pd.Timedelta(hours=1)
    calls: dict[str, dict[str, Any]] = {}
    probes: dict[str, dict[str, dict[str, bytes]]] = {
        name: {} for name in feeds if name != "clean"
    }
    assessed = ~frame["exempt"].to_numpy()
    hour_of_day = frame.index.hour.to_numpy()
    for index, day in enumerate(days, start=1):
        start_of_day = pd.Timestamp(day)
        origin = start_of_day - C2A_LEAD_HOURS * hour
        first = origin - pd.Timedelta(days=C2A_HISTORY_DAYS)
        horizon = pd.date_range(start_of_day, periods=24, freq="h")
        history = frame.loc[first : origin - hour, [C2A_TARGET, "exempt"]]
        if history.index.max() >= origin:
            raise SuiteDataError(f"History for {day} reaches its origin.")
        history = history.assign(exempt=history["exempt"].astype(int))
        task = {
            "schema_version": 1,
            "kind": "forecasting",
            "origin": origin.isoformat(),
            "horizon": [t.isoformat() for t in horizon],
            "time_column": C2A_TIME,
            "target": C2A_TARGET,
            "history": "history.csv",
            "exogenous": "exogenous.csv",
        }
        files = {
            "task.json": json.dumps(task).encode(),
            "history.csv": history.to_csv().encode(),
        }

        # The skill reference: hour-of-day mean of every assessed hour
        # measured before the origin.
        before = (frame.index < origin) & assessed
        reference = climatology(
            frame[C2A_TARGET].to_numpy()[before],
            hour_of_day[before],
            horizon.hour.to_numpy(),
        )
        target = frame.loc[horizon]
        call_id = f"{index:04d}"
        calls[call_id] = {
            "files": {
                **files,
                "exogenous.csv": _window_csv(feeds["clean"], first, horizon[-1]),
            },
            "y_true": [float(v) for v in target[C2A_TARGET]],
            "columns": {
                "day": [start_of_day.toordinal()] * 24,
                "exempt": [bool(v) for v in target["exempt"]],
                "climatology": [float(v) for v in reference],
            },
        }
        for name in probes:
            probes[name][call_id] = {
                **files,
                "exogenous.csv": _window_csv(feeds[name], first, horizon[-1]),
            }
    return calls, probes


def build_c2a_bundle(target: Path) -> Path:
    """Write the C2a bundle folder: sample and hidden calls, and two probes."""
    frame = c2a_frame()
    feeds = c2a_feeds(frame)
    sample, _ = _c2a_calls(frame, {"clean": feeds["clean"]}, C2A_SAMPLE_DAYS)
    hidden, probe_calls = _c2a_calls(
        frame, feeds, c2a_days(C2A_HIDDEN_FIRST_DAY, C2A_HIDDEN_DAYS)
    )
    return write_bundle(
        target,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes=probe_calls,
    )


C2A_DESCRIPTION_EN = """\
## What is tested
Day-ahead power forecasting for a wind farm, scored the Chinese way. At
12:00 UTC on day D-1 a solution forecasts the plant's mean output (MW) for
each of the 24 hours of D (UTC) from a weather forecast for the farm and
the last 14 days of measurements.

## Data
Real, public data of ENGIE's La Haute Borne wind farm in France (4 ×
Senvion MM82, 8.2 MW), 2014–2015, shipped in the `openoa` 3.2 package:
the revenue meter's net energy, turned into hourly plant MW, with its
curtailment and availability losses, and ERA5 reanalysis at 100 m
standing in for the weather forecast. Licence: Etalab Open Licence 2.0,
attribution ENGIE. Each call gets `history.csv` (`timestamp`, `power_mw`,
`exempt`: 1 where curtailment or unavailability cost energy) and
`exogenous.csv` (`wind_speed_100m` m/s, `wind_direction_100m` degrees,
`air_density_100m` kg/m³, `temperature_2m` °C) from the start of the
history to the end of D. Training period 2014-01 to 2015-06, development
2015-07 to 2015-09 (the validation run forecasts its last three days),
hidden test 2015-10-01 to 2015-12-31: 92 days, one sandbox run per day.

**This is a demonstration suite.** All of its data is public and real,
the hidden quarter too, so a submission could look the answers up: this
suite shows how scoring works and cannot prevent that. ERA5 is a
reanalysis, so it is easier than a real forecast. Real suites use the
company's own hidden data and real forecasts, which never leave the
sandbox.

## Scoring
Hours with curtailment or availability losses are exempt (免考核). A_CN =
1 − RMSE/Cap per day (GB/T 40607-2021), A_CSG with the denominator
max(P, 0.2·Cap), qualified rate (|error| ≤ 25 % of Cap), nRMSE, nMAE and
bias as shares of capacity, and RMSE skill against an hour-of-day
climatology. Gates: A_CN ≥ 91 %, A_CSG ≥ 68 %, qualified rate ≥ 80 %,
skill ≥ 52 %. Two robustness probes, reported as deltas and gated:
forecast-error emulation (15 % smoothed speed error, a one-hour lag, 3 % of
hours lost), under which A_CN must stay ≥ 88.5 % and A_CSG ≥ 60 %; and a
switch of provider from ERA5 to MERRA-2, under which A_CSG must stay
≥ 55 % and the bias within ±5 % of capacity. The leaderboard weighs A_CN
and A_CSG equally.

## Baselines
Measured on the hidden quarter; the probes as absolute values.
Binned power curve: A_CN 90.42 %, A_CSG 65.90 %, qualified rate 96.2 %,
skill 49.8 %; under NWP error A_CN 87.42 %, A_CSG 54.90 %; after the
provider swap A_CSG 50.50 %, bias +6.8 % (fails). LightGBM on the weather
and calendar: A_CN 91.10 %, A_CSG 68.38 %, qualified rate 96.9 %, skill
52.5 % (the clean gates, narrowly); under NWP error 87.59 % / 55.22 %;
after the swap A_CSG 48.98 %, bias +7.1 % (fails the probe gates).
LightGBM on the feed's speed up to three hours ahead, with the feed
recalibrated against the 14-day meter history at each call (a delay and
a + b·v, fitted through the power curve): A_CN 91.59 %, A_CSG 69.88 %,
qualified rate 97.4 %, skill 55.4 %; under NWP error 89.29 % / 62.13 %;
after the swap A_CSG 66.05 %, bias +0.7 % (passes every gate). A power
curve and LightGBM trained on noisy copies of the feed, with one speed
factor per call that matches the measured energy: A_CN 91.35 %, A_CSG
68.46 %, qualified rate 97.8 %, skill 54.7 %; under NWP error 89.44 % /
61.44 %; after the swap A_CSG 63.20 %, bias +2.0 % (passes every gate).
"""

C2A_DESCRIPTION_ZH = """\
## 测评内容
按中国口径评价的风电场日前功率预测。方案在D-1日12:00（UTC）依据风电场的天气预报和最近14天的实测数据，
预测D日（UTC）24个小时的全场平均出力（MW）。

## 数据
ENGIE公司法国La Haute Borne风电场（4台Senvion MM82，共8.2 MW）2014–2015年真实、公开的数据，
随 `openoa` 3.2 软件包分发：关口表净电量（换算为小时全场出力）及限电和不可用损失电量，
并以100 m高度的ERA5再分析数据代替天气预报。许可：Etalab开放许可2.0，署名ENGIE。
每次调用提供 `history.csv`（`timestamp`、`power_mw`、`exempt`：因限电或不可用损失电量的小时为1）
和 `exogenous.csv`（`wind_speed_100m` m/s、`wind_direction_100m` 度、`air_density_100m` kg/m³、
`temperature_2m` °C），时间范围从历史起点到D日结束。训练期2014-01至2015-06，开发期2015-07至2015-09
（验证运行只预测其最后三天），隐藏测试期2015-10-01至2015-12-31，共92天，每天单独在沙箱中运行一次。

**这是演示用测评套件。** 全部数据均为公开的真实数据，隐藏测试季度同样公开，
因此方案有可能直接查到答案，本套件仅用于展示评分流程，无法防止这种情况。ERA5是再分析数据，
比真实天气预报更容易。正式测评套件使用企业自有的隐藏数据和真实预报，数据不出沙箱。

## 评分
限电和不可用损失时段免考核。A_CN = 1 − RMSE/Cap按日计算（GB/T 40607-2021）；A_CSG分母为max(P, 0.2·Cap)；
合格率（|误差| ≤ 25%装机容量）；以装机容量为基准的nRMSE、nMAE和偏差；以及相对逐时气候态的RMSE技能分。
门槛：A_CN ≥ 91%，A_CSG ≥ 68%，合格率 ≥ 80%，技能分 ≥ 52%。两个鲁棒性探针（单独报告差值，并设门槛）：
预报误差模拟（15%平滑风速误差、1小时滞后、3%小时缺失），要求A_CN ≥ 88.5%、A_CSG ≥ 60%；
预报源由ERA5切换为MERRA-2，要求A_CSG ≥ 55%、偏差在装机容量的±5%以内。
排行榜对A_CN和A_CSG等权计分。

## 基线
以下为隐藏测试季度的实测结果，探针取绝对值。
分箱功率曲线：A_CN 90.42%，A_CSG 65.90%，合格率96.2%，技能分49.8%；预报误差模拟下A_CN 87.42%、
A_CSG 54.90%；切换预报源后A_CSG 50.50%、偏差+6.8%（未通过）。
基于气象与日历特征的LightGBM：A_CN 91.10%，A_CSG 68.38%，合格率96.9%，技能分52.5%（勉强通过常规门槛）；
预报误差模拟下A_CN 87.59%、A_CSG 55.22%；切换预报源后A_CSG 48.98%、偏差+7.1%（未通过探针门槛）。
使用未来三小时内预报风速的LightGBM，每次调用依据最近14天关口表实测对预报源进行再校准
（经功率曲线拟合时延与a + b·v线性订正）：A_CN 91.59%，A_CSG 69.88%，合格率97.4%，技能分55.4%；
预报误差模拟下89.29%、62.13%；切换预报源后A_CSG 66.05%、偏差+0.7%（通过全部门槛）。
以加噪预报训练的功率曲线与LightGBM集成，每次调用选取一个使预测电量与实测电量一致的风速系数：
A_CN 91.35%，A_CSG 68.46%，合格率97.8%，技能分54.7%；预报误差模拟下89.44%、61.44%；
切换预报源后A_CSG 63.20%、偏差+2.0%（通过全部门槛）。
"""

C2A = DemoSuite(
    key="c2a",
    scenario_code="WIND-PO-FC-001",
    slug="c2a-la-haute-borne-day-ahead",
    title_zh="C2a 风电场日前功率预测：La Haute Borne（公开演示数据）",
    title_en="C2a Day-ahead wind farm power: La Haute Borne (public demo data)",
    description_zh=C2A_DESCRIPTION_ZH,
    description_en=C2A_DESCRIPTION_EN,
    config=C2A_CONFIG,
    inputs=(C2A_FILE,),
    builder=build_c2a_bundle,
    baselines=(
        "wind-power-curve",
        "wind-lightgbm",
        "wind-mos-lightgbm",
        "wind-robust-ensemble",
    ),
)
